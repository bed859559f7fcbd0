"""The learning figures for scoring: hours, books and certificates per member, awards and
their points, weekly lessons — per group over a period, in a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest

from learning import selectors, services
from learning.models import LearningRecord, Level
from tests.factories import MemberFactory
from unionhome import metrics

from .conftest import competition, enter, record

Q1 = {"start": date(2026, 1, 1), "end": date(2026, 3, 31)}
NAMES = [
    "learning.hours_per_member",
    "learning.books_per_member",
    "learning.certificates_per_member",
    "learning.awards_per_member",
    "learning.award_points",
    "learning.weekly_lessons",
]


@pytest.fixture
def q1(org, people):
    """A1 (three members) in the first quarter: a weekly lesson of an hour attended by
    two, 8 + 4 training hours, three books, one certificate, one 一等奖; and records outside
    the quarter or of A2 that must not count."""
    a, b, c = org.members["A1"]
    leader = people.leader_a1
    services.lesson_record(
        group=org.A1,
        by=leader,
        held_on=date(2026, 2, 3),
        topic="安全规程",
        hours=Decimal("1"),
        members=[a, b],
    )
    record(a, leader, "training", on=date(2026, 3, 1), hours=Decimal("8"))
    record(b, leader, "training", on=date(2026, 3, 31), hours=Decimal("4"))
    record(a, leader, "reading", on=date(2026, 1, 1))
    record(a, leader, "reading", on=date(2026, 2, 1), title="《平凡的世界》")
    record(b, leader, "reading", on=date(2026, 3, 2))
    record(c, leader, "certificate", on=date(2026, 3, 5))
    # Outside the quarter, and another group's.
    record(a, leader, "training", on=date(2026, 4, 1), hours=Decimal("100"))
    record(c, leader, "reading", on=date(2025, 12, 31))
    record(org.members["A2"][0], people.leader_a2, "training", on=date(2026, 3, 1))
    comp = competition(
        people.ws_a, workshop=org.a, starts_on=date(2026, 3, 20), ends_on=date(2026, 3, 21)
    )
    plan = enter(
        comp,
        people.ws_a,
        (a.employee_no, "95", "1", "一等奖"),
        (b.employee_no, "80", "5", ""),
        (org.members["A2"][0].employee_no, "90", "2", "二等奖"),
    )
    assert plan.ok, plan.errors
    later = competition(
        people.ws_a, workshop=org.a, starts_on=date(2026, 3, 30), ends_on=date(2026, 4, 2)
    )
    enter(later, people.ws_a, (c.employee_no, "99", "1", "一等奖"))


def values(name, org):
    return metrics.values(name, group_ids=[org.A1.pk, org.A2.pk], **Q1)


def test_hours_per_member_counts_lessons_and_training_of_the_period(org, q1):
    # (1 + 1 lesson hours + 8 + 4 training hours) / 3 members
    assert values("learning.hours_per_member", org)[org.A1.pk] == pytest.approx(4.67)


def test_books_per_member_counts_the_periods_books(org, q1):
    assert values("learning.books_per_member", org)[org.A1.pk] == 1.0


def test_certificates_per_member(org, q1):
    assert values("learning.certificates_per_member", org)[org.A1.pk] == pytest.approx(0.33)


def test_awards_count_by_the_competitions_last_day_for_the_members_group(org, q1):
    awards = values("learning.awards_per_member", org)
    assert awards[org.A1.pk] == pytest.approx(0.33)  # the April one does not count
    assert awards[org.A2.pk] == pytest.approx(0.33)
    points = values("learning.award_points", org)
    assert points == {org.A1.pk: 5.0, org.A2.pk: 3.0}


def test_weekly_lessons_held(org, q1):
    assert values("learning.weekly_lessons", org) == {org.A1.pk: 1, org.A2.pk: 0}


def test_every_learning_figure_is_registered():
    for name in NAMES:
        metric = metrics.get(name)
        assert metric is not None, name
        assert str(metric.label) and str(metric.definition)


def test_a_group_without_members_has_no_per_member_figure(org, people):
    from groups.models import GroupMembership, Member

    Member.objects.filter(group=org.B2).update(status="left", left_on=date(2026, 1, 1))
    GroupMembership.objects.filter(group=org.B2).update(ended_on=date(2026, 1, 1))
    assert org.B2.pk not in metrics.values("learning.hours_per_member", group_ids=[org.B2.pk], **Q1)


def test_member_learning_of_a_year(org, q1):
    a, b, c = org.members["A1"]
    figures = selectors.member_learning([a.pk, b.pk, c.pk], 2026)
    assert figures[a.pk].hours == Decimal("109")  # 1 + 8 + 100 (April is in the year)
    assert figures[a.pk].lessons == 1
    assert figures[a.pk].books == 2
    assert figures[a.pk].awards == ["一等奖"]
    assert figures[b.pk].results == 1 and figures[b.pk].awards == []
    assert figures[c.pk].certificates == 1
    assert figures[c.pk].books == 0  # the book of 2025
    assert figures[c.pk].awards == ["一等奖"]
    assert selectors.member_learning([c.pk], 2025)[c.pk].books == 1


def _spread(org, people, groups: int):
    leader = people.hq
    for group in list(org.groups.values())[:groups]:
        member = MemberFactory(group=group)
        record(member, leader, "training")
        record(member, leader, "reading")
        record(member, leader, "certificate")
        comp = competition(leader, level=Level.HQ)
        enter(comp, leader, (member.employee_no, "90", "1", "一等奖"))


@pytest.mark.parametrize("groups", [1, 4])
def test_each_figure_runs_a_fixed_number_of_queries(org, people, django_assert_num_queries, groups):
    _spread(org, people, groups)
    ids = [g.pk for g in org.groups.values()]
    for name in NAMES:
        # members, records by mechanism, lessons, results
        with django_assert_num_queries(4):
            metrics.values(name, group_ids=ids, **Q1 | {"end": date(2026, 12, 31)})
    # records by member and mechanism, results
    with django_assert_num_queries(2):
        selectors.member_learning([m.pk for ms in org.members.values() for m in ms], 2026)
    assert LearningRecord.objects.count() == 3 * groups


def test_a_record_counts_for_the_group_the_member_was_in_when_recorded(org, people):
    """A1 has three members until one moves to A2 on 1 March: a period ending before the
    move divides by three, one ending after it by two (the history, not today's list)."""
    from groups.models import GroupMembership, Member

    member = org.members["A1"][0]
    record(member, people.leader_a1, "training", on=date(2026, 2, 1), hours=Decimal("9"))
    Member.objects.filter(pk=member.pk).update(group=org.A2)
    GroupMembership.objects.filter(member=member, ended_on__isnull=True).update(
        ended_on=date(2026, 2, 28)
    )
    GroupMembership.objects.create(member=member, group=org.A2, started_on=date(2026, 3, 1))
    ids = [org.A1.pk, org.A2.pk]
    hours = metrics.values("learning.hours_per_member", group_ids=ids, **Q1)
    assert hours == {org.A1.pk: 4.5, org.A2.pk: 0.0}  # 9 hours / A1's two members on 31 March
    february = {"start": date(2026, 1, 1), "end": date(2026, 2, 15)}
    hours = metrics.values("learning.hours_per_member", group_ids=ids, **february)
    assert hours == {org.A1.pk: 3.0, org.A2.pk: 0.0}  # 9 hours / A1's three members then
