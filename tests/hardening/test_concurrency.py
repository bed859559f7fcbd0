"""Two people acting on the same record at the same moment, each on their own database
connection: one wins, the other is told, and nothing is half-written.

These run against PostgreSQL (CI runs the suite there too): row locks and concurrent
connections are what they exercise. SQLite serialises every writer, so there they are
skipped at run time."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, connections

from activities import services as reports
from activities.models import MonthlyReport
from tests.factories import leader_user, workshop_user
from welfare import services as welfare
from welfare.models import CaseStatus, CaseType, WelfareCase
from welfare.services import cases as case_services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections are tested on PostgreSQL")


def race(*actions, hold=None):
    """Run each action in its own thread (own connection) from the same instant. `hold`
    (module, name) is slowed down inside the transaction so that the others must wait
    for its row lock. Returns each action's result or exception."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)
    original = getattr(*hold) if hold else None

    def slow(*args, **kwargs):
        value = original(*args, **kwargs)
        time.sleep(0.3)
        return value

    if hold:
        setattr(hold[0], hold[1], slow)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # the loser's refusal is what the test looks at
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        if hold:
            setattr(hold[0], hold[1], original)
    return results


def test_two_reviewers_of_one_report(org, hq):
    leader = leader_user(org.A1)
    report = reports.report_submit(
        group=org.A1, month=date(2026, 1, 1), by=leader, version=0, summary="本月小结"
    )
    workshop = workshop_user(org.a)
    seen = report.version
    results = race(
        lambda: reports.report_approve(report=report, by=workshop, version=seen),
        lambda: reports.report_return(report=report, by=hq, version=seen, reason="重写"),
        hold=(reports, "_locked_report"),
    )
    winners = [r for r in results if isinstance(r, MonthlyReport)]
    losers = [r for r in results if isinstance(r, reports.ConcurrentChange)]
    assert len(winners) == 1 and len(losers) == 1, results
    report.refresh_from_db()
    assert report.status == winners[0].status
    assert report.events.filter(action__in=["approved", "returned"]).count() == 1


def test_two_workshop_staff_on_one_welfare_case(org):
    from accounts.models import Role
    from tests.factories import UserFactory

    applicant = leader_user(org.A1)
    case = welfare.case_create(
        by=applicant,
        member=org.members["A1"][0],
        case_type=CaseType.objects.get(code="relief"),
        reason="房屋受灾",
        amount_requested="2000",
    )
    first, second = workshop_user(org.a), UserFactory(role=Role.HQ, handles_welfare=True)
    for requirement in case.case_type.requirements.all():  # papers before the review
        welfare.case_receive_paper(case=case, by=first, requirement=requirement)
    case.refresh_from_db()
    seen = case.version
    results = race(
        lambda: welfare.case_workshop_review(case=case, by=first, version=seen, approve=True),
        lambda: welfare.case_workshop_review(
            case=case, by=second, version=seen, approve=False, comment="不符合条件"
        ),
        hold=(case_services, "_locked"),
    )
    assert sum(isinstance(r, WelfareCase) for r in results) == 1, results
    assert sum(isinstance(r, welfare.ConcurrentChange) for r in results) == 1, results
    case.refresh_from_db()
    assert case.status in (CaseStatus.WORKSHOP_REVIEWED, CaseStatus.REJECTED)
    assert case.events.exclude(step__in=["applied", "checked"]).count() == 1


def test_two_first_saves_of_a_new_report_create_one(org):
    leader, other = leader_user(org.A1), leader_user(org.A1)
    results = race(
        lambda: reports.report_save(
            group=org.A1, month=date(2026, 2, 1), by=leader, version=0, summary="甲"
        ),
        lambda: reports.report_save(
            group=org.A1, month=date(2026, 2, 1), by=other, version=0, summary="乙"
        ),
    )
    assert MonthlyReport.objects.filter(group=org.A1, month=date(2026, 2, 1)).count() == 1
    assert sum(isinstance(r, MonthlyReport) for r in results) == 1, results
    assert sum(isinstance(r, reports.ConcurrentChange) for r in results) == 1, results


def test_two_hq_staff_publishing_at_once(org, hq):
    from accounts.models import Role
    from scoring import services as scoring
    from scoring.models import AssessmentPeriod
    from tests.factories import UserFactory

    period = AssessmentPeriod.objects.create(
        name="并发考核", start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    scoring.score_compute(period=period, by=hq)
    from scoring.completeness import completeness

    gaps = completeness(period).open
    if gaps:
        scoring.waivers_add(period=period, by=hq, keys=[g.key for g in gaps], reason="本期不考核")
    other = UserFactory(role=Role.HQ)
    results = race(
        lambda: scoring.score_publish(period=period, by=hq),
        lambda: scoring.score_publish(period=period, by=other),
    )
    from django.core.exceptions import ValidationError

    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert period.runs.filter(published_at__isnull=False).count() == 1
    assert MonthlyReport.objects.count() == 0


def test_two_imports_enrolling_the_same_new_employee_no(org, hq):
    """Both previews were clean; the first import to write the 工号 wins, the other is
    told and writes nothing (not even its other rows)."""
    import io

    from groups import imports
    from groups.models import Member
    from tests.spreadsheets import member_row, xlsx_bytes

    chair = workshop_user(org.a)

    def plan(by, *rows):
        sheet = imports.member_import_read(io.BytesIO(xlsx_bytes(list(rows))), "m.xlsx")
        return imports.member_import_plan(sheet=sheet, by=by)

    first = plan(hq, member_row("97001", name="甲"), member_row("97002", name="丙"))
    second = plan(chair, member_row("97001", name="乙", group="检修班"))
    assert first.ok and second.ok
    results = race(
        lambda: imports.member_import_apply(plan=first, by=hq),
        lambda: imports.member_import_apply(plan=second, by=chair),
        hold=(imports, "_apply"),
    )
    conflicts = [r for r in results if isinstance(r, imports.ImportConflict)]
    assert sum(isinstance(r, imports.ImportPlan) for r in results) == 1, results
    assert len(conflicts) == 1 and conflicts[0].numbers == ["97001"], results
    member = Member.objects.get(employee_no="97001")
    assert member.memberships.count() == 1
    # The loser wrote nothing: the first import's 97002 is there only if it won.
    assert Member.objects.filter(employee_no="97002").exists() == (member.name == "甲")
