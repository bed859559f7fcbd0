"""What a group's 台账 binder holds for a year, read through each app's own rules.

Every section is read with the reader's scope (`restrict(reader)`): a section the reader
may not read says so instead of its rows. Each section costs a fixed number of queries
whatever the group's data (prefetched), so a year of a busy group builds as fast as a
quiet one.
"""

from __future__ import annotations

import base64
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from accounts.scoping import VIEW, allows
from activities.models import Attachment, MonthlyReport, ReportAttachment, ReportFileKind
from activities.selectors import group_activities
from caretasks.models import CareTask, TaskStatus
from congresses.models import Level as CongressLevel
from congresses.models import Session, SessionStatus
from groups.models import GroupPost, Member, MemberStatus, UnionGroup
from homes.models import CreationPlan, HomeEvent, HomeTitle
from plans.selectors import year_plan as plans_year_plan
from scoring.models import (
    AssessmentPeriod,
    Ballot,
    GroupResult,
    Subject,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
)
from scoring.selectors import card_rows, run_for, waivers_of
from unionhome import identity
from unionhome.uploads import thumbnail
from welfare.models import DETAILS, CareVisit, WelfareCase

logger = logging.getLogger(__name__)

# A photo goes into the binder at most this wide or high (px): sharp on A4 at the size
# it is printed, small enough that a year of photos keeps the PDF light.
PHOTO_SIZE = 800


@dataclass
class Photo:
    name: str
    data_uri: str


@dataclass
class MonthSection:
    """A month of the binder: the activities the group held or took part in, and, when
    the year plan is within reach, its planned items held (with their activity) and not
    held (with the reason given), the activities no item is tied to, and the month's
    arrangements (plans.MonthPlan)."""

    month: date
    activities: list = field(default_factory=list)
    held: list = field(default_factory=list)
    not_held: list = field(default_factory=list)
    ahead: list = field(default_factory=list)
    unplanned: list = field(default_factory=list)
    arrangements: object = None
    planned: bool = False  # the year plan is within reach


@dataclass
class WelfareRow:
    case: WelfareCase
    details: bool


@dataclass
class SurveyTally:
    turnout: tuple[int, int]  # ballots used, ballots issued
    answers: int
    # [(question text, [count per choice])]; empty when the counts are withheld
    rows: list
    choices: list
    min_turnout: object  # the rubric's survey_min_turnout (%)
    shown: bool  # the turnout reached the rubric's minimum: per-question counts shown


@dataclass
class Binder:
    organisation: str
    group: UnionGroup
    year: int
    title: HomeTitle | None
    titles: list
    events: list
    posts: list
    members: list | None  # None: the reader may not read the member list
    member_count: int
    plan: CreationPlan | None
    plan_measures: list  # [(content area name, text)]
    year_plan: object  # plans.selectors.year_plan(...), once offered
    months: list[MonthSection]
    minutes: list  # report files of kind "minutes"
    meetings: list  # the group's democratic meetings with their minutes
    visits: list | None
    tasks: list | None
    welfare: list[WelfareRow] | None
    reports: list | None
    period: AssessmentPeriod | None
    result: GroupResult | None
    criteria: list
    survey: SurveyTally | None
    can_see_members: bool = False

    @property
    def has_welfare_details(self) -> bool:
        return any(row.details for row in self.welfare or ())

    @property
    def detailed_cases(self) -> list[WelfareCase]:
        return [row.case for row in self.welfare or () if row.details]


def year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def title_in(titles, year: int):
    """The title the group held in the year: the latest named by the year's end and not
    ended before the year began."""
    for title in titles:  # newest first
        if title.named_on.year <= year and (title.ended_on is None or title.ended_on.year >= year):
            return title
    return None


def photo_data_uri(attachment) -> str | None:
    """The attachment's picture as a JPEG data URI at most PHOTO_SIZE px: the stored
    thumbnail when there is one, else the original downscaled (turned upright, a
    transparent background made white: unionhome.uploads.thumbnail). Never fetched over
    HTTP."""
    try:
        if attachment.thumbnail:
            with attachment.thumbnail.open("rb") as handle:
                data = handle.read()
        else:
            with attachment.file.open("rb") as handle:
                data = thumbnail(handle, (PHOTO_SIZE, PHOTO_SIZE)).read()
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        logger.warning("binder: photo %s could not be read", attachment.pk)
        return None
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")


def _activities(group, start, end):
    """The group's activities of the year with their photos (one query each): its own
    and those held above the group that it took part in. Participants: the group's own
    members only (an activity above the group counts each group's part)."""
    images = Attachment.objects.filter(kind="image").order_by("pk")
    return list(
        group_activities([group.pk], start, end)
        .annotate(
            participant_count=Count(
                "participants", filter=Q(participants__group=group), distinct=True
            )
        )
        .prefetch_related(Prefetch("attachments", queryset=images, to_attr="images"))
        .order_by("held_on", "pk")
    )


def _months(year, activities, year_plan, today=None) -> list[MonthSection]:
    """The twelve months: activities with their photos and, from the year plan already
    read (no query), planned against held as plans.selectors.month_summary says it."""
    today = today or timezone.localdate()
    months = [MonthSection(date(year, m, 1)) for m in range(1, 13)]
    for activity in activities:
        activity.binder_photos = [
            Photo(image.original_name, uri)
            for image in activity.images
            if (uri := photo_data_uri(image)) is not None
        ]
        months[activity.held_on.month - 1].activities.append(activity)
    if year_plan is None:
        return months
    tied = {item.activity_id for item in year_plan.items if item.is_held}
    this_month = today.replace(day=1)
    for section, plan_month in zip(months, year_plan.months, strict=True):
        section.planned = True
        section.arrangements = plan_month.arrangements
        for item in plan_month.items:
            if item.is_held:
                section.held.append(item)
            elif item.reason_not_held or item.month < this_month:
                section.not_held.append(item)
            else:
                section.ahead.append(item)
        section.unplanned = [a for a in section.activities if a.pk not in tied]
    return months


def _reports(group, start, end, reader):
    """The year's monthly reports with their files (the sign-in sheet, the minutes,
    other papers); pictures go in downscaled, documents are named."""
    if not MonthlyReport.objects.may(reader, VIEW):
        return None, []
    files = ReportAttachment.objects.order_by("pk")
    reports = list(
        MonthlyReport.objects.restrict(reader, VIEW)
        .filter(group=group, month__gte=start, month__lte=end)
        .prefetch_related(Prefetch("files", queryset=files, to_attr="binder_files"))
        .order_by("month")
    )
    minutes = []
    for report in reports:
        for file in report.binder_files:
            file.binder_photo = photo_data_uri(file) if file.is_image else None
            if file.kind == ReportFileKind.MINUTES:
                file.binder_report = report
                minutes.append(file)
    return reports, minutes


def _welfare(group, start, end, reader) -> list[WelfareRow] | None:
    """The year's cases of the group's members the reader may see exist; the details
    (type, amounts, reasons) only of those the welfare rules show the reader."""
    if not WelfareCase.objects.may(reader, VIEW):
        return None
    cases = (
        WelfareCase.objects.restrict(reader, VIEW)
        .filter(member__group=group, applied_on__gte=start, applied_on__lte=end)
        .select_related("member__group", "case_type")
        .order_by("applied_on", "pk")
    )
    return [WelfareRow(case, allows(reader, DETAILS, case)) for case in cases]


def _assessment(group, year, reader):
    """The year's latest assessment of groups the reader has a run of: its result for
    the group with the criteria (bonus, deductions, adjustments and HQ's 不适用 as the
    scorecard shows them), and the survey's tally."""
    periods = (
        AssessmentPeriod.objects.restrict(reader, VIEW)
        .filter(subject=Subject.GROUPS, end__year=year)
        .select_related("rubric")
        .order_by("-end", "-pk")
    )
    for period in periods:
        run = run_for(reader, period)
        if run is not None:
            break
    else:
        return None, None, [], None
    result = GroupResult.objects.filter(run=run, group=group).first()
    criteria = card_rows(run, result, None, waivers_of(period, group)) if result else []
    return period, result, criteria, _survey(period, group)


def _survey(period, group) -> SurveyTally | None:
    """The group's survey tally. Per question counts only when the ballots used reach
    the rubric's minimum turnout (survey_min_turnout, HQ's setting): below it the survey
    does not count, and in a small group the counts could tell who answered what."""
    issued = Ballot.objects.filter(period=period, group=group, voided=False).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used=True))
    )
    answers = SurveyAnswer.objects.filter(period=period, group=group)
    if not issued["issued"]:
        return None
    minimum = period.rubric.survey_min_turnout
    shown = issued["used"] * 100 >= minimum * issued["issued"] and issued["used"] > 0
    rows, choices, answered = [], [], 0
    if shown:
        ballots = list(answers.values_list("answers", flat=True))
        answered = len(ballots)
        questions = list(SurveyQuestion.objects.filter(version=period.rubric_id))
        choices = list(SurveyChoice.objects.filter(version=period.rubric_id))
        counts = {q.code: Counter() for q in questions}
        for ballot in ballots:
            for code, choice in ballot.items():
                counts.setdefault(code, Counter())[choice] += 1
        rows = [
            (question.text, [counts[question.code].get(choice.code, 0) for choice in choices])
            for question in questions
        ]
    else:
        answered = answers.count()
    return SurveyTally(
        turnout=(issued["used"], issued["issued"]),
        answers=answered,
        rows=rows,
        choices=choices,
        min_turnout=minimum,
        shown=shown,
    )


def group_binder(*, group, year: int, reader) -> Binder:
    """Everything the group's binder for `year` shows to `reader`. The caller has found
    the group within the reader's reach (UnionGroup.objects.restrict)."""
    start, end = year_span(year)
    group = UnionGroup.objects.select_related("workshop").get(pk=group.pk)
    titles = list(
        HomeTitle.objects.restrict(reader, VIEW)
        .filter(group=group)
        .select_related("document")
        .order_by("-named_on", "-pk")
    )
    events = list(
        HomeEvent.objects.filter(group=group, at__year=year).select_related("by").order_by("at")
    )
    # As the group's page decides it (groups.selectors.group_detail): the holders of the
    # posts are named only to a reader who may see the group's members.
    can_see_members = allows(reader, VIEW, Member(group=group))
    posts = list(GroupPost.objects.filter(group=group).select_related("member"))
    member_rows = Member.objects.filter(group=group, status=MemberStatus.ACTIVE)
    member_count = member_rows.count()
    members = None
    if can_see_members:
        members = list(
            member_rows.restrict(reader, VIEW)
            .order_by("employee_no")
            .only("name", "employee_no", "gender", "position", "group_id")
        )
    plan = CreationPlan.objects.restrict(reader, VIEW).filter(group=group, year=year).first()
    # The plans app's year plan (goals and planned activities by month) of a plan in reach.
    year_plan = plans_year_plan(group, year) if plan is not None else None
    plan_measures = [(area.name, text) for area, text in year_plan.goals] if year_plan else []
    months = _months(year, _activities(group, start, end), year_plan)
    reports, minutes = _reports(group, start, end, reader)
    meetings = list(
        Session.objects.restrict(reader, VIEW)
        .filter(
            level=CongressLevel.GROUP,
            group=group,
            status=SessionStatus.HELD,
            held_on__gte=start,
            held_on__lte=end,
        )
        .order_by("held_on", "pk")
    )
    visits = tasks = None
    if CareVisit.objects.may(reader, VIEW):
        visits = list(
            CareVisit.objects.restrict(reader, VIEW)
            .filter(group=group, visited_on__gte=start, visited_on__lte=end)
            .select_related("member")
            .order_by("visited_on", "pk")
        )
    if CareTask.objects.may(reader, VIEW):
        tasks = list(
            CareTask.objects.restrict(reader, VIEW)
            .filter(group=group, status=TaskStatus.DONE, for_date__gte=start, for_date__lte=end)
            .select_related("member", "occasion", "visit")
            .order_by("for_date", "pk")
        )
    period, result, criteria, survey = _assessment(group, year, reader)
    return Binder(
        organisation=identity.identity().name,
        group=group,
        year=year,
        title=title_in(titles, year),
        titles=titles,
        events=events,
        posts=posts,
        members=members,
        member_count=member_count,
        plan=plan,
        plan_measures=plan_measures,
        year_plan=year_plan,
        months=months,
        minutes=minutes,
        meetings=meetings,
        visits=visits,
        tasks=tasks,
        welfare=_welfare(group, start, end, reader),
        reports=reports,
        period=period,
        result=result,
        criteria=criteria,
        survey=survey,
        can_see_members=can_see_members,
    )
