"""No enumeration: typing employee numbers as participants from other groups never tells
a group leader whose they are. A participant of another group is named only to those
whose reach holds that member; the others see "a member of another group". An unknown
number is still refused (it cannot be stored), with the same message whatever the reach:
a number says only whether it is a member's, never whose."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from tests.factories import area, member_user, today, workshop_user

OTHER = "Member of another group"


def form_data(org, **extra):
    return {
        "area": area().pk,
        "title": "安全教育学习",
        "held_on": today().isoformat(),
        "guests_count": 0,
        "participants": [m.pk for m in org.members["A1"]],
        **extra,
    }


@pytest.fixture
def outsider(org):
    """A member of group B1 (workshop union B), whom the leader of A1 does not reach."""
    member = org.members["B1"][0]
    member.name = "远方来客"
    member.save()
    return member


@pytest.fixture
def activity(org, leader_a1, login, outsider):
    from activities.models import Activity

    response = login(leader_a1).post(
        reverse("activities:activity_create"),
        form_data(org, other_participants=outsider.employee_no),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert outsider in activity.participants.all()  # the number is accepted
    return activity


def page(client, activity) -> str:
    response = client.get(reverse("activities:activity_detail", args=[activity.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_leader_sees_an_out_of_reach_participant_as_another_workshops_member(
    org, activity, leader_a1, login, outsider
):
    body = page(login(leader_a1), activity)
    assert gettext(OTHER) in body
    for secret in (outsider.name, outsider.employee_no, org.B1.name):
        assert secret not in body
    # The leader's own members are named.
    assert org.members["A1"][1].name in body


def test_those_whose_reach_holds_the_participant_see_their_name(org, activity, hq, login, outsider):
    # HQ reaches everybody; a chair of workshop B who also leads A1 reaches B1's members.
    from accounts.models import Role
    from tests.factories import UserFactory

    both = UserFactory(
        role=Role.WORKSHOP, workshop=org.b, roles=[(Role.GROUP_LEADER, None, org.A1)]
    )
    for user in (hq, both):
        body = page(login(user), activity)
        assert outsider.name in body and org.B1.name in body
        assert gettext(OTHER) not in body


def test_the_workshop_union_of_the_group_sees_only_its_own(org, activity, login, outsider):
    body = page(login(workshop_user(org.a)), activity)
    assert outsider.name not in body and gettext(OTHER) in body


def test_a_member_sees_their_groups_participants_but_not_the_outsider(
    org, activity, login, outsider
):
    colleague = org.members["A1"][1]
    body = page(login(member_user(org.members["A1"][0])), activity)
    assert colleague.name in body
    assert colleague.employee_no not in body  # no number of anybody else
    assert outsider.name not in body and gettext(OTHER) in body


def test_the_edit_form_gives_back_numbers_only(org, activity, leader_a1, login, outsider):
    response = login(leader_a1).get(reverse("activities:activity_edit", args=[activity.pk]))
    body = response.content.decode()
    assert outsider.employee_no in body  # what the leader typed
    assert outsider.name not in body and org.B1.name not in body


def test_a_redisplayed_form_names_nobody_of_another_group(org, leader_a1, login, outsider):
    response = login(leader_a1).post(
        reverse("activities:activity_create"),
        form_data(org, title="", other_participants=outsider.employee_no),
    )
    assert response.status_code == 200 and "title" in response.context["form"].errors
    body = response.content.decode()
    assert outsider.name not in body and org.B1.name not in body


def test_an_unknown_number_is_refused_alike_for_every_reach(org, leader_a1, hq, login):
    """The same message for the leader (who reaches neither) and HQ (who reaches all):
    whether a number is refused depends on the union's roll, never on the user's reach."""
    answers = []
    for user in (leader_a1, hq):
        data = form_data(org, other_participants="99999")
        if user is hq:
            data["group"] = org.A1.pk
        response = login(user).post(
            reverse("activities:activity_create") + f"?group={org.A1.pk}", data
        )
        answers.append(response.context["form"].errors["other_participants"])
    assert answers[0] == answers[1] and "99999" in str(answers[0])
