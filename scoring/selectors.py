"""What the assessment pages show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from accounts.scoping import VIEW, allows
from groups.models import Member, MemberStatus
from unionhome.params import id_param

from .filters import RankingFilter
from .models import (
    LEVEL_ORDER,
    SEE_DRAFTS,
    AdjustmentItem,
    AssessmentPeriod,
    Ballot,
    GroupResult,
    Level,
    ManualScore,
    PeriodStatus,
    ScoreRun,
    Subject,
    Waiver,
    WaiverKind,
    WorkshopResult,
)


def period_list(*, user):
    """The periods the user may open, newest first, with their runs."""
    return AssessmentPeriod.objects.restrict(user, VIEW).prefetch_related("runs")


def runs_for(user, period: AssessmentPeriod):
    """The runs of a period the user may read: every version for those who see results
    before publication (HQ, the period's evaluators), else the published ones."""
    runs = period.runs.all()
    if not allows(user, SEE_DRAFTS, period):
        runs = runs.filter(published_at__isnull=False)
    return runs


def run_for(user, period: AssessmentPeriod, version: str | None = None) -> ScoreRun | None:
    """The run a user reads: the chosen version, else the latest published one (HQ and the
    period's evaluators also see an unpublished latest run)."""
    runs = runs_for(user, period)
    if id_param(version):
        return runs.filter(version=id_param(version)).first()
    return runs.order_by("-version").first()


def latest_published_run(period: AssessmentPeriod) -> ScoreRun | None:
    return period.runs.filter(published_at__isnull=False).order_by("-version").first()


@dataclass
class Rates:
    """合格率 / 先进率 / 模范率: among the rated groups (an accepted 小家), the share at that
    level or above (模范 counts as 先进 too). Groups not rated are counted apart."""

    name: str = ""
    groups: int = 0
    unrated: int = 0
    by_level: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, level: str, count: int = 1) -> None:
        if not level:
            self.unrated += count
            return
        self.groups += count
        self.by_level[level] += count

    def at_least(self, level: str) -> int:
        index = LEVEL_ORDER.index(level)
        return sum(self.by_level[lv] for lv in LEVEL_ORDER[index:])

    def rate(self, level: str) -> float | None:
        return self.at_least(level) / self.groups if self.groups else None

    @property
    def qualified_rate(self):
        return self.rate(Level.QUALIFIED)

    @property
    def advanced_rate(self):
        return self.rate(Level.ADVANCED)

    @property
    def model_rate(self):
        return self.rate(Level.MODEL)


def rates(results) -> tuple[Rates, list[Rates]]:
    """Overall and per workshop union, from results with their group and workshop loaded."""
    overall = Rates()
    per_workshop: dict[int, Rates] = {}
    for result in results:
        overall.add(result.level)
        workshop = result.group.workshop
        per_workshop.setdefault(workshop.pk, Rates(name=workshop.name)).add(result.level)
    return overall, list(per_workshop.values())


@dataclass
class Ranking:
    results: list  # every result in the user's reach (the rates count them all)
    shown: object  # those the filters leave (a queryset, paged by the view)
    overall: Rates
    per_workshop: list
    filter: RankingFilter


def ranking(*, user, run: ScoreRun | None, params=None) -> Ranking:
    """A run's ranking as the user may see it, with its rates and the filtered rows: two
    queries."""
    results = results_of(user, run) if run else GroupResult.objects.none()
    # The rows shown are paged by the view; none needs its breakdown (the scorecard's).
    ranking_filter = RankingFilter(params, queryset=results.defer("breakdown"), user=user)
    # The rates count every result in reach: its level and workshop union are enough
    # (4,050 breakdowns at a federation's size took seconds to read).
    every = list(results.only("level", "group", "group__workshop", "group__workshop__name"))
    overall, per_workshop = rates(every)
    return Ranking(every, ranking_filter.qs, overall, per_workshop, ranking_filter)


def results_of(user, run: ScoreRun):
    return (
        GroupResult.objects.restrict(user, VIEW)
        .filter(run=run)
        .select_related("group__workshop")
        .order_by("rank", "group__code")
    )


def workshop_results_of(user, run: ScoreRun):
    return (
        WorkshopResult.objects.restrict(user, VIEW)
        .filter(run=run)
        .select_related("workshop")
        .order_by("rank", "workshop__sort_order", "workshop__code")
    )


def scorecard(*, user, period: AssessmentPeriod, group_pk: int, version=None):
    """A group's result with the criteria it was scored by, and its previous period's
    published result for the change since then."""
    group = get_object_or_404(
        GroupResult.objects.groups_in_reach(user, VIEW).select_related("workshop"), pk=group_pk
    )
    run = run_for(user, period, version)
    result = GroupResult.objects.filter(run=run, group=group).first() if run else None
    previous = None
    earlier = (
        AssessmentPeriod.objects.filter(
            end__lt=period.start, status=PeriodStatus.PUBLISHED, subject=period.subject
        )
        .order_by("-end")
        .first()
    )
    if earlier is not None:
        earlier_run = latest_published_run(earlier)
        if earlier_run is not None:
            previous = (
                GroupResult.objects.filter(run=earlier_run, group=group)
                .select_related("run__period")
                .first()
            )
    return group, run, result, previous


def adjustment_entry_ids(result) -> set[int]:
    """The bonus and deduction entries a result counted."""
    return {
        entry["id"]
        for criterion in result.breakdown.get("criteria", [])
        for line in criterion.get("adjustments", [])
        for entry in line["entries"]
    }


def adjustment_items(period: AssessmentPeriod):
    """The bonus and deduction items of the period's rubric."""
    return AdjustmentItem.objects.filter(
        criterion__version=period.rubric_id, criterion__is_active=True, is_active=True
    ).select_related("criterion")


def adjustments_of(period: AssessmentPeriod):
    return period.adjustments.select_related("group__workshop", "item__criterion", "by").order_by(
        "group__workshop__sort_order", "group__code", "at"
    )


def waivers_of(period: AssessmentPeriod, group) -> dict:
    """HQ's 不适用 for the group's lines and gates: {indicator id: waiver, "survey":
    waiver, ("gate", gate id): waiver}."""
    keys = {
        WaiverKind.MANUAL: lambda w: w.indicator_id,
        WaiverKind.SURVEY: lambda w: "survey",
        WaiverKind.GATE: lambda w: ("gate", w.gate_id),
    }
    return {
        keys[waiver.kind](waiver): waiver
        for waiver in Waiver.objects.filter(period=period, group=group)
    }


def gate_lines(result: GroupResult, waivers: dict) -> list[dict]:
    """The result's gates, each with HQ's 不适用 where given, and the level each missed
    gate held the group to."""
    lines = []
    for gate in result.breakdown.get("gates", []):
        held_to = None
        if gate.get("held"):
            held_to = LEVEL_ORDER[LEVEL_ORDER.index(gate["level"]) - 1]
        lines.append(
            {
                **gate,
                "level_label": Level(gate["level"]).label,
                "held_to": Level(held_to).label if held_to else None,
                "waiver": waivers.get(("gate", gate["id"])),
            }
        )
    return lines


def card_rows(run: ScoreRun, result: GroupResult, previous: GroupResult | None, waivers=None):
    """The scheme and the group's breakdown side by side, for the scorecard's table, with
    the reason HQ gave where a line's score does not apply."""
    waivers = waivers or {}
    values = {c["code"]: c for c in result.breakdown["criteria"]}
    earlier = (
        {c["code"]: Decimal(c["points"]) for c in previous.breakdown["criteria"]}
        if previous
        else {}
    )
    rows = []
    for criterion in run.scheme:
        mine = values.get(criterion["code"], {"points": "0", "indicators": []})
        by_code = {i["code"]: i for i in mine["indicators"]}
        points = Decimal(mine["points"])
        rows.append(
            {
                "criterion": criterion,
                "points": points,
                "bonus": Decimal(mine.get("bonus", "0")),
                "deduction": Decimal(mine.get("deduction", "0")),
                "adjustments": mine.get("adjustments", []),
                "span": len(criterion["indicators"]) + len(mine.get("adjustments", [])),
                "change": points - earlier[criterion["code"]]
                if criterion["code"] in earlier
                else None,
                "indicators": [
                    (
                        indicator,
                        by_code.get(indicator["code"]),
                        waivers.get(
                            "survey"
                            if (indicator.get("metric") or "").startswith("survey.")
                            else indicator.get("id")
                        ),
                    )
                    for indicator in criterion["indicators"]
                ],
            }
        )
    return rows


def survey_progress(period: AssessmentPeriod, groups) -> dict[int, dict]:
    """Per group: ballots issued (not void), used, and members in the union now."""
    group_ids = [g.pk for g in groups]
    progress = {gid: {"issued": 0, "used": 0, "members": 0} for gid in group_ids}
    for row in (
        Ballot.objects.filter(period=period, group_id__in=group_ids, voided=False)
        .values("group_id")
        .annotate(issued=Count("pk"), used=Count("pk", filter=Q(used=True)))
    ):
        progress[row["group_id"]].update(issued=row["issued"], used=row["used"])
    for row in (
        Member.objects.filter(group_id__in=group_ids, status=MemberStatus.ACTIVE)
        .values("group_id")
        .annotate(n=Count("pk"))
    ):
        progress[row["group_id"]]["members"] = row["n"]
    return progress


def evaluator_progress(
    period: AssessmentPeriod, evaluator, subjects, manual_indicator_ids, field="group"
):
    """How many manual indicators this evaluator has scored, per group (or per workshop
    union, `field="workshop"`)."""
    counts = dict(
        ManualScore.objects.filter(
            period=period, evaluator=evaluator, indicator_id__in=manual_indicator_ids
        )
        .values(f"{field}_id")
        .annotate(n=Count("pk"))
        .values_list(f"{field}_id", "n")
    )
    return {s.pk: counts.get(s.pk, 0) for s in subjects}


@dataclass
class EvaluatorDesk:
    """Where an evaluator stands in a period: groups done of all, and the next group
    still to score after the current one (in the list's order, wrapping round)."""

    done: int
    total: int
    next_group: object | None
    position: int


def evaluator_desk(period, evaluator, groups, indicators, current, field="group") -> EvaluatorDesk:
    """Two queries whatever the number of groups (or workshop unions)."""
    needed = len(indicators)
    progress = evaluator_progress(period, evaluator, groups, [i["id"] for i in indicators], field)
    order = [g.pk for g in groups]
    here = order.index(current.pk) if current.pk in order else -1
    following = groups[here + 1 :] + groups[: max(here, 0)]
    next_group = next((g for g in following if progress[g.pk] < needed), None)
    return EvaluatorDesk(
        done=sum(1 for g in groups if needed and progress[g.pk] >= needed),
        total=len(groups),
        next_group=next_group,
        position=here + 1,
    )


@dataclass
class LatestAssessment:
    period: AssessmentPeriod | None = None
    run: ScoreRun | None = None
    results: list = field(default_factory=list)
    overall: Rates = field(default_factory=Rates)
    per_workshop: dict = field(default_factory=dict)  # {workshop id: Rates}
    by_group: dict = field(default_factory=dict)  # {group id: GroupResult}


def top_ten(*, user, run: ScoreRun) -> list:
    """The run's top ten (十佳) the user may see, in rank order (one query)."""
    return list(
        GroupResult.objects.restrict(user, VIEW)
        .filter(run=run, top_ten=True)
        .select_related("group__workshop")
        .defer("breakdown")
        .order_by("rank", "group__code")
    )


def latest_assessment(*, user, before=None, with_results=True) -> LatestAssessment:
    """The latest period with published results (ending by `before`, if given), with the
    rates the user may see. Three queries. Without results, the rates are counted in
    the database, for pages that show only the rates."""
    periods = AssessmentPeriod.objects.filter(
        runs__published_at__isnull=False, subject=Subject.GROUPS
    )
    if before is not None:
        periods = periods.filter(end__lte=before)
    period = periods.order_by("-end", "-pk").first()
    if period is None:
        return LatestAssessment()
    run = latest_published_run(period)
    visible = GroupResult.objects.restrict(user, VIEW).filter(run=run)
    if not with_results:
        overall, per_id = Rates(), {}
        for workshop_id, name, level, n in (
            visible.order_by()
            .values_list("group__workshop", "group__workshop__name", "level")
            .annotate(n=Count("pk"))
        ):
            overall.add(level, n)
            per_id.setdefault(workshop_id, Rates(name=name)).add(level, n)
        return LatestAssessment(period, run, [], overall, per_id, {})
    # Levels, totals and ranks only: each breakdown is a JSON document to decode, and the
    # pages this serves never show one (4,050 of them took 0.4 s at a federation's size).
    results = list(
        visible.select_related("group__workshop").defer("breakdown").order_by("rank", "group__code")
    )
    overall, _per_workshop = rates(results)
    per_id = {}
    for result in results:
        per_id.setdefault(result.group.workshop_id, Rates(name=result.group.workshop.name)).add(
            result.level
        )
    return LatestAssessment(period, run, results, overall, per_id, {r.group_id: r for r in results})
