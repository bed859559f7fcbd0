"""What the learning pages, the other apps and the scoring figures read. Each selector runs
a fixed number of queries however many members, groups or records it covers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from accounts.scoping import VIEW
from groups.models import GroupMembership, Member, MemberStatus

from .models import (
    WITH_HOURS,
    Competition,
    CompetitionResult,
    LearningRecord,
    LearningSettings,
    Lesson,
    Mechanism,
)

ZERO = Decimal("0")


def year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@dataclass
class LearningFigures:
    """One member's learning of a year: hours (lessons and training), weekly lessons
    attended, books read, training courses, certificates gained, competition results and
    awards (by the competition's last day)."""

    hours: Decimal = ZERO
    lessons: int = 0
    books: int = 0
    trainings: int = 0
    certificates: int = 0
    results: int = 0
    awards: list[str] = field(default_factory=list)

    @property
    def award_count(self) -> int:
        return len(self.awards)


def _add_records(figures: dict, rows, key: str) -> None:
    for row in rows:
        found = figures.get(row[key])
        if found is None:
            continue
        mechanism, count, hours = row["kind__mechanism"], row["n"], row["hours"] or ZERO
        if mechanism in WITH_HOURS:
            found.hours += hours
        if mechanism == Mechanism.LESSON:
            found.lessons += count
        elif mechanism == Mechanism.BOOK:
            found.books += count
        elif mechanism == Mechanism.TRAINING:
            found.trainings += count
        elif mechanism == Mechanism.CERTIFICATE:
            found.certificates += count


def member_learning(
    member_ids, year: int, *, user=None, group_id=None
) -> dict[int, LearningFigures]:
    """{member id: LearningFigures} of the year for each member asked about (two queries).
    With `user`, only the records and results that user reads count (the figures then add
    up to the lines on the member's page); with `group_id`, only those recorded for that
    group (a group's page counts what its members did while in it)."""
    ids = sorted(set(member_ids))
    start, end = year_span(year)
    figures = {pk: LearningFigures() for pk in ids}
    if not ids:
        return figures
    records, results = LearningRecord.objects.all(), CompetitionResult.objects.all()
    if user is not None:
        records, results = records.restrict(user, VIEW), results.restrict(user, VIEW)
    if group_id is not None:
        records, results = records.filter(group_id=group_id), results.filter(group_id=group_id)
    rows = (
        records.filter(member_id__in=ids, on__gte=start, on__lte=end)
        .values("member_id", "kind__mechanism")
        .annotate(n=Count("pk"), hours=Sum("hours"))
        .order_by()
    )
    _add_records(figures, rows, "member_id")
    for member_id, award in (
        results.filter(
            member_id__in=ids, competition__ends_on__gte=start, competition__ends_on__lte=end
        )
        .order_by("competition__ends_on", "award__sort_order")
        .values_list("member_id", "award__name")
    ):
        found = figures[member_id]
        found.results += 1
        if award:
            found.awards.append(award)
    return figures


@dataclass
class GroupFigures:
    """A group's learning over a span: its members on the span's last day (or today), and
    its records' totals."""

    members: int = 0
    hours: Decimal = ZERO
    lessons_held: int = 0
    books: int = 0
    certificates: int = 0
    trainings: int = 0
    results: int = 0
    awards: int = 0
    award_points: Decimal = ZERO

    @property
    def hours_per_member(self) -> Decimal | None:
        return self.per_member(self.hours)

    @property
    def books_per_member(self) -> Decimal | None:
        return self.per_member(self.books)

    def per_member(self, value) -> Decimal | None:
        if not self.members:
            return None
        return (Decimal(value) / self.members).quantize(Decimal("0.01"))


def group_figures(group_ids, start: date, end: date) -> dict[int, GroupFigures]:
    """{group id: GroupFigures} over [start, end] (four queries). Records count for the
    group the member was in when they were recorded; results for the member's group then,
    by the competition's last day; members are the group's members on the span's last day
    (today, for a span not yet over), from the history of groups (GroupMembership)."""
    ids = sorted(set(group_ids))
    figures = {pk: GroupFigures() for pk in ids}
    if not ids:
        return figures
    day = min(end, timezone.localdate())
    for group_id, n in (
        GroupMembership.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day),
            group_id__in=ids,
            started_on__lte=day,
        )
        .values("group_id")
        .annotate(n=Count("member_id", distinct=True))
        .order_by()
        .values_list("group_id", "n")
    ):
        figures[group_id].members = n
    rows = (
        LearningRecord.objects.filter(group_id__in=ids, on__gte=start, on__lte=end)
        .values("group_id", "kind__mechanism")
        .annotate(n=Count("pk"), hours=Sum("hours"))
        .order_by()
    )
    for row in rows:
        found = figures[row["group_id"]]
        mechanism, count = row["kind__mechanism"], row["n"]
        if mechanism in WITH_HOURS:
            found.hours += row["hours"] or ZERO
        if mechanism == Mechanism.BOOK:
            found.books += count
        elif mechanism == Mechanism.CERTIFICATE:
            found.certificates += count
        elif mechanism == Mechanism.TRAINING:
            found.trainings += count
    for group_id, n in (
        Lesson.objects.filter(group_id__in=ids, held_on__gte=start, held_on__lte=end)
        .values("group_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("group_id", "n")
    ):
        figures[group_id].lessons_held = n
    for row in (
        CompetitionResult.objects.filter(
            group_id__in=ids, competition__ends_on__gte=start, competition__ends_on__lte=end
        )
        .values("group_id")
        .annotate(
            n=Count("pk"),
            awards=Count("pk", filter=Q(award__isnull=False)),
            points=Sum("award__points"),
        )
        .order_by()
    ):
        found = figures[row["group_id"]]
        found.results = row["n"]
        found.awards = row["awards"]
        found.award_points = row["points"] or ZERO
    return figures


@dataclass
class MemberLine:
    member: Member
    figures: LearningFigures
    met_target: bool


@dataclass
class GroupLearning:
    year: int
    target: int
    lines: list[MemberLine]
    lessons: list[Lesson]
    figures: GroupFigures
    # The year's records kept for the group of members no longer in it (moved or left):
    # they count for the group, so the group lists them and may take them back.
    former: list[LearningRecord] = field(default_factory=list)

    @property
    def met_target(self) -> int:
        return sum(1 for line in self.lines if line.met_target)


def group_learning(*, group, year: int) -> GroupLearning:
    """A group's learning page: each active member's figures of the year against the
    reading target (what they did while in the group), the weekly lessons the group held
    with how many were present, and the records of former members (seven queries)."""
    target = LearningSettings.current().books_per_year
    members = list(
        Member.objects.filter(group=group, status=MemberStatus.ACTIVE).order_by("employee_no")
    )
    learning = member_learning([m.pk for m in members], year, group_id=group.pk)
    start, end = year_span(year)
    lessons = list(
        Lesson.objects.filter(group=group, held_on__gte=start, held_on__lte=end)
        .annotate(present=Count("records"))
        .order_by("-held_on", "-pk")
    )
    lines = [MemberLine(m, learning[m.pk], learning[m.pk].books >= target) for m in members]
    former = list(
        LearningRecord.objects.filter(group=group, on__gte=start, on__lte=end, lesson__isnull=True)
        .exclude(member_id__in=[m.pk for m in members])
        .select_related("member", "kind")
        .order_by("-on", "-pk")
    )
    return GroupLearning(
        year=year,
        target=target,
        lines=lines,
        lessons=lessons,
        figures=group_figures([group.pk], start, end)[group.pk],
        former=former,
    )


def competition_list(*, user, kind=None, status: str = "", year: int | None = None):
    """The competitions the user reads, newest first, with their entries and awards."""
    found = (
        Competition.objects.restrict(user, VIEW)
        .select_related("kind", "workshop", "group")
        .annotate(
            entries=Count("results"),
            awarded=Count("results", filter=Q(results__award__isnull=False)),
        )
        .order_by("-starts_on", "-pk")
    )
    if kind is not None:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    if year:
        found = found.filter(starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1))
    return found


def competition_results(competition: Competition) -> list[CompetitionResult]:
    """Its results in order of rank (unranked last), each with member, group and award: all
    of them, for results are published to whoever reads the competition (see
    CompetitionResultQuerySet; the caller has checked the competition is read)."""
    return list(
        competition.results.select_related("member", "group", "award").order_by(
            F("rank").asc(nulls_last=True), F("score").desc(nulls_last=True), "member__employee_no"
        )
    )


def member_records(*, user, member: Member, year: int):
    """The member's learning records of the year and their competition results, as the
    user reads them (two queries)."""
    start, end = year_span(year)
    records = list(
        LearningRecord.objects.restrict(user, VIEW)
        .filter(member=member, on__gte=start, on__lte=end)
        .select_related("kind")
        .order_by("-on", "-pk")
    )
    results = list(
        CompetitionResult.objects.restrict(user, VIEW)
        .filter(member=member)
        .select_related("competition__kind", "award")
        .order_by("-competition__ends_on", "-pk")
    )
    return records, results
