"""What a member with an activated login reaches, model by model: their own record,
their group's activities, public notices, the state of their own applications and their
own suggestions; nothing of anyone else's details."""

from datetime import date

import pytest

from accounts.scoping import CHANGE, VIEW
from activities.models import Activity, Attachment, MonthlyReport
from groups.models import MANAGE, PERSONAL, Member, UnionGroup, WorkshopUnion
from homes.models import CreationPlan, Declaration, HomeTitle, Notice, Objection
from portal.models import ANSWER, FILE, Suggestion
from scoring.models import AssessmentPeriod, GroupResult
from tests.factories import ActivityFactory, member_user
from unionhome.extensions import navigation
from welfare import services as welfare
from welfare.models import (
    DETAILS,
    STATUS,
    CareVisit,
    CaseType,
    HardshipRecord,
    WelfareCase,
)


@pytest.fixture
def member(org):
    return org.members["A1"][0]


@pytest.fixture
def me(member):
    return member_user(member)


def test_own_member_record_and_identity_number_only(org, member, me):
    assert list(Member.objects.restrict(me, VIEW)) == [member]
    # Their own record opens no list of members.
    assert Member.objects.may(me, VIEW) and not Member.objects.may(me, VIEW, others=True)
    assert list(Member.objects.restrict(me, PERSONAL)) == [member]
    for action in (CHANGE, MANAGE):
        assert not Member.objects.may(me, action)


def test_no_organisation_pages(org, me):
    for model in (WorkshopUnion, UnionGroup):
        assert not model.objects.may(me, VIEW)


def test_their_groups_activities_only(org, leader_a1, me):
    own = ActivityFactory(group=org.A1, held_on=date(2026, 1, 5), recorded_by=leader_a1)
    ActivityFactory(group=org.A2, held_on=date(2026, 1, 5), recorded_by=leader_a1)
    assert list(Activity.objects.restrict(me, VIEW)) == [own]
    assert list(Activity.objects.groups_in_reach(me, VIEW)) == [org.A1]
    assert not Activity.objects.may(me, CHANGE)
    assert Attachment.objects.may(me, VIEW)
    assert not MonthlyReport.objects.may(me, VIEW)


def test_own_welfare_cases_by_their_state_only(org, member, me, leader_a1):
    relief = CaseType.objects.get(code="relief")
    own = welfare.case_create(
        by=leader_a1, member=member, case_type=relief, reason="房屋受灾", amount_requested="500"
    )
    welfare.case_create(
        by=leader_a1,
        member=org.members["A1"][1],
        case_type=relief,
        reason="子女上学",
        amount_requested="500",
    )
    assert list(WelfareCase.objects.restrict(me, STATUS)) == [own]
    # Not the list, not the case page, not the reasons: the state, on their own page.
    for action in (VIEW, DETAILS):
        assert not WelfareCase.objects.may(me, action)
    assert not HardshipRecord.objects.may(me, VIEW)
    assert not CareVisit.objects.may(me, VIEW)


def test_public_notices_and_titles_but_no_declarations(org, me):
    assert Notice.objects.may(me, VIEW) and HomeTitle.objects.may(me, VIEW)
    for model in (Declaration, CreationPlan):
        assert not model.objects.may(me, VIEW)
    # Objections: only their own (the objector is known to HQ only).
    assert Objection.objects.restrict(me, VIEW).count() == 0


def test_no_scoring_internals(org, me):
    assert not AssessmentPeriod.objects.may(me, VIEW)
    assert not GroupResult.objects.may(me, VIEW)


def test_own_suggestions_filed_and_read_answered_by_others(org, member, me):
    own = Suggestion(member=member, group=member.group)
    other = Suggestion(member=org.members["A1"][1], group=org.A1)
    assert Suggestion.objects.allows(me, FILE, own)
    assert not Suggestion.objects.allows(me, FILE, other)
    assert not Suggestion.objects.may(me, ANSWER)


def test_the_menu_holds_only_what_a_member_opens(org, me, hq):
    from homes.models import CreationYear

    year = CreationYear.objects.create(
        year=2026, declarations_open=date(2026, 1, 1), declarations_close=date(2026, 2, 1)
    )
    Notice.objects.create(
        year=year,
        title="公示",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 1, 7),
        published_by=hq,
    )
    assert [url for _label, url in navigation(me)] == [
        "activities:activity_list",
        "homes:notices",
        "democracy:overview",
        "portal:home",
    ]
