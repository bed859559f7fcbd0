"""The figures of the home pages and the annual summary, computed once in one place so
that the dashboard, the summary page and its workbook always agree. Each is read through
the selectors the apps offer, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone, translation

from accounts.scoping import VIEW, scope_key
from activities.periods import month_start, previous_month
from activities.selectors import activity_year, overdue_counts, report_rows
from activities.summaries import organisation_year, reaches_organisation, year_span
from groups.models import UnionGroup, WorkshopUnion
from groups.selectors import groups_with_counts, org_tree
from homes.selectors import pipeline, year_for
from membership.selectors import enrolment_rates
from scoring.selectors import latest_assessment, top_ten
from unionhome.identity import identity
from welfare.selectors import welfare_year

from .cache import cached


def _rate(part, whole):
    return part / whole if whole else None


@dataclass
class WorkshopRow:
    workshop: object
    groups: int = 0
    homes: int = 0
    members: int = 0
    participants: int = 0
    activities: int = 0
    overdue_reports: int = 0
    cases_waiting: int = 0
    paid: object = None
    payment_days: object = None  # median days from application to payment
    visits: int = 0
    reviews_due: int = 0
    rates: object = None

    @property
    def coverage(self):
        return _rate(self.homes, self.groups)

    @property
    def participation(self):
        return _rate(self.participants, self.members)


@dataclass
class Overview:
    """Where home-building stands for the user's part of the organisation in a year."""

    year: int
    start: date
    end: date
    tree: object
    activities: object
    welfare: object
    assessment: object
    overdue: dict  # {workshop id: monthly reports overdue}
    homes: object  # the 小家 pipeline of the year, with its targets
    rows: list = field(default_factory=list)
    # 入会率 per workshop union, by each one's latest month of employee counts
    enrolment: object = None
    # The whole organisation's activity figures come from the summary tables: when they
    # were counted, and whether a newer change is still being counted (SummaryState).
    summary: object = None

    @property
    def coverage(self):
        return self.tree.coverage

    @property
    def members(self):
        return self.tree.member_count

    @property
    def overdue_total(self):
        return sum(self.overdue.values())

    @property
    def participants(self):
        return sum(self.activities.participants.values())

    @property
    def participation(self):
        return _rate(self.participants, self.members)

    def tree_groups(self):
        """The groups of a workshop union's overview (the organisation's lists none)."""
        return [g for branch in self.tree.branches for g in branch.groups]


def overview(*, user, year: int, workshop_id=None) -> Overview:
    """Cached until the counted records change (dashboard/cache.py). The key holds all
    that decides what this user may see: their roles, places and welfare entitlement."""
    parts = (
        scope_key(user),
        year,
        workshop_id,
        timezone.localdate(),
        translation.get_language(),
    )
    return cached(
        "overview", parts, lambda: _overview(user=user, year=year, workshop_id=workshop_id)
    )


def _overview(*, user, year: int, workshop_id=None) -> Overview:
    start, end = year_span(year)
    # One workshop union's page lists its groups; the organisation's only counts them.
    tree = org_tree(user=user, groups=bool(workshop_id))
    if workshop_id:
        tree.branches = [b for b in tree.branches if b.workshop.pk == workshop_id]
    summary = None
    if workshop_id is None and reaches_organisation(user):
        activities, summary = organisation_year(year)
    else:
        activities = activity_year(user=user, start=start, end=end, workshop_id=workshop_id)
    welfare = welfare_year(user=user, start=start, end=end, workshop_id=workshop_id)
    # A workshop union's home lists each group's level; the organisation's only rates.
    assessment = latest_assessment(user=user, with_results=bool(workshop_id))
    overdue = overdue_counts(user=user, workshop_id=workshop_id)
    homes = pipeline(user=user, year=year_for(year))
    if workshop_id:
        homes.rows = [r for r in homes.rows if r.workshop.pk == workshop_id]
        homes.total = homes.rows[0] if homes.rows else homes.total
    figures = Overview(year, start, end, tree, activities, welfare, assessment, overdue, homes)
    figures.summary = summary
    figures.enrolment = enrolment_rates(user=user, workshop_id=workshop_id)
    for branch in tree.branches:
        wid = branch.workshop.pk
        figures.rows.append(
            WorkshopRow(
                workshop=branch.workshop,
                groups=branch.group_count,
                homes=branch.home_count,
                members=branch.member_count,
                participants=activities.participants.get(wid, 0),
                activities=activities.per_workshop.get(wid, 0),
                overdue_reports=overdue.get(wid, 0),
                cases_waiting=welfare.waiting_per_workshop.get(wid, 0),
                paid=welfare.paid_per_workshop.get(wid, 0)
                if welfare.paid_total is not None
                else None,
                payment_days=welfare.payment_days_per_workshop.get(wid),
                visits=welfare.visits_per_workshop.get(wid, 0),
                reviews_due=welfare.reviews_due_per_workshop.get(wid, 0),
                rates=assessment.per_workshop.get(wid),
            )
        )
    return figures


@dataclass
class GroupRow:
    group: object
    due_report: object  # last month's report row (the one due)
    current_report: object
    activities: int
    participation: float | None
    result: object  # latest published GroupResult or None


def workshop_groups(*, user, overview_: Overview) -> list[GroupRow]:
    """A workshop union's table of its groups: reports, activities, participation, level."""
    from activities.selectors import compile_figures

    this_month = month_start(timezone.localdate())
    due_month = previous_month(this_month)
    due = {r.group.pk: r for r in report_rows(user=user, month=due_month)}
    current = {r.group.pk: r for r in report_rows(user=user, month=this_month)}
    groups = [g for branch in overview_.tree.branches for g in branch.groups]
    figures = compile_figures(
        group_ids=[g.pk for g in groups],
        start=overview_.start,
        end=overview_.end,
        day=overview_.end,
    )
    return [
        GroupRow(
            g,
            due.get(g.pk),
            current.get(g.pk),
            figures[g.pk]["activities"],
            figures[g.pk]["participation_rate"],
            overview_.assessment.by_group.get(g.pk),
        )
        for g in groups
    ]


@dataclass
class AnnualSummary:
    """The year's 建家工作总结 for the organisation or one workshop union."""

    year: int
    scope_name: str
    overview: Overview
    assessment: object  # LatestAssessment of a period ending in the year, or empty
    titles: list  # the titles named in the year
    top_ten: list
    groups: list  # the register: every active group with its members and 小家
    group_count: int  # the groups the register holds (listed or not)


def annual_summary(*, user, year: int, workshop=None, register: bool = True) -> AnnualSummary:
    """`register=False` leaves the register's rows out (the whole organisation's printed
    summary: thousands of groups belong in the workbook, not on paper)."""

    from homes.models import HomeTitle
    from scoring.selectors import LatestAssessment

    overview_ = overview(user=user, year=year, workshop_id=workshop.pk if workshop else None)
    # Every group's result only for the register's levels; without it the rates are
    # counted in SQL and only the top ten are read.
    assessment = latest_assessment(user=user, before=date(year, 12, 31), with_results=register)
    if assessment.period is None or assessment.period.end.year != year:
        assessment = LatestAssessment()
    if register:
        top = [r for r in assessment.results if r.top_ten]
    else:
        top = top_ten(user=user, run=assessment.run) if assessment.run else []
    if workshop is not None:
        top = [r for r in top if r.group.workshop_id == workshop.pk]
    # The groups of the overview's tree: active, in a workshop union the user sees.
    in_tree = Q(is_active=True, workshop__in=WorkshopUnion.objects.restrict(user, VIEW))
    if workshop is not None:
        in_tree &= Q(workshop=workshop)
    groups = groups_with_counts(user=user, leaders=False).filter(in_tree)
    titles = HomeTitle.objects.restrict(user, VIEW).filter(
        year=year, group__in=UnionGroup.objects.restrict(user, VIEW).filter(in_tree)
    )
    titles = titles.select_related("group__workshop", "document").order_by(
        "-level", "group__workshop__sort_order", "group__code"
    )
    return AnnualSummary(
        year=year,
        scope_name=workshop.name if workshop else identity().name,
        overview=overview_,
        assessment=assessment,
        titles=list(titles),
        top_ten=top,
        groups=list(groups) if register else [],
        group_count=overview_.tree.group_count,
    )
