"""Who sees which applications, links and letters, and the lists' fixed query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from membership import services
from membership.hooks import member_applications, todo_items
from tests.factories import UnionGroupFactory, leader_user, workshop_user


def file_for(group, n, *, link=None):
    link = link or services.join_link_create(by=None, workshop=group.workshop, group=group)
    return [
        services.application_submit_public(
            link=link,
            address=None,
            employee_no=f"7{group.pk:03d}{i:03d}",
            name=f"申请人{i}",
            gender="F",
            statement=True,
        ).application
        for i in range(n)
    ]


class TestScope:
    def test_a_leader_sees_their_groups_applications_the_workshop_its_own_hq_all(
        self, org, hq, leader_a1, workshop_a, login
    ):
        a1, a2, b1 = (file_for(g, 1)[0] for g in (org.A1, org.A2, org.B1))
        url = reverse("membership:application_list")

        def listed(user):
            return {a.pk for a in login(user).get(url).context["page"]}

        assert listed(leader_a1) == {a1.pk}
        assert listed(workshop_a) == {a1.pk, a2.pk}
        assert listed(hq) == {a1.pk, a2.pk, b1.pk}
        assert listed(workshop_user(org.b)) == {b1.pk}
        # Out of reach: 404, its existence not given away.
        detail = reverse("membership:application_detail", args=[b1.pk])
        assert login(leader_a1).get(detail).status_code == 404
        assert login(workshop_a).get(detail).status_code == 404

    def test_the_workshop_unions_to_do_list_counts_what_waits_for_it(
        self, org, hq, workshop_a, leader_a1
    ):
        file_for(org.A1, 2)
        file_for(org.B1, 1)
        assert [(count, url) for _what, count, url in todo_items(workshop_a)] == [
            (2, reverse("membership:application_list") + "?status=submitted")
        ]
        assert [count for _what, count, _url in todo_items(hq)] == [3]
        assert todo_items(leader_a1) == []  # a leader files; the workshop union decides

    def test_the_portal_hook_gives_a_member_their_own_applications(self, org, workshop_a):
        application = file_for(org.A1, 1)[0]
        member = services.application_approve(application=application, by=workshop_a)
        found = member_applications(None, member)
        assert [(a.reference, a.done) for a in found] == [(application.reference, True)]
        assert member_applications(None, org.members["A1"][0]) == []

    def test_the_public_pages_show_no_member_and_no_application(self, org, client):
        file_for(org.A1, 1)
        member = org.members["A1"][0]
        for url in (reverse("membership:join_status"),):
            html = client.get(url).content.decode()
            assert member.name not in html and "申请人0" not in html


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.mark.parametrize(
    "url_name",
    ["membership:application_list", "membership:link_list", "membership:employee_counts"],
)
def test_the_lists_run_the_same_queries_with_2_and_12_rows(org, hq, login, url_name):
    """session, user, roles (2), the list's count and page (applications: with their
    duplicate marks, group and workshop in one query), its filter choices, the to-do
    counts and the menu: the same however many rows."""
    client = login(hq)
    url = reverse(url_name)
    file_for(org.A1, 2)
    services.employee_count_set(by=hq, workshop=org.a, month=date(2019, 1, 1), employees=9)
    small, first = _count(client, url)
    for i in range(5):
        group = UnionGroupFactory(workshop=org.b if i % 2 else org.a)
        file_for(group, 2)
        services.employee_count_set(
            by=hq, workshop=group.workshop, month=date(2020 + i, 1, 1), employees=9
        )
    large, second = _count(client, url)
    assert small == large
    if url_name == "membership:application_list":
        assert len(second.context["page"]) == 12 > len(first.context["page"])


def test_a_leader_reaches_only_the_poster_of_their_groups_link(org, leader_a1, login, hq):
    own = services.join_link_create(by=hq, workshop=org.a, group=org.A1)
    other = services.join_link_create(by=hq, workshop=org.a, group=org.A2)
    client = login(leader_a1)
    poster = client.get(reverse("membership:link_poster", args=[own.pk]))
    assert poster.status_code == 200 and "<svg" in poster.content.decode()
    assert own.token in poster.context["url"]
    assert client.get(reverse("membership:link_poster", args=[other.pk])).status_code == 404
    assert client.post(reverse("membership:link_close", args=[own.pk])).status_code == 403
    assert (
        login(leader_user(org.B1)).get(reverse("membership:link_poster", args=[own.pk])).status_code
        == 404
    )
