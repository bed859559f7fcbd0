"""Every section of the binder filled, read back from the PDF: a year plan held and not
held (with its reason), a meeting with minutes, a report with its sign-in photo, care, a
case, an assessment with its survey, a title — and the same queries at two sizes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import MonthlyReport, ReportAttachment, ReportFileKind
from binders import services
from caretasks.models import CareOccasion, CareTask, TaskStatus
from congresses.models import Level, Session, SessionStatus
from homes.models import CreationPlan, HomeTitle, PlanStatus
from plans.models import MonthPlan, PlannedActivity
from scoring import services as scoring_services
from scoring.models import AssessmentPeriod
from tests.factories import ActivityFactory, MemberFactory, accepted_home, area, leader_user
from welfare.models import AccessLog, CareVisit, CaseType, WelfareCase

from .conftest import SECRET_REASON, YEAR, jpeg, year_of_records
from .test_binder import pdf_text

pytestmark = pytest.mark.django_db

NOT_HELD_REASON = "暴雨停工改期"


def fill(org, hq, *, n=1, first=3):
    """Every section of A1's year, `n` rows of each (months from `first`)."""
    group = org.A1
    if not CreationPlan.objects.filter(group=group, year=YEAR).exists():
        CreationPlan.objects.create(
            group=group, year=YEAR, rules="制度", status=PlanStatus.APPROVED, filed_by=hq
        )
    for i in range(n):
        month = first + i
        activity = ActivityFactory(
            group=group, title=f"读书会{i}", held_on=date(YEAR, month, 8), recorded_by=hq
        )
        common = {"group": group, "year": YEAR, "area": area(), "created_by": hq}
        PlannedActivity.objects.create(
            month=date(YEAR, month, 1),
            planned_on=date(YEAR, month, 8),
            title=f"计划读书{i}",
            activity=activity,
            **common,
        )
        PlannedActivity.objects.create(
            month=date(YEAR, month, 1),
            planned_on=date(YEAR, month, 20),
            title=f"计划登山{i}",
            reason_not_held=NOT_HELD_REASON,
            **common,
        )
        MonthPlan.objects.create(
            group=group, month=date(YEAR, month, 1), arrangements=f"本月安排{i}", updated_by=hq
        )
        Session.objects.create(
            level=Level.GROUP,
            workshop=group.workshop,
            group=group,
            title=f"班组民主会{i}",
            planned_on=date(YEAR, month, 12),
            held_on=date(YEAR, month, 12),
            agenda="议程",
            status=SessionStatus.HELD,
            expected_count=3,
            present_count=3,
            minutes=f"会议记录正文{i}",
            created_by=hq,
        )
        report, _ = MonthlyReport.objects.get_or_create(group=group, month=date(YEAR, month, 1))
        sign_in = ReportAttachment(
            report=report,
            kind=ReportFileKind.SIGNIN,
            original_name=f"签到表{i}.jpg",
            file_type="image",
            mime="image/jpeg",
            size=1,
            uploaded_by=hq,
        )
        sign_in.file.save("signin.jpg", ContentFile(jpeg()), save=False)
        sign_in.save()
        member = group.members.all()[i % 3]
        visit = CareVisit.objects.create(
            member=member,
            group=group,
            kind="birthday",
            visited_on=date(YEAR, month, 2),
            visitors="组长",
            recorded_by=hq,
        )
        CareTask.objects.create(
            group=group,
            member=member,
            occasion=CareOccasion.objects.get(code="birthday"),
            for_date=date(YEAR, month, 2),
            due_on=date(YEAR, month, 2),
            status=TaskStatus.DONE,
            visit=visit,
        )


@pytest.fixture
def assessed(org, hq):
    accepted_home(org.A1)
    HomeTitle.objects.create(
        group=org.A1,
        level="advanced",
        year=YEAR,
        certificate_no="XJ-2025-009",
        named_on=date(YEAR, 12, 20),
    )
    period = AssessmentPeriod.objects.create(
        name="2025年度考核", start=date(YEAR, 1, 1), end=date(YEAR, 12, 31)
    )
    scoring_services.ballots_issue(period=period, group=org.A1, by=hq)
    scoring_services.score_compute(period=period, by=hq)
    return period


def test_every_section_is_printed(org, hq, assessed):
    fill(org, hq)
    text = pdf_text(services.group_binder_pdf(group=org.A1, year=YEAR, reader=hq))
    for expected in (
        "计划读书0",
        "计划登山0",
        NOT_HELD_REASON,  # the reason a planned activity was not held
        "本月安排0",  # the month's arrangements
        "会议记录正文0",
        "签到表0.jpg",  # the sign-in sheet under its report
        "XJ-2025-009",  # the title
        "2025年度考核",  # the assessment
    ):
        assert expected in text, expected


def test_post_holders_are_not_named_to_a_reader_who_may_not_see_members(org, hq, evaluator):
    from groups.models import GroupPost

    holder = org.members["A1"][0]
    GroupPost.objects.create(group=org.A1, member=holder, post="leader", since=date(YEAR, 1, 1))
    text = pdf_text(services.group_binder_pdf(group=org.A1, year=YEAR, reader=evaluator))
    assert holder.name not in text
    text = pdf_text(services.group_binder_pdf(group=org.A1, year=YEAR, reader=hq))
    assert holder.name in text


def test_no_amount_for_a_reader_not_entitled(org, case_a1, leader_a1):
    case_a1.amount_approved = Decimal("3000")
    case_a1.save()
    text = pdf_text(services.group_binder_pdf(group=org.A1, year=YEAR, reader=leader_a1))
    assert case_a1.number in text
    assert "3,000" not in text and "3000.00" not in text and "3000" not in text


def test_a_leader_who_filed_a_case_sees_its_details_and_is_logged(org):
    leader = leader_user(org.A1)
    case = WelfareCase.objects.create(
        number="K2025-0002",
        member=org.members["A1"][1],
        case_type=CaseType.objects.filter(needs_medical_bills=False).first(),
        applied_on=date(YEAR, 4, 5),
        filed_by=leader,
        reason=SECRET_REASON,
        amount_requested=Decimal("3000"),
    )
    built = services.build_group_binder(group=org.A1, year=YEAR, reader=leader)
    assert SECRET_REASON in pdf_text(built.pdf)
    assert AccessLog.objects.get().target == case.number


def test_the_survey_counts_are_withheld_below_the_minimum_turnout(org, hq, assessed):
    from binders.selectors import group_binder

    binder = group_binder(group=org.A1, year=YEAR, reader=hq)
    assert binder.survey is not None
    assert binder.survey.turnout[0] == 0
    assert not binder.survey.shown and binder.survey.rows == []


def test_the_build_runs_the_same_queries_with_every_section_filled(org, hq, assessed, case_a1):
    def count():
        with CaptureQueriesContext(connection) as queries:
            services.group_binder_pdf(group=org.A1, year=YEAR, reader=hq)
        return [q["sql"][:150] for q in queries]

    count()
    fill(org, hq, n=1)
    small = count()
    fill(org, hq, n=3, first=6)
    year_of_records(org.A1, hq, per_month=1, photos=1)
    MemberFactory.create_batch(3, group=org.A1)
    large = count()
    assert len(large) == len(small), "\n".join(small)
