"""What the activity and monthly report pages show, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, FilteredRelation, Func, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.scoping import VIEW, scoped_object_or_404
from groups.models import GroupMembership, UnionGroup
from unionhome import metrics

from .filters import ActivityFilter
from .models import (
    ABOVE_GROUP,
    REVIEW,
    Activity,
    ActivityGroup,
    ActivityLevel,
    Attachment,
    ContentArea,
    MonthlyReport,
    Participation,
    ReportAttachment,
    ReportEvent,
    ReportStatus,
)
from .periods import (
    counting_day,
    first_owed_month,
    month_end,
    owing_since_before,
    recent_months,
    report_deadline,
)


def _count_of(queryset):
    """A correlated count: computed for the rows on the page only, and dropped from the
    paginator's COUNT(*), which a GROUP BY join would make scan every row's relations."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values("activity_id")
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        ),
        0,
    )


def group_activities(group_ids, start: date, end: date):
    """The live activities of the span held by the groups, or held above the group with
    members of theirs taking part, oldest first (each activity once). Not scoped: the
    caller has found the groups in the reader's reach."""
    return (
        Activity.objects.alive()
        .of_groups(group_ids)
        .filter(held_on__gte=start, held_on__lte=end)
        .select_related("group", "host_workshop", "area")
        .order_by("held_on", "pk")
    )


def _counted_rows(group_ids, start: date, end: date, *fields):
    """One row per (group, activity) counted for the group in the span: a group's own
    activity in its group, an activity above the group once in each group that took
    part. `fields` are read through the activity. One query (a UNION)."""
    own = (
        Activity.objects.alive()
        .filter(level=ActivityLevel.GROUP, group_id__in=group_ids)
        .in_period(start, end)
        .order_by()
        .values_list("group_id", "pk", *fields)
    )
    above = (
        ActivityGroup.objects.filter(
            group_id__in=group_ids,
            activity__level__in=ABOVE_GROUP,
            activity__deleted_at__isnull=True,
            activity__held_on__gte=start,
            activity__held_on__lte=end,
        )
        .order_by()
        .values_list("group_id", "activity_id", *[f"activity__{f}" for f in fields])
    )
    return own.union(above, all=True)


def activity_list(*, user, params=None) -> ActivityFilter:
    """The activities the user can see, narrowed by the list's filters (its `.qs`), with
    their counts, newest first."""
    activities = (
        Activity.objects.restrict(user, VIEW)
        .select_related("group__workshop", "host_workshop", "area")
        .annotate(
            participant_count=_count_of(Participation.objects.filter(activity=OuterRef("pk"))),
            photo_count=_count_of(Attachment.objects.filter(activity=OuterRef("pk"), kind="image")),
        )
        .order_by("-held_on", "-pk")
    )
    return ActivityFilter(params, queryset=activities, user=user)


def activity_detail(*, user, pk: int) -> Activity:
    return scoped_object_or_404(
        Activity.objects.select_related(
            "group__workshop", "host_workshop", "area", "recorded_by"
        ).prefetch_related(
            "kinds",
            Prefetch("group_links", queryset=ActivityGroup.objects.select_related("group")),
            Prefetch("participants", queryset=_participant_queryset()),
            Prefetch("attachments", queryset=Attachment.objects.order_by("kind", "pk")),
        ),
        user,
        VIEW,
        pk=pk,
    )


def participants_shown(*, user, activity: Activity) -> list[tuple]:
    """The activity's participants as the user may see them: (member, named, reached).
    A member of the activity's group is named to whoever reads the activity; one of
    another group only to those whose reach holds that member (VIEW on Member). The others
    show as "a member of another group", with neither name, number nor group: typing
    employee numbers as participants never tells a group leader whose they are. The
    employee no. only to those who reach the member. No query: the participants are
    prefetched with their groups. An activity above the group names the members of the
    reader's own groups too."""
    from groups.models import Member

    # Above the group, the members of the reader's own groups are named as in their own
    # group's activity.
    own_groups = Activity.objects.scope(user, VIEW).group_ids if activity.is_above_group else set()
    shown = []
    for member in activity.participants.all():
        reached = Member.objects.allows(user, VIEW, member)
        named = reached or member.group_id == activity.group_id or member.group_id in own_groups
        shown.append((member, named, reached))
    return shown


def groups_shown(*, user, activity: Activity) -> tuple[list, int]:
    """(groups named, how many more) of the groups that took part in an activity above the
    group: those in the reader's reach are named, the others only counted. No query: the
    links are prefetched with their groups."""
    scope = Activity.objects.scope(user, VIEW)
    named, others = [], 0
    for link in activity.group_links.all():
        group = link.group
        if (
            scope.everything
            or group.pk in scope.group_ids
            or group.workshop_id in scope.workshop_ids
        ):
            named.append(group)
        else:
            others += 1
    return named, others


def _participant_queryset():
    from groups.models import Member

    return Member.objects.select_related("group").order_by("employee_no")


def members_counted(*, group_ids, day: date) -> dict[int, set[int]]:
    """The members of each group on `day`, from the history of groups (who was in it then)."""
    rows = GroupMembership.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=day),
        group_id__in=group_ids,
        started_on__lte=day,
    ).values_list("group_id", "member_id")
    members: dict[int, set[int]] = {gid: set() for gid in group_ids}
    for group_id, member_id in rows:
        members[group_id].add(member_id)
    return members


def compile_figures(*, group_ids, start: date, end: date, day: date) -> dict[int, dict]:
    """The figures of a period for each group, as the monthly report shows them.

    - activities: records held in the period, in total and per content area; an
      activity above the group counts once in each group that took part;
    - participants: distinct members who took part (members of other groups included in
      the group's own activities; in one above the group, the group's own members);
    - members: the group's members on `day` (see counting_day);
    - participation rate (参与率): distinct members of the group who took part / members;
    - guests: non-members counted on the records;
    - care visits: from the welfare records, when that app is installed.
    Five queries whatever the number of groups.
    """
    group_ids = list(group_ids)
    areas = list(ContentArea.objects.all())
    per_area: dict[int, dict[int, int]] = {gid: {} for gid in group_ids}
    totals = {gid: {"activities": 0, "guests": 0} for gid in group_ids}
    for group_id, _activity_id, area_id, level, guests in _counted_rows(
        group_ids, start, end, "area_id", "level", "guests_count"
    ):
        per_area[group_id][area_id] = per_area[group_id].get(area_id, 0) + 1
        totals[group_id]["activities"] += 1
        # Guests are the holder's: a group's own activity's, never spread over the
        # groups taking part in one above them.
        if level == ActivityLevel.GROUP:
            totals[group_id]["guests"] += guests or 0
    takers: dict[int, set[int]] = {gid: set() for gid in group_ids}
    own = Participation.objects.filter(
        activity__level=ActivityLevel.GROUP,
        activity__group_id__in=group_ids,
        activity__deleted_at__isnull=True,
        activity__held_on__gte=start,
        activity__held_on__lte=end,
    ).values_list("activity__group_id", "member_id")
    # Above the group, a member takes part for the group they were in on the day only.
    above = Participation.objects.filter(
        activity__level__in=ABOVE_GROUP,
        activity__deleted_at__isnull=True,
        activity__held_on__gte=start,
        activity__held_on__lte=end,
        group_id__in=group_ids,
    ).values_list("group_id", "member_id")
    for group_id, member_id in own.union(above):
        takers[group_id].add(member_id)
    members = members_counted(group_ids=group_ids, day=day)
    visits = metrics.values("welfare.care_visits", group_ids=group_ids, start=start, end=end)

    figures = {}
    for gid in group_ids:
        own = takers[gid] & members[gid]
        counted = len(members[gid])
        figures[gid] = {
            "period": [start.isoformat(), end.isoformat()],
            "counted_on": day.isoformat(),
            "activities": totals[gid]["activities"],
            "areas": [
                {"code": area.code, "name": area.name, "count": per_area[gid].get(area.pk, 0)}
                for area in areas
                if area.is_active or per_area[gid].get(area.pk)
            ],
            "areas_covered": sum(1 for n in per_area[gid].values() if n),
            "participants": len(takers[gid]),
            "own_participants": len(own),
            "members": counted,
            "participation_rate": round(len(own) / counted, 4) if counted else None,
            "guests": totals[gid]["guests"],
            "care_visits": visits.get(gid, 0) if visits is not None else None,
        }
    return figures


def month_figures(*, group_ids, month: date) -> dict[int, dict]:
    return compile_figures(
        group_ids=group_ids, start=month, end=month_end(month), day=counting_day(month)
    )


@dataclass
class ReportRow:
    """One group's report for one month, whether or not it has been started."""

    group: UnionGroup
    month: date
    report: MonthlyReport | None

    @property
    def status(self) -> str | None:
        return self.report.status if self.report else None

    @property
    def deadline(self) -> date:
        return report_deadline(self.month)

    @property
    def is_in(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

    @property
    def is_owed(self) -> bool:
        return self.month >= first_owed_month(self.group.created_at)

    @property
    def is_overdue(self) -> bool:
        return self.is_owed and not self.is_in and timezone.localdate() > self.deadline

    @property
    def on_time(self) -> bool | None:
        if self.report is None or self.report.first_submitted_at is None:
            return None
        submitted = timezone.localtime(self.report.first_submitted_at).date()
        return submitted <= self.deadline


def report_rows(*, user, month: date, workshop_id=None, group_id=None) -> list[ReportRow]:
    """Every group the user can see, with its report for `month` (two queries)."""
    groups = (
        UnionGroup.objects.restrict(user, VIEW).filter(is_active=True).select_related("workshop")
    )
    if workshop_id:
        groups = groups.filter(workshop_id=workshop_id)
    if group_id:
        groups = groups.filter(pk=group_id)
    return with_reports(groups, month)


def with_reports(groups, month: date) -> list[ReportRow]:
    """`groups` (a queryset or a list) with their report for `month`: a ReportRow each,
    in their order (two queries for a queryset, one for a list)."""
    reports = {
        r.group_id: r
        for r in MonthlyReport.objects.filter(group__in=groups, month=month).select_related(
            "submitted_by", "reviewed_by"
        )
    }
    return [ReportRow(g, month, reports.get(g.pk)) for g in groups]


HANDED_IN = {ReportStatus.SUBMITTED, ReportStatus.APPROVED}


def _overdue_scope(*, user, months: int, workshop_id, group_id=None):
    """The active groups in reach (a queryset) and the months already past their deadline."""
    groups = UnionGroup.objects.restrict(user, VIEW).filter(is_active=True)
    if workshop_id:
        groups = groups.filter(workshop_id=workshop_id)
    if group_id:
        groups = groups.filter(pk=group_id)
    today = timezone.localdate()
    return groups, [m for m in recent_months(months) if today > report_deadline(m)]


def overdue_rows(*, user, months: int = 12, workshop_id=None, group_id=None) -> list[ReportRow]:
    """Reports past their deadline and not submitted, over the last `months` months.
    Two queries; only the months' submitted reports are read, and only their keys."""
    groups, window = _overdue_scope(
        user=user, months=months, workshop_id=workshop_id, group_id=group_id
    )
    if not window:
        return []
    reports = {
        (group_id, month): status
        for group_id, month, status in MonthlyReport.objects.filter(
            group__in=groups.values("pk"), month__gte=window[-1], month__lte=window[0]
        ).values_list("group_id", "month", "status")
    }
    groups = list(groups.select_related("workshop"))
    rows = []
    for month in window:
        for group in groups:
            status = reports.get((group.pk, month))
            if status not in HANDED_IN and month >= first_owed_month(group.created_at):
                report = MonthlyReport(group=group, month=month, status=status) if status else None
                rows.append(ReportRow(group, month, report))
    return rows


def overdue_counts(*, user, months: int = 12, workshop_id=None) -> dict:
    """{workshop id: reports overdue} for the same reports as `overdue_rows`, counted in
    SQL without a row per report: per workshop union, the months its groups owe less the
    owed months they handed in. Two queries, whatever the number of groups."""
    groups, window = _overdue_scope(user=user, months=months, workshop_id=workshop_id)
    if not window:
        return {}
    owed = {
        f"m{i}": Count("pk", filter=Q(created_at__lt=owing_since_before(month)))
        for i, month in enumerate(window)
    }
    counts: dict = {}
    for row in groups.order_by().values("workshop_id").annotate(**owed):
        counts[row["workshop_id"]] = sum(row[name] for name in owed)
    handed_in = {
        f"m{i}": Count("pk", filter=Q(month=month, group__created_at__lt=owing_since_before(month)))
        for i, month in enumerate(window)
    }
    for row in (
        MonthlyReport.objects.filter(
            group__in=groups.values("pk"),
            month__gte=window[-1],
            month__lte=window[0],
            status__in=HANDED_IN,
        )
        .order_by()
        .values("group__workshop_id")
        .annotate(**handed_in)
    ):
        # .get: a group moved to another workshop union between the two queries.
        workshop = row["group__workshop_id"]
        counts[workshop] = counts.get(workshop, 0) - sum(row[name] for name in handed_in)
    return {w: n for w, n in counts.items() if n > 0}


@dataclass
class MonthTable:
    """The monthly report list of one month: how many of the groups in reach stand at each
    status (and how many are overdue), and the groups the chosen status shows, to page."""

    counts: dict
    groups: object  # a UnionGroup queryset
    listed: int  # how many groups it holds

    def rows(self, groups, month) -> list[ReportRow]:
        """A page of `groups` with their reports (one query)."""
        return with_reports(list(groups), month)


NOT_HANDED_IN = [ReportStatus.DRAFT, ReportStatus.RETURNED]


def month_table(*, user, month: date, workshop_id=None, status=None) -> MonthTable:
    """The active groups in reach with their report for `month`, counted per status in one
    query; `status` (a ReportStatus, "missing" or "overdue") narrows the groups listed."""
    groups = UnionGroup.objects.restrict(user, VIEW).filter(is_active=True)
    if workshop_id:
        groups = groups.filter(workshop_id=workshop_id)
    groups = groups.annotate(
        report=FilteredRelation("monthly_reports", condition=Q(monthly_reports__month=month))
    )
    shown = {s: Q(report__status=s) for s in ReportStatus.values}
    shown["missing"] = Q(report__isnull=True)
    if timezone.localdate() > report_deadline(month):
        shown["overdue"] = Q(created_at__lt=owing_since_before(month)) & (
            Q(report__isnull=True) | Q(report__status__in=NOT_HANDED_IN)
        )
    counts = groups.aggregate(**{name: Count("pk", filter=q) for name, q in shown.items()})
    counts.setdefault("overdue", 0)
    listed = sum(counts[s] for s in [*ReportStatus.values, "missing"])
    if status == "overdue" and "overdue" not in shown:
        groups, listed = groups.none(), 0
    elif status in shown:
        groups, listed = groups.filter(shown[status]), counts[status]
    # The groups' own order (Meta.ordering), stated where the page is cut.
    groups = groups.select_related("workshop").order_by(*UnionGroup._meta.ordering)
    return MonthTable(counts, groups, listed)


def report_for(*, user, group_pk: int, month: date):
    """The group (its reports in the user's reach) and its report for the month, if one has
    been started."""
    group = get_object_or_404(
        MonthlyReport.objects.groups_in_reach(user, VIEW).select_related("workshop"), pk=group_pk
    )
    report = (
        MonthlyReport.objects.restrict(user, VIEW)
        .filter(group=group, month=month)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related(
            Prefetch("events", queryset=ReportEvent.objects.select_related("by")),
            Prefetch("files", queryset=ReportAttachment.objects.order_by("kind", "pk")),
        )
        .first()
    )
    return group, report


def reports_to_review(user):
    """The submitted reports waiting for `user`'s review: in their reach, not their own
    submissions. The to-do list counts these; the review list shows exactly these."""
    return (
        MonthlyReport.objects.restrict(user, REVIEW)
        .filter(status=ReportStatus.SUBMITTED)
        .exclude(submitted_by=user)
    )


def returned_reports(*, user, group) -> list[MonthlyReport]:
    """The group's reports sent back by the reviewer and not yet resubmitted, oldest
    first: the leader's first thing to do."""
    return list(
        MonthlyReport.objects.restrict(user, VIEW)
        .filter(group=group, status=ReportStatus.RETURNED)
        .select_related("reviewed_by")
        .order_by("month")
    )


def month_activities(*, group, month: date):
    """The group's activities of the month, with those above the group it took part in.
    `participant_count` is the group's: all who took part in its own activity, its own
    participants (on the day) in one above the group."""
    counted = Participation.objects.filter(activity=OuterRef("pk")).filter(
        Q(activity__level=ActivityLevel.GROUP) | Q(group_id=group.pk)
    )
    return list(
        group_activities([group.pk], month, month_end(month)).annotate(
            participant_count=_count_of(counted)
        )
    )


@dataclass
class ActivityYear:
    """Activities of a span in the user's reach: per content area, per month, per
    workshop union, and who took part (distinct members still in the union)."""

    areas: list  # [(area, count)]
    months: list  # [(first day of month, count)]
    per_workshop: dict  # {workshop id: count}
    participants: dict  # {workshop id: distinct members who took part}
    total: int


def activity_year(*, user, start: date, end: date, workshop_id=None) -> ActivityYear:
    """Five queries whatever the size of the organisation."""
    from groups.models import Member, MemberStatus

    activities = Activity.objects.restrict(user, VIEW).in_period(start, end)
    # Who took part: in every activity of the reach, or (one workshop union) in the
    # activities counted for it, as the organisation view and the participation page do.
    taken_in = activities
    if workshop_id:
        taken_in = activities.of_workshops([workshop_id])
        activities = activities.filter(
            Q(group__workshop_id=workshop_id) | Q(host_workshop_id=workshop_id)
        )
    members = Member.objects.restrict(user, VIEW).filter(status=MemberStatus.ACTIVE)
    if workshop_id:
        members = members.filter(group__workshop_id=workshop_id)
    return count_activity_year(
        activities=activities, taken_in=taken_in, members=members, start=start, end=end
    )


def activity_areas(*, user, start: date, end: date) -> list:
    """`activity_year(...).areas` alone: the user's activities of a span per content area
    (two queries: the counts, the areas), for a page that shows nothing else of the year."""
    by_area = dict(
        Activity.objects.restrict(user, VIEW)
        .in_period(start, end)
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
        .values_list("area", "n")
    )
    return assemble_activity_year(
        by_area=by_area,
        by_month={},
        per_workshop={},
        participants={},
        total=sum(by_area.values()),
        start=start,
        end=end,
    ).areas


def organisation_activity_year(*, start: date, end: date) -> ActivityYear:
    """The whole organisation's year, counted as `activity_year` counts it for those who
    reach everything: the dashboard's summary tables are filled from it."""
    from groups.models import Member, MemberStatus

    activities = Activity.objects.alive().in_period(start, end)
    return count_activity_year(
        activities=activities,
        taken_in=activities,
        members=Member.objects.filter(status=MemberStatus.ACTIVE),
        start=start,
        end=end,
    )


def count_activity_year(*, activities, taken_in, members, start: date, end: date) -> ActivityYear:
    """The counting rule of a span, on querysets already limited to a reach."""
    by_area = dict(
        activities.order_by().values("area").annotate(n=Count("pk")).values_list("area", "n")
    )
    # Counted per day and bucketed here: truncating to the month in SQL is a Python
    # function per row on SQLite, and a year has at most 366 days.
    by_month: dict = {}
    for day, n in (
        activities.order_by().values("held_on").annotate(n=Count("pk")).values_list("held_on", "n")
    ):
        by_month[day.replace(day=1)] = by_month.get(day.replace(day=1), 0) + n
    # A group's activity counts in its workshop union, a workshop union's in that union;
    # HQ's activities are in the total only (each activity once).
    per_workshop = dict(
        activities.order_by()
        .annotate(workshop=Coalesce("group__workshop", "host_workshop"))
        .values("workshop")
        .annotate(n=Count("pk"))
        .values_list("workshop", "n")
    )
    took_part = dict(
        members.filter(
            pk__in=Participation.objects.filter(activity__in=taken_in).values("member_id")
        )
        .order_by()
        .values("group__workshop")
        .annotate(n=Count("pk"))
        .values_list("group__workshop", "n")
    )
    total = sum(per_workshop.values())
    per_workshop.pop(None, None)
    return assemble_activity_year(
        by_area=by_area,
        by_month=by_month,
        per_workshop=per_workshop,
        participants=took_part,
        total=total,
        start=start,
        end=end,
    )


def assemble_activity_year(
    *, by_area: dict, by_month: dict, per_workshop, participants, total, start, end
) -> ActivityYear:
    """An ActivityYear from its counts (by area id, by first day of month), with every
    active content area and every month of the span listed (one query: the areas)."""
    areas = [
        (area, by_area.get(area.pk, 0))
        for area in ContentArea.objects.all()
        if area.is_active or by_area.get(area.pk)
    ]
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append((month, by_month.get(month, 0)))
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return ActivityYear(areas, months, per_workshop, participants, total)
