"""The figures of democratic management and the yearly figures per workshop union."""

from datetime import date, timedelta

import pytest

from congresses import selectors, services
from congresses.metrics import target_for_period
from congresses.models import Level
from rectifications import services as rectifications
from rectifications.models import Rectification
from tests import files
from unionhome import metrics

from .conftest import present, today


def _meeting(org, leader, group_key, on, *, quorum=True):
    session = services.session_create(
        by=leader,
        level=Level.GROUP,
        group=org.groups[group_key],
        title="班组民主会",
        planned_on=on,
        agenda="议程",
    )
    members = org.members[group_key] if quorum else org.members[group_key][:1]
    present(session, members, leader)
    if quorum:
        return services.session_hold(by=leader, session=session)
    return services.session_fail(by=leader, session=session)


def _year():
    return today().year


def test_target_for_a_period_is_the_share_of_the_year():
    assert target_for_period(4, date(2026, 1, 1), date(2026, 12, 31)) == 4
    assert float(target_for_period(4, date(2026, 1, 1), date(2026, 3, 31))) == pytest.approx(
        0.9863, abs=1e-4
    )


def test_sessions_against_target_counts_held_meetings_only(org, leader_a1):
    start = date(_year(), 1, 1)
    _meeting(org, leader_a1, "A1", start)
    _meeting(org, leader_a1, "A1", start + timedelta(days=1), quorum=False)
    values = metrics.values(
        "congresses.sessions_against_target",
        group_ids=[org.A1.pk, org.A2.pk],
        start=start,
        end=date(_year(), 12, 31),
    )
    assert values == {org.A1.pk: 0.25, org.A2.pk: 0.0}


def test_sessions_against_target_is_at_most_one(org, leader_a1):
    start = date(_year(), 1, 1)
    for i in range(3):
        _meeting(org, leader_a1, "A1", start + timedelta(days=i))
    values = metrics.values(
        "congresses.sessions_against_target",
        group_ids=[org.A1.pk],
        start=start,
        end=date(_year(), 3, 31),
    )
    assert values == {org.A1.pk: 1.0}


def _close(item, owner, raiser, completed_on):
    rectifications.rectification_report(
        rectification=item,
        by=owner,
        report="已完成",
        evidence_files=[files.jpeg()],
        completed_on=completed_on,
    )
    rectifications.rectification_close(
        rectification=Rectification.objects.get(pk=item.pk), by=raiser
    )


@pytest.fixture
def resolutions(org, ws_a, hq, leader_a1, approved):
    """Workshop union A's congress resolved two things due this year (one closed on time,
    one still open); A1's meeting one thing, closed late."""
    present(approved, org.members["A1"] + org.members["A2"], ws_a)
    services.session_hold(by=ws_a, session=approved, held_on=today())
    due = today()
    first = services.resolution_add(
        by=ws_a, session=approved, text="一", owner_department="机电组", due_on=due
    )
    services.resolution_add(
        by=ws_a, session=approved, text="二", owner_department="机电组", due_on=due
    )
    meeting = _meeting(org, leader_a1, "A1", today())
    own = services.resolution_add(
        by=leader_a1,
        session=meeting,
        text="三",
        owner_department="运行一班",
        due_on=due - timedelta(days=3),
    )
    items = {i.source_id: i for i in Rectification.objects.all()}
    _close(items[first.pk], ws_a, ws_a, due)
    _close(items[own.pk], leader_a1, leader_a1, due)  # completed after its due date
    return items


def test_resolutions_on_time_of_a_group_counts_its_own_and_its_workshops(org, resolutions):
    year = _year()
    values = metrics.values(
        "congresses.resolutions_on_time",
        group_ids=[org.A1.pk, org.A2.pk, org.B1.pk],
        start=date(year, 1, 1),
        end=date(year, 12, 31),
    )
    # A1: 1 on time of 3 (two of the congress, its own late one); A2: 1 of 2; B1: none due
    assert values == {org.A1.pk: pytest.approx(0.3333, abs=1e-4), org.A2.pk: 0.5}


def test_resolutions_on_time_of_the_workshop_union(org, resolutions):
    year = _year()
    metric = metrics.get("congresses.workshop_resolutions_on_time")
    assert metric.per_workshop
    found = metric.compute(
        workshop_ids=[org.a.pk, org.b.pk], start=date(year, 1, 1), end=date(year, 12, 31)
    )
    assert found == {org.a.pk: pytest.approx(0.3333, abs=1e-4)}


def test_workshop_year_figures(org, resolutions):
    figures = selectors.workshop_year_figures(year=_year(), workshop_ids=[org.a.pk, org.b.pk])
    assert figures[org.a.pk] == {
        "sessions_held": 1,
        "sessions_target": 2,
        "resolutions_due": 3,
        "resolutions_closed_on_time": 1,
    }
    assert figures[org.b.pk] == {
        "sessions_held": 0,
        "sessions_target": 2,
        "resolutions_due": 0,
        "resolutions_closed_on_time": 0,
    }
    assert set(selectors.workshop_year_figures(year=_year())) == {org.a.pk}
    assert (
        selectors.workshop_year_figures(year=_year() - 1, workshop_ids=[org.a.pk])[org.a.pk][
            "sessions_held"
        ]
        == 0
    )


def test_workshop_sessions_against_target(org, resolutions):
    metric = metrics.get("congresses.workshop_sessions_against_target")
    year = _year()
    found = metric.compute(
        workshop_ids=[org.a.pk, org.b.pk], start=date(year, 1, 1), end=date(year, 12, 31)
    )
    assert found == {org.a.pk: 0.5, org.b.pk: 0.0}


def test_the_figures_run_a_fixed_number_of_queries(org, resolutions, django_assert_num_queries):
    year = _year()
    span = {"start": date(year, 1, 1), "end": date(year, 12, 31)}
    for ids in ([org.A1.pk], [g.pk for g in org.groups.values()]):
        with django_assert_num_queries(2):  # the rules; the meetings held
            metrics.values("congresses.sessions_against_target", group_ids=ids, **span)
        with django_assert_num_queries(2):  # the groups' workshop unions; the items
            metrics.values("congresses.resolutions_on_time", group_ids=ids, **span)
