"""The scoring engine: turns the records into each group's points, level and ranks.

It knows no app's tables. A computed indicator names a figure that an app registered in
unionhome.metrics (activities, welfare, the survey); the engine asks each figure once for
all groups, so a period costs a fixed number of queries however many groups it has.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Sum

from groups.models import UnionGroup
from unionhome import metrics

from .models import (
    AssessmentPeriod,
    Criterion,
    Indicator,
    IndicatorKind,
    Level,
    ManualScore,
    Rule,
    Veto,
    WhenMissing,
)

CENT = Decimal("0.01")
ONE = Decimal("1")
ZERO = Decimal("0")


def points(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def rule_fraction(indicator: dict, value) -> Decimal:
    """The share of an indicator's points (0 to 1) its rule gives a value.

    - linear: value ÷ target, at most 1;
    - linear_down (lower is better): 1 at or below the target, 0 at or above the limit,
      in a straight line between;
    - steps: the share of the highest step the value reaches (0 below the lowest).
    """
    if value is None:
        return ONE if indicator["when_missing"] == WhenMissing.FULL else ZERO
    value = Decimal(str(value))
    if indicator["kind"] == IndicatorKind.MANUAL:
        return min(max(value, ZERO), ONE)
    rule = indicator["rule"]
    if rule == Rule.LINEAR:
        target = Decimal(str(indicator["target"] or 0))
        if target <= 0:
            return ONE
        return min(max(value / target, ZERO), ONE)
    if rule == Rule.LINEAR_DOWN:
        target = Decimal(str(indicator["target"]))
        limit = Decimal(str(indicator["limit"]))
        if value <= target:
            return ONE
        if value >= limit:
            return ZERO
        return (limit - value) / (limit - target)
    reached = ZERO
    for threshold, share in sorted(indicator["steps"], key=lambda step: Decimal(str(step[0]))):
        if value >= Decimal(str(threshold)):
            reached = Decimal(str(share))
    return min(max(reached, ZERO), ONE)


FULL_MARKS = Decimal(100)


def active_weight_total() -> Decimal:
    """What the active criteria's weights add up to (the full marks, when right)."""
    return Criterion.objects.filter(is_active=True).aggregate(total=Sum("weight"))[
        "total"
    ] or Decimal(0)


def current_scheme() -> list[dict]:
    """The active criteria and indicators, written out as plain data: a result keeps this
    copy, so later edits of the criteria never change it. Two queries."""
    criteria = list(Criterion.objects.filter(is_active=True))
    indicators = defaultdict(list)
    for indicator in Indicator.objects.filter(is_active=True, criterion__is_active=True):
        definition = indicator.definition
        metric = metrics.get(indicator.metric) if indicator.metric else None
        if not definition and metric is not None:
            definition = str(metric.definition)
        indicators[indicator.criterion_id].append(
            {
                "id": indicator.pk,
                "code": indicator.code,
                "name": indicator.name,
                "kind": indicator.kind,
                "metric": indicator.metric,
                "unit": metric.unit if metric else "",
                "definition": definition,
                "share": str(indicator.share),
                "rule": indicator.rule,
                "target": str(indicator.target) if indicator.target is not None else None,
                "limit": str(indicator.limit) if indicator.limit is not None else None,
                "steps": indicator.steps,
                "when_missing": indicator.when_missing,
            }
        )
    scheme = []
    for criterion in criteria:
        items = indicators.get(criterion.pk, [])
        total_share = sum((Decimal(i["share"]) for i in items), ZERO)
        for item in items:
            item["max_points"] = (
                str(points(criterion.weight * Decimal(item["share"]) / total_share))
                if total_share
                else "0.00"
            )
        scheme.append(
            {
                "id": criterion.pk,
                "code": criterion.code,
                "name": criterion.name,
                "weight": str(criterion.weight),
                "indicators": items,
            }
        )
    return scheme


@dataclass
class Computed:
    group_id: int
    workshop_id: int
    total: Decimal
    level: str
    vetoed: bool
    breakdown: dict
    stage: str = ""
    rank: int = 0
    rank_in_workshop: int = 0
    top_ten: bool = False


def _manual_fractions(period: AssessmentPeriod) -> dict[tuple[int, int], Decimal]:
    """The evaluators' average per (group, indicator): one query."""
    rows = (
        ManualScore.objects.filter(period=period)
        .values("group_id", "indicator_id")
        .annotate(avg=Avg("fraction"))
    )
    return {
        (r["group_id"], r["indicator_id"]): Decimal(str(r["avg"])).quantize(Decimal("0.0001"))
        for r in rows
    }


def computed_figures(scheme, *, group_ids, start, end, period_id=None) -> dict[str, dict]:
    """{figure name: {group id: value}} for the scheme's computed indicators: each figure
    asked once for all groups."""
    figures = {}
    for criterion in scheme:
        for indicator in criterion["indicators"]:
            name = indicator["metric"]
            if indicator["kind"] == IndicatorKind.COMPUTED and name and name not in figures:
                figures[name] = (
                    metrics.values(
                        name, group_ids=group_ids, start=start, end=end, period_id=period_id
                    )
                    or {}
                )
    return figures


def line_points(indicator: dict, value) -> tuple[Decimal, Decimal]:
    """(share of the points 0–1, points) an indicator's rule gives a value."""
    fraction = rule_fraction(indicator, value)
    return fraction, points(Decimal(indicator["max_points"]) * fraction)


def compute(period: AssessmentPeriod, scheme: list[dict] | None = None) -> list[Computed]:
    """Score every active group of the organisation for the period."""
    scheme = scheme if scheme is not None else current_scheme()
    groups = list(
        UnionGroup.objects.filter(is_active=True).only("workshop", "home_stage", "home_level")
    )
    group_ids = [group.pk for group in groups]
    figures = computed_figures(
        scheme, group_ids=group_ids, start=period.start, end=period.end, period_id=period.pk
    )
    manual = _manual_fractions(period)
    vetoes = defaultdict(list)
    for group_id, reason in Veto.objects.filter(period=period).values_list("group_id", "reason"):
        vetoes[group_id].append(reason)

    results = []
    for group in groups:
        group_id = group.pk
        total = ZERO
        criteria = []
        for criterion in scheme:
            items = []
            subtotal = ZERO
            for indicator in criterion["indicators"]:
                if indicator["kind"] == IndicatorKind.MANUAL:
                    value = manual.get((group_id, indicator["id"]))
                else:
                    value = figures.get(indicator["metric"], {}).get(group_id)
                fraction, earned = line_points(indicator, value)
                subtotal += earned
                items.append(
                    {
                        "code": indicator["code"],
                        "value": str(value) if value is not None else None,
                        "fraction": str(fraction.quantize(Decimal("0.0001"))),
                        "points": str(earned),
                    }
                )
            total += subtotal
            criteria.append(
                {"code": criterion["code"], "points": str(subtotal), "indicators": items}
            )
        vetoed = bool(vetoes.get(group_id))
        results.append(
            Computed(
                group_id=group_id,
                workshop_id=group.workshop_id,
                total=total,
                # Only a 小家 that passed its acceptance is rated; the others keep their stage.
                level=period.level_for(total, vetoed) if group.has_accepted_home else "",
                vetoed=vetoed,
                breakdown={"criteria": criteria, "vetoes": vetoes.get(group_id, [])},
                stage=group.home_stage,
            )
        )
    _rank(results)
    return results


def _competition_ranks(ordered: list[Computed]) -> list[int]:
    """1, 2, 2, 4: equal totals share a place and the next place is skipped."""
    ranks = []
    for index, result in enumerate(ordered):
        same = index and result.total == ordered[index - 1].total
        ranks.append(ranks[-1] if same else index + 1)
    return ranks


def _rank(results: list[Computed]) -> None:
    """Competition ranking overall and within each workshop union. 十佳 (the top ten) are
    the groups placed in the first ten among those rated (an accepted 小家), not vetoed
    and at least qualified, ties at the tenth place included."""
    ordered = sorted(results, key=lambda r: -r.total)
    for result, rank in zip(ordered, _competition_ranks(ordered), strict=True):
        result.rank = rank
    by_workshop = defaultdict(list)
    for result in ordered:
        by_workshop[result.workshop_id].append(result)
    for members in by_workshop.values():
        for result, rank in zip(members, _competition_ranks(members), strict=True):
            result.rank_in_workshop = rank
    eligible = [r for r in ordered if not r.vetoed and r.level not in (Level.FAILED, "")]
    for result, place in zip(eligible, _competition_ranks(eligible), strict=True):
        result.top_ten = place <= 10
