"""The learning pages: each runs a fixed number of queries whatever the data size; the
weekly lesson in one form; a member's own book notes; a certificate's scan only for
those who read the record; the links on the group's and the member's pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from learning import services
from learning.models import LearningRecord, Lesson, Level
from tests import files
from tests.factories import MemberFactory

from .conftest import competition, enter, kind, record

THIS_YEAR = timezone.localdate().year


def _fill(org, people, size: int):
    """`size` extra members in A1 with a lesson, records of each kind and results; and
    `size` competitions."""
    leader, ws = people.leader_a1, people.ws_a
    members = [MemberFactory(group=org.A1) for _i in range(size)] + org.members["A1"]
    day = date(THIS_YEAR, 1, 5)
    for week in range(size):
        services.lesson_record(
            group=org.A1,
            by=leader,
            held_on=day,
            topic=f"第{week + 1}课",
            hours=Decimal("1"),
            members=members,
        )
    for member in members:
        record(member, leader, "reading", on=day)
        record(member, leader, "training", on=day)
        record(member, leader, "certificate", on=day, upload=files.jpeg())
    for i in range(size):
        comp = competition(ws, workshop=org.a, title=f"比武{i}", starts_on=day, ends_on=day)
        enter(
            comp, ws, *[(m.employee_no, "90", str(n + 1), "一等奖") for n, m in enumerate(members)]
        )
    return members


# Every page: session, user, roles, panel grants, and the menu's notices check (5).
PAGES = {
    # + groups count and page, group figures (4), competitions, target
    "home": (lambda org, m: "/learning/", 13),
    # + kinds, count, rows
    "competitions": (lambda org, m: "/learning/competitions/", 8),
    # + the competition, its results
    "competition": (lambda org, m: f"/learning/competitions/{org.latest.pk}/", 7),
    # + group, target, members, member figures (2), lessons, group figures (4)
    "group": (lambda org, m: f"/learning/groups/{org.A1.pk}/", 16),
    # + member, records, results, member figures (2), target
    "member": (lambda org, m: f"/learning/members/{m[0].pk}/", 11),
    # + the competition, its results, award levels
    "results": (lambda org, m: f"/learning/competitions/{org.latest.pk}/results/", 8),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("size", [1, 6])
def test_each_page_runs_a_fixed_number_of_queries(
    org, people, login, django_assert_num_queries, page, size
):
    members = _fill(org, people, size)
    from learning.models import Competition

    org.latest = Competition.objects.order_by("-pk").first()
    url, expected = PAGES[page]
    client = login(people.ws_a)
    with django_assert_num_queries(expected):
        response = client.get(url(org, members))
    assert response.status_code == 200


def test_the_pages_show_the_groups_figures_and_results(org, people, login):
    members = _fill(org, people, 2)
    client = login(people.leader_a1)
    body = client.get(f"/learning/groups/{org.A1.pk}/").content.decode()
    assert members[0].name in body and "第1课" in body
    body = client.get("/learning/competitions/").content.decode()
    assert "比武0" in body and "比武1" in body
    body = client.get(f"/learning/members/{members[0].pk}/").content.decode()
    assert "《大国工匠》" in body and "高级工证书" in body


def test_a_weekly_lesson_is_recorded_with_the_members_present_in_one_form(org, people, login):
    a, b, c = org.members["A1"]
    client = login(people.leader_a1)
    url = f"/learning/groups/{org.A1.pk}/lessons/new/"
    form = client.get(url).context["form"]
    assert set(form.initial["members"]) == {a.pk, b.pk, c.pk}  # all ticked to start
    response = client.post(
        url,
        {
            "held_on": "2026-03-02",
            "topic": "新《安全生产法》",
            "hours": "1.5",
            "members": [a.pk, c.pk],
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    records = LearningRecord.objects.filter(lesson=lesson)
    assert {r.member_id for r in records} == {a.pk, c.pk}
    assert {r.hours for r in records} == {Decimal("1.5")}
    assert {r.kind.mechanism for r in records} == {"lesson"}
    # No member ticked: said next to the field, nothing written.
    response = client.post(url, {"held_on": "2026-03-09", "topic": "x", "hours": "1"})
    assert response.context["form"].errors["members"]
    assert Lesson.objects.count() == 1
    # Another group's leader cannot record A1's lesson.
    assert login(people.leader_a2).get(url).status_code == 404


def test_a_member_adds_their_own_book_with_notes_and_nothing_else(org, people, login):
    member = org.members["A1"][0]
    client = login(people.member_a1)
    url = f"/learning/members/{member.pk}/records/new/"
    form = client.get(url).context["form"]
    assert [k.code for k in form.fields["kind"].queryset] == ["reading"]
    assert "hours" not in form.fields
    response = client.post(
        url,
        {"kind": kind("reading").pk, "on": "2026-03-01", "title": "《平凡的世界》", "notes": ""},
    )
    assert response.context["form"].errors["notes"]
    response = client.post(
        url,
        {
            "kind": kind("reading").pk,
            "on": "2026-03-01",
            "title": "《平凡的世界》",
            "notes": "坚持的力量",
        },
    )
    assert response.status_code == 302
    assert LearningRecord.objects.get().notes == "坚持的力量"
    response = client.post(
        url, {"kind": kind("training").pk, "on": "2026-03-01", "title": "培训", "hours": "8"}
    )
    assert response.context["form"].errors["kind"]
    # Not another member's page.
    other = org.members["A1"][1]
    assert client.get(f"/learning/members/{other.pk}/records/new/").status_code == 404
    assert client.get(f"/learning/members/{member.pk}/").status_code == 200
    assert client.get(f"/learning/members/{other.pk}/").status_code == 404


def test_a_certificate_scan_is_served_only_to_those_who_read_the_record(org, people, login):
    member = org.members["A1"][0]
    cert = record(member, people.leader_a1, "certificate", upload=files.jpeg())
    assert cert.file and cert.file_mime == "image/jpeg"
    url = f"/learning/records/{cert.pk}/file"
    for user, status in (
        (people.leader_a1, 200),
        (people.member_a1, 200),
        (people.ws_a, 200),
        (people.leader_a2, 404),
        (people.ws_b, 404),
    ):
        response = login(user).get(url)
        assert response.status_code == status, user
        if status == 200:
            assert "no-store" in response["Cache-Control"]
    body = login(people.leader_a1).get(f"/learning/members/{member.pk}/").content.decode()
    assert url in body
    assert cert.file.url not in body  # stored, but never linked directly
    # A scan that is not a photo or PDF is refused next to the field.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        record(member, people.leader_a1, "certificate", upload=files.docx())
    assert "upload" in raised.value.error_dict


def test_each_kind_needs_what_it_counts(org, people):
    from django.core.exceptions import ValidationError

    member = org.members["A1"][0]
    with pytest.raises(ValidationError) as raised:
        record(member, people.leader_a1, "training", hours=None)
    assert "hours" in raised.value.error_dict
    with pytest.raises(ValidationError) as raised:
        record(member, people.leader_a1, "reading", notes="")
    assert "notes" in raised.value.error_dict
    with pytest.raises(ValidationError):
        record(member, people.leader_a1, "reading", on=date(THIS_YEAR + 1, 1, 1))


def test_the_group_and_member_pages_link_to_learning(org, people, login):
    member = org.members["A1"][0]
    record(member, people.leader_a1, "training", on=timezone.localdate(), hours=Decimal("6"))
    comp = competition(
        people.ws_a, workshop=org.a, starts_on=timezone.localdate(), ends_on=timezone.localdate()
    )
    enter(comp, people.ws_a, (member.employee_no, "90", "1", "二等奖"))
    client = login(people.leader_a1)
    body = client.get(f"/org/groups/{org.A1.pk}/").content.decode()
    assert f"/learning/groups/{org.A1.pk}/" in body
    body = client.get(f"/members/{member.pk}/").content.decode()
    assert f"/learning/members/{member.pk}/" in body
    assert "二等奖" in body
    # The member's own login sees the same line on their own record.
    body = login(people.member_a1).get(f"/members/{member.pk}/").content.decode()
    assert "二等奖" in body and f"/learning/members/{member.pk}/" in body


def test_one_menu_entry_for_staff_and_none_for_a_member(org, people):
    from unionhome.extensions import navigation

    def entries(user):
        return [url for _label, url in navigation(user) if url.startswith("learning:")]

    assert entries(people.leader_a1) == ["learning:home"]
    assert entries(people.ws_a) == ["learning:home"]
    assert entries(people.evaluator) == ["learning:home"]
    assert entries(people.member_a1) == []


def test_a_group_competition_can_be_tied_to_its_activity_record(org, people, login):
    from tests.factories import ActivityFactory

    comp = competition(people.leader_a1, level=Level.GROUP, group=org.A1)
    activity = ActivityFactory(group=org.A1, held_on=date(2026, 4, 1), recorded_by=people.hq)
    ActivityFactory(group=org.A2, held_on=date(2026, 4, 1), recorded_by=people.hq)
    client = login(people.leader_a1)
    url = f"/learning/competitions/{comp.pk}/edit/"
    form = client.get(url).context["form"]
    assert list(form.fields["activity"].queryset) == [activity]
    response = client.post(
        url,
        {
            "title": comp.title,
            "kind": comp.kind_id,
            "level": "group",
            "group": org.A1.pk,
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-02",
            "status": "finished",
            "activity": activity.pk,
        },
    )
    assert response.status_code == 302
    comp.refresh_from_db()
    assert comp.activity == activity and comp.status == "finished"
    body = client.get(f"/learning/competitions/{comp.pk}/").content.decode()
    assert activity.title in body
