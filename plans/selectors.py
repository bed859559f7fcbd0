"""What the plan pages, the monthly report and the binder read. Each selector runs a fixed
number of queries whatever the number of items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from activities.models import Activity, ContentArea, MonthlyReport, ReportStatus
from activities.periods import month_end, month_start
from groups.models import UnionGroup
from homes.models import CreationPlan

from .models import MonthPlan, PlannedActivity


@dataclass
class PlanMonth:
    month: date
    items: list = field(default_factory=list)
    arrangements: MonthPlan | None = None


@dataclass
class YearPlan:
    """A group's year plan: its creation plan (status, goals per content area) and its
    planned activities month by month."""

    group: UnionGroup
    year: int
    plan: CreationPlan
    goals: list  # [(ContentArea, text)]
    months: list  # [PlanMonth] January to December
    items: list

    @property
    def status(self) -> str:
        return self.plan.status

    def get_status_display(self) -> str:
        return self.plan.get_status_display()


def _items():
    return PlannedActivity.objects.select_related("area", "activity")


def _year_items(group: UnionGroup, year: int):
    return _items().filter(group=group, year=year).order_by("planned_on", "pk")


def _reported(group_ref, month_ref):
    """The group's monthly report of the month is submitted or approved."""
    return Exists(
        MonthlyReport.objects.filter(group=group_ref, month=month_ref).exclude(
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]
        )
    )


def year_plan(group: UnionGroup, year: int) -> YearPlan | None:
    """The group's year plan (any status), or None when it has no creation plan for the
    year. Three queries: the plan, its items, its monthly plans (content areas: one more)."""
    plan = CreationPlan.objects.filter(group=group, year=year).first()
    if plan is None:
        return None
    items = list(_year_items(group, year))
    arrangements = {
        m.month: m
        for m in MonthPlan.objects.filter(
            group=group, month__gte=date(year, 1, 1), month__lte=date(year, 12, 1)
        )
    }
    months = [PlanMonth(date(year, n, 1)) for n in range(1, 13)]
    for month in months:
        month.arrangements = arrangements.get(month.month)
    for item in items:
        months[item.month.month - 1].items.append(item)
    goals = [
        (area, plan.measures[area.code])
        for area in ContentArea.objects.all()
        if plan.measures.get(area.code)
    ]
    return YearPlan(group, year, plan, goals, months, items)


def plan_items(group: UnionGroup, year: int) -> list[PlannedActivity]:
    """The planned activities of a group's year, in date order (one query)."""
    return list(_year_items(group, year))


def with_steps(items, *, may_change: bool, plan: CreationPlan | None, today=None):
    """Mark each item with the steps the user may take on it: `editable` (change, remove)
    and `closable` (record it held, tie it, say not held). No query."""
    from . import services

    for item in items:
        item.editable = may_change and services.item_editable(item, plan)
        item.closable = may_change and services.item_closable(item, today) and not item.is_held
    return items


@dataclass
class MonthSummary:
    """A group's month: planned and held (each with its activity), planned and not held
    (each with its `.reason_not_held`, empty when none was given), planned and not yet
    recorded (`.ahead`: each with `.awaiting` when its day has passed in a month still
    open, 待登记), and the activities of the month the group took part in that none of its
    plan items is tied to."""

    group: UnionGroup
    month: date
    held: list
    not_held: list
    ahead: list
    unplanned: list
    arrangements: MonthPlan | None = None

    @property
    def planned_count(self) -> int:
        return len(self.held) + len(self.not_held) + len(self.ahead)

    @property
    def awaiting(self) -> list:
        return [item for item in self.ahead if item.awaiting]

    @property
    def is_empty(self) -> bool:
        return not (self.planned_count or self.unplanned or self.arrangements)


def month_summary(group: UnionGroup, month: date, *, today: date | None = None) -> MonthSummary:
    """Planned against held for the group's month. Three queries: the month's items with
    their activities, the month's activities no item claims, the month's arrangements.

    An item is held when tied to an activity that stands; not held when it has a reason, or
    its month is over (or its monthly report submitted) without a record; otherwise it is
    ahead, awaiting its record once its day has passed."""
    today = today or timezone.localdate()
    month = month_start(month)
    month_over = month < month_start(today)
    held, not_held, ahead = [], [], []
    items = (
        _items()
        .filter(group=group, month=month)
        .annotate(reported=_reported(OuterRef("group"), OuterRef("month")))
        .order_by("planned_on", "pk")
    )
    for item in items:
        item.awaiting = False
        if item.is_held:
            held.append(item)
        elif item.reason_not_held or month_over or item.reported:
            not_held.append(item)
        else:
            item.awaiting = item.planned_on < today
            ahead.append(item)
    unplanned = list(
        Activity.objects.alive()
        .of_groups([group.pk])
        .filter(held_on__gte=month, held_on__lte=month_end(month))
        .exclude(planned_as__group=group)
        .select_related("area")
        .order_by("held_on", "pk")
    )
    arrangements = MonthPlan.objects.filter(group=group, month=month).first()
    return MonthSummary(group, month, held, not_held, ahead, unplanned, arrangements)


@dataclass
class OverviewRow:
    group: UnionGroup
    plan: CreationPlan | None
    planned: int
    held: int
    not_held: int
    added: int


OVERVIEW_ORDER = ("workshop__sort_order", "workshop__code", "code")


def overview(*, groups, year: int, today: date | None = None):
    """Each group's year plan in figures: items planned, held, not held (a reason given, or
    its month over or reported without a record), added after approval: the groups with
    their counts, as a queryset (the plans page passes a page of groups); `overview_rows`
    gives them their creation plans."""
    today = today or timezone.localdate()
    in_year = Q(planned_activities__year=year)
    held = in_year & Q(
        planned_activities__activity__isnull=False,
        planned_activities__activity__deleted_at__isnull=True,
    )
    open_item = in_year & ~held
    rows = (
        groups.select_related("workshop")
        .annotate(
            n_planned=Count("planned_activities", filter=in_year),
            n_held=Count("planned_activities", filter=held),
            n_not_held=Count(
                "planned_activities",
                filter=open_item
                & (
                    ~Q(planned_activities__reason_not_held="")
                    | Q(planned_activities__month__lt=month_start(today))
                    | Q(
                        _reported(
                            OuterRef("planned_activities__group"),
                            OuterRef("planned_activities__month"),
                        )
                    )
                ),
            ),
            n_added=Count(
                "planned_activities",
                filter=in_year & Q(planned_activities__added_after_approval=True),
            ),
        )
        .order_by(*OVERVIEW_ORDER)
    )
    return rows


def overview_rows(groups, year: int) -> list[OverviewRow]:
    """`overview`'s groups as rows with their creation plans (two queries)."""
    rows = list(groups)
    plans = {
        p.group_id: p
        for p in CreationPlan.objects.filter(group__in=[g.pk for g in rows], year=year)
    }
    return [
        OverviewRow(g, plans.get(g.pk), g.n_planned, g.n_held, g.n_not_held, g.n_added)
        for g in rows
    ]


def due_tomorrow(*, group_ids, today: date | None = None) -> list[PlannedActivity]:
    """The planned activities of these groups set for tomorrow and not yet held or called
    off (tied to no activity, or to one deleted since): their leaders are reminded the day
    before (one query)."""
    tomorrow = (today or timezone.localdate()) + timedelta(days=1)
    return list(
        PlannedActivity.objects.filter(
            Q(activity__isnull=True) | Q(activity__deleted_at__isnull=False),
            group_id__in=sorted(group_ids),
            planned_on=tomorrow,
            reason_not_held="",
        ).order_by("group_id", "pk")
    )
