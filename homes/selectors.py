"""What the 小家 creation pages show, each read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.scoping import VIEW, scoped_object_or_404
from groups.models import (
    ACCEPTED_STAGES,
    LEVEL_ORDER,
    STAGE_ORDER,
    HomeStage,
    UnionGroup,
    WorkshopUnion,
)
from unionhome.params import year_param

from .filters import DeclarationFilter, HomeGroupFilter, PlanFilter
from .models import (
    CreationPlan,
    CreationYear,
    Declaration,
    HomeEvent,
    HomeTitle,
    Inspection,
    InspectionPanel,
    Notice,
    Objection,
)


def years():
    return list(CreationYear.objects.all())


def year_for(value) -> CreationYear | None:
    """The creation year asked for (?year=), else this year's, else the latest one."""
    found = list(CreationYear.objects.all())
    if not found:
        return None
    by_year = {y.year: y for y in found}
    if year_param(value) in by_year:
        return by_year[year_param(value)]
    return by_year.get(timezone.localdate().year, found[0])


# The pipeline ----------------------------------------------------------------------------


def _rate(part, whole):
    return part / whole if whole else None


@dataclass
class PipelineRow:
    workshop: WorkshopUnion
    stages: dict = field(default_factory=dict)  # {stage: groups}
    titles: dict = field(default_factory=dict)  # {level: groups}
    groups: int = 0
    accepted: int = 0  # holding a 小家: accepted, or named and perhaps aiming higher
    not_started: int = 0

    def add(self, stage: str, level: str, count: int) -> None:
        self.groups += count
        self.stages[stage] = self.stages.get(stage, 0) + count
        if level:
            self.titles[level] = self.titles.get(level, 0) + count
        if level or stage in ACCEPTED_STAGES:
            self.accepted += count
        elif stage == HomeStage.NOT_STARTED:
            self.not_started += count

    @property
    def cells(self):
        return [(stage, self.stages.get(stage, 0)) for stage in STAGE_ORDER]

    @property
    def title_cells(self):
        return [(level, self.titles.get(level, 0)) for level in LEVEL_ORDER]

    @property
    def named(self) -> int:
        return sum(self.titles.values())

    @property
    def building(self) -> int:
        """Planned, declared, recommended or being inspected, without a 小家 yet."""
        return self.groups - self.accepted - self.not_started

    @property
    def coverage(self):
        return _rate(self.accepted, self.groups)

    def level_rate(self, level: str):
        """The named small homes at this title or above, over those named."""
        at_least = LEVEL_ORDER[LEVEL_ORDER.index(level) :]
        return _rate(sum(self.titles.get(lv, 0) for lv in at_least), self.named)

    @property
    def qualified_rate(self):
        return self.level_rate(LEVEL_ORDER[0])

    @property
    def advanced_rate(self):
        return self.level_rate(LEVEL_ORDER[1])

    @property
    def model_rate(self):
        return self.level_rate(LEVEL_ORDER[2])


@dataclass
class Pipeline:
    year: CreationYear | None
    rows: list
    total: PipelineRow
    stages: list = field(default_factory=lambda: list(HomeStage))

    @property
    def targets(self) -> dict:
        """The year's targets as rates (0–1), beside the actual figures."""
        if self.year is None:
            return {}
        return {
            name: getattr(self.year, f"{name}_target") / Decimal(100)
            for name in ("coverage", "qualified", "advanced", "model")
        }


def pipeline(*, user, year: CreationYear | None) -> Pipeline:
    """The groups at each stage of their 小家, per workshop union in the user's reach, the
    titles they hold, and the year's targets beside the actual figures. Two queries.

    A group holding a title that is working towards a higher one counts as accepted (it
    holds a 小家) and shows at the stage of its current declaration."""
    workshops = list(WorkshopUnion.objects.restrict(user, VIEW))
    rows = {w.pk: PipelineRow(w) for w in workshops}
    total = PipelineRow(workshop=None)
    counts = (
        UnionGroup.objects.restrict(user, VIEW)
        .filter(is_active=True)
        .order_by()
        .values_list("workshop", "home_stage", "home_level")
        .annotate(n=Count("pk"))
    )
    for workshop_id, stage, level, n in counts:
        if workshop_id in rows:
            rows[workshop_id].add(stage, level, n)
            total.add(stage, level, n)
    return Pipeline(year, [r for r in rows.values() if r.groups], total)


def home_groups(*, user, params=None) -> HomeGroupFilter:
    """The groups behind a cell of the pipeline: at a stage, holding a title, in a workshop."""
    groups = (
        UnionGroup.objects.restrict(user, VIEW)
        .filter(is_active=True)
        .select_related("workshop")
        .order_by("workshop__sort_order", "workshop__code", "sort_order", "code")
    )
    return HomeGroupFilter(params, queryset=groups, user=user)


# One group's 小家 ------------------------------------------------------------------------


@dataclass
class GroupHome:
    group: UnionGroup
    plans: list
    declarations: list
    titles: list
    events: list


def group_home(*, user, pk: int) -> GroupHome:
    """A group's plans, declarations, titles and steps. Five queries."""
    group = get_object_or_404(
        Declaration.objects.groups_in_reach(user, VIEW).select_related("workshop"), pk=pk
    )
    plans = list(CreationPlan.objects.restrict(user, VIEW).filter(group=group).order_by("-year"))
    declarations = list(
        Declaration.objects.restrict(user, VIEW)
        .filter(group=group)
        .select_related("year", "panel")
        .order_by("-year__year", "kind")
    )
    titles = list(
        HomeTitle.objects.restrict(user, VIEW).filter(group=group).select_related("document")
    )
    events = list(
        HomeEvent.objects.filter(group=group).select_related("by").order_by("-at", "-pk")[:100]
    )
    return GroupHome(group, plans, declarations, titles, events)


def plan_detail(*, user, pk: int) -> CreationPlan:
    return scoped_object_or_404(
        CreationPlan.objects.select_related("group__workshop", "filed_by", "reviewed_by"),
        user,
        VIEW,
        pk=pk,
    )


def plan_list(*, user, params=None) -> PlanFilter:
    plans = (
        CreationPlan.objects.restrict(user, VIEW)
        .select_related("group__workshop", "filed_by")
        .order_by("-year", "group__workshop__sort_order", "group__code")
    )
    return PlanFilter(params, queryset=plans, user=user)


def declaration_detail(*, user, pk: int) -> Declaration:
    return scoped_object_or_404(
        Declaration.objects.select_related(
            "group__workshop", "year", "plan", "panel__leader", "signed_off_by", "created_by"
        ).prefetch_related(
            "files",
            "panel__members",
            Prefetch(
                "inspections",
                queryset=Inspection.objects.restrict(user, VIEW)
                .select_related("inspector")
                .prefetch_related("photos"),
            ),
            Prefetch("events", queryset=HomeEvent.objects.select_related("by")),
        ),
        user,
        VIEW,
        pk=pk,
    )


def declaration_list(*, user, params=None) -> DeclarationFilter:
    declarations = (
        Declaration.objects.restrict(user, VIEW)
        .select_related("group__workshop", "year", "panel")
        .order_by("-year__year", "group__workshop__sort_order", "group__code", "kind")
    )
    return DeclarationFilter(params, queryset=declarations, user=user)


# Panels and notices ----------------------------------------------------------------------


def panel_list(*, user, year: CreationYear | None):
    """The year's panels: all of them for HQ, those the user sits on for the others."""
    panels = (
        InspectionPanel.objects.restrict(user, VIEW)
        .filter(year=year)
        .select_related("leader", "year")
    )
    return list(
        panels.prefetch_related(
            "members",
            Prefetch(
                "declarations",
                queryset=Declaration.objects.select_related("group__workshop").annotate(
                    submitted=Count("inspections__submitted_at")
                ),
            ),
        )
    )


def panel_detail(*, user, pk: int) -> InspectionPanel:
    return get_object_or_404(
        InspectionPanel.objects.restrict(user, VIEW)
        .select_related("leader", "year")
        .prefetch_related(
            "members",
            Prefetch(
                "declarations",
                queryset=Declaration.objects.select_related("group__workshop").annotate(
                    submitted=Count("inspections__submitted_at")
                ),
            ),
        ),
        pk=pk,
    )


def notice_list(*, user):
    return list(
        Notice.objects.restrict(user, VIEW)
        .select_related("year")
        .annotate(homes=Count("declarations", distinct=True))
    )


def notice_detail(*, user, pk: int) -> Notice:
    return scoped_object_or_404(
        Notice.objects.select_related("year", "published_by").prefetch_related(
            Prefetch(
                "declarations",
                queryset=Declaration.objects.select_related("group__workshop").order_by(
                    "group__workshop__sort_order", "group__code"
                ),
            ),
            "namings",
        ),
        user,
        VIEW,
        pk=pk,
    )


def objections_of(*, user, notice: Notice):
    """The objections the user may read: all for HQ, their own for everybody else."""
    return list(
        Objection.objects.restrict(user, VIEW)
        .filter(notice=notice)
        .select_related("declaration__group", "filed_by", "answered_by")
    )


def title_detail(*, user, pk: int) -> HomeTitle:
    return scoped_object_or_404(
        HomeTitle.objects.select_related("group__workshop", "document"), user, VIEW, pk=pk
    )
