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
from django.utils.translation import gettext as _

from groups.models import UnionGroup, WorkshopUnion
from unionhome import metrics

from .models import (
    LEVEL_ORDER,
    Adjustment,
    AdjustmentItem,
    AdjustmentKind,
    AssessmentPeriod,
    Criterion,
    Gate,
    Indicator,
    IndicatorKind,
    Level,
    ManualScore,
    RubricVersion,
    Rule,
    Subject,
    Veto,
    Waiver,
    WaiverKind,
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


SURVEY_FIGURES = "survey."
TURNOUT = "survey.turnout"


def active_weight_total(rubric: RubricVersion) -> Decimal:
    """What the rubric's active criteria weigh together (the full marks, when right)."""
    return Criterion.objects.filter(version=rubric, is_active=True).aggregate(total=Sum("weight"))[
        "total"
    ] or Decimal(0)


def figure_fits(figure, subject: str) -> str | None:
    """Why a figure cannot be read for what a rubric assesses, or None when it can."""
    if figure is None:
        return None
    if figure.per_workshop and subject == Subject.GROUPS:
        return _("This figure is a workshop union's; a group has no value of it.")
    if subject == Subject.WORKSHOPS and figure.name.startswith(SURVEY_FIGURES):
        return _("The survey is held in groups; a workshop union has no value of it.")
    return None


def uses_survey(scheme) -> bool:
    return any(
        (indicator.get("metric") or "").startswith(SURVEY_FIGURES)
        for criterion in scheme
        for indicator in criterion["indicators"]
    )


def scheme_of(rubric: RubricVersion) -> list[dict]:
    """A rubric version's active criteria, indicators and bonus and deduction items,
    written out as plain data: a result keeps this copy. Three queries."""
    criteria = list(Criterion.objects.filter(version=rubric, is_active=True))
    indicators = defaultdict(list)
    adjustment_items = defaultdict(list)
    for item in AdjustmentItem.objects.filter(
        criterion__version=rubric, criterion__is_active=True, is_active=True
    ):
        adjustment_items[item.criterion_id].append(
            {
                "id": item.pk,
                "kind": item.kind,
                "name": item.name,
                "points_each": str(item.points_each),
                "cap": str(item.cap),
            }
        )
    for indicator in Indicator.objects.filter(
        criterion__version=rubric, is_active=True, criterion__is_active=True
    ):
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
                "guidance": indicator.guidance,
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
                "bonus_cap": str(criterion.bonus_cap),
                "indicators": items,
                "adjustments": adjustment_items.get(criterion.pk, []),
            }
        )
    return scheme


def gates_of(rubric: RubricVersion) -> list[dict]:
    """The rubric's must-pass gates as plain data. One query."""
    gates = []
    for gate in Gate.objects.filter(version=rubric):
        metric = metrics.get(gate.metric)
        gates.append(
            {
                "id": gate.pk,
                "name": gate.name,
                "level": gate.level,
                "metric": gate.metric,
                "unit": metric.unit if metric else "",
                "at_least": str(gate.at_least),
            }
        )
    return gates


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


def computed_figures(scheme, *, group_ids, start, end, period_id=None, extra=()) -> dict[str, dict]:
    """{figure name: {group id: value}} for the scheme's computed indicators and the
    `extra` figures (gates, turnout): each figure asked once for all groups."""
    names = [
        indicator["metric"]
        for criterion in scheme
        for indicator in criterion["indicators"]
        if indicator["kind"] == IndicatorKind.COMPUTED and indicator["metric"]
    ]
    figures = {}
    for name in [*names, *extra]:
        if name not in figures:
            figures[name] = (
                metrics.values(name, group_ids=group_ids, start=start, end=end, period_id=period_id)
                or {}
            )
    return figures


def line_points(indicator: dict, value) -> tuple[Decimal, Decimal]:
    """(share of the points 0–1, points) an indicator's rule gives a value."""
    fraction = rule_fraction(indicator, value)
    return fraction, points(Decimal(indicator["max_points"]) * fraction)


def _survey_counts(rubric, figures, group_ids) -> dict[int, dict]:
    """Per group: its survey turnout and whether it reaches the rubric's minimum."""
    turnout = figures.get(TURNOUT, {})
    needed = rubric.survey_min_turnout / 100
    return {
        gid: {
            "turnout": str(turnout[gid]) if gid in turnout else None,
            "needed": str(needed.quantize(Decimal("0.0001"))),
            "counts": not needed or (gid in turnout and Decimal(str(turnout[gid])) >= needed),
        }
        for gid in group_ids
    }


def _adjustments(period, scheme) -> dict[int, dict[int, list]]:
    """{group: {item id: [entries]}} of the scheme's items. One query."""
    item_ids = {item["id"] for c in scheme for item in c.get("adjustments", [])}
    entries = defaultdict(lambda: defaultdict(list))
    for entry in (
        Adjustment.objects.filter(period=period, item_id__in=item_ids)
        .select_related("by")
        .order_by("at", "pk")
    ):
        entries[entry.group_id][entry.item_id].append(entry)
    return entries


def adjusted(criterion: dict, entries: dict[int, list]) -> tuple[Decimal, Decimal, list]:
    """(bonus counted, deduction counted, lines) of one criterion for one group: each
    item counts up to its cap, the criterion's bonus items together up to its bonus cap."""
    bonus = deduction = ZERO
    lines = []
    for item in criterion.get("adjustments", []):
        found = entries.get(item["id"], [])
        if not found:
            continue
        entered = sum((entry.points for entry in found), ZERO)
        counted = min(entered, Decimal(item["cap"]))
        if item["kind"] == AdjustmentKind.BONUS:
            bonus += counted
        else:
            deduction += counted
        lines.append(
            {
                "item": item["id"],
                "name": item["name"],
                "kind": item["kind"],
                "entered": str(points(entered)),
                "counted": str(points(counted)),
                "cap": item["cap"],
                "entries": [
                    {
                        "id": entry.pk,
                        "points": str(entry.points),
                        "reason": entry.reason,
                        "by": entry.by.get_full_name(),
                        "has_evidence": bool(entry.evidence),
                    }
                    for entry in found
                ],
            }
        )
    bonus = min(bonus, Decimal(criterion.get("bonus_cap") or 0))
    return points(bonus), points(deduction), lines


def _gate_results(gates, figures, group_id, waived) -> list[dict]:
    results = []
    for gate in gates:
        value = figures.get(gate["metric"], {}).get(group_id)
        if gate["id"] in waived:
            met = None  # 不适用: the gate is left out
        else:  # without data the gate is missed until HQ marks it 不适用
            met = value is not None and Decimal(str(value)) >= Decimal(gate["at_least"])
        results.append(
            {
                **gate,
                "value": str(value) if value is not None else None,
                "met": met,
                "waived": gate["id"] in waived,
                "held": False,
            }
        )
    return results


def capped_level(level: str, gates: list[dict]) -> str:
    """A missed gate holds the level below the one it guards; each gate says whether it
    held this group's level (`held`)."""
    for gate in sorted(gates, key=lambda g: -LEVEL_ORDER.index(g["level"])):
        guarded = LEVEL_ORDER.index(gate["level"])
        gate["held"] = gate["met"] is False and LEVEL_ORDER.index(level) >= guarded
        if gate["held"]:
            level = LEVEL_ORDER[guarded - 1]
    return level


def compute(period: AssessmentPeriod, scheme: list[dict] | None = None) -> list[Computed]:
    """Score every active group of the organisation for the period, on its rubric."""
    rubric = period.rubric
    scheme = scheme if scheme is not None else scheme_of(rubric)
    gates = gates_of(rubric)
    groups = list(
        UnionGroup.objects.filter(is_active=True).only("workshop", "home_stage", "home_level")
    )
    group_ids = [group.pk for group in groups]
    figures = computed_figures(
        scheme,
        group_ids=group_ids,
        start=period.start,
        end=period.end,
        period_id=period.pk,
        extra=[gate["metric"] for gate in gates] + [TURNOUT],
    )
    surveys = _survey_counts(rubric, figures, group_ids)
    manual = _manual_fractions(period)
    entries = _adjustments(period, scheme)
    waived_gates = defaultdict(set)
    for group_id, gate_id in Waiver.objects.filter(period=period, kind=WaiverKind.GATE).values_list(
        "group_id", "gate_id"
    ):
        waived_gates[group_id].add(gate_id)
    vetoes = defaultdict(list)
    for group_id, item, reason in Veto.objects.filter(period=period).values_list(
        "group_id", "item__name", "reason"
    ):
        vetoes[group_id].append(f"{item}：{reason}" if item else reason)

    results = []
    for group in groups:
        group_id = group.pk
        survey = surveys[group_id]
        # Below the turnout the survey's figures do not count: as if there were no data.
        group_figures = {
            name: values
            if survey["counts"] or not name.startswith(SURVEY_FIGURES) or name == TURNOUT
            else {}
            for name, values in figures.items()
        }
        total = ZERO
        criteria = []
        for criterion in scheme:
            items = []
            subtotal = ZERO
            for indicator in criterion["indicators"]:
                if indicator["kind"] == IndicatorKind.MANUAL:
                    value = manual.get((group_id, indicator["id"]))
                else:
                    value = group_figures.get(indicator["metric"], {}).get(group_id)
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
            bonus, deduction, adjustment_lines = adjusted(criterion, entries.get(group_id, {}))
            total += subtotal + bonus - deduction
            criteria.append(
                {
                    "code": criterion["code"],
                    "points": str(subtotal),
                    "bonus": str(bonus),
                    "deduction": str(deduction),
                    "indicators": items,
                    "adjustments": adjustment_lines,
                }
            )
        total = max(total, ZERO)
        vetoed = bool(vetoes.get(group_id))
        gate_results = _gate_results(gates, group_figures, group_id, waived_gates[group_id])
        level = ""
        # Only a 小家 that passed its acceptance is rated; the others keep their stage.
        if group.has_accepted_home:
            level = capped_level(rubric.level_for(total, vetoed), gate_results)
        results.append(
            Computed(
                group_id=group_id,
                workshop_id=group.workshop_id,
                total=total,
                level=level,
                vetoed=vetoed,
                breakdown={
                    "criteria": criteria,
                    "vetoes": vetoes.get(group_id, []),
                    "gates": gate_results,
                    "survey": survey,
                },
                stage=group.home_stage,
            )
        )
    _rank(results, period.top_size)
    return results


def _competition_ranks(ordered: list[Computed]) -> list[int]:
    """1, 2, 2, 4: equal totals share a place and the next place is skipped."""
    return _places([result.total for result in ordered])


def _rank(results: list[Computed], top_size: int) -> None:
    """Competition ranking overall and within each workshop union. The top list (十佳,
    `top_size` places as the period says) holds the groups placed within it among those
    rated (an accepted 小家), not vetoed and at least qualified, ties at the last place
    included."""
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
        result.top_ten = place <= top_size


# Workshop unions' assessment (十佳车间工会) ------------------------------------------------


def workshop_figures(names, *, workshop_groups, start, end) -> dict[str, dict]:
    """{figure: {workshop id: value}}: a workshop union's own figures as computed, any
    group figure as the mean of its groups that have a value. One call per figure."""
    workshop_ids = list(workshop_groups)
    group_ids = [gid for gids in workshop_groups.values() for gid in gids]
    figures = {}
    for name in names:
        if name in figures:
            continue
        metric = metrics.get(name)
        if metric is None:
            figures[name] = {}
        elif metric.per_workshop:
            figures[name] = metric.compute(workshop_ids=workshop_ids, start=start, end=end)
        else:
            by_group = metric.compute(group_ids=group_ids, start=start, end=end, period_id=None)
            figures[name] = {}
            for workshop_id, gids in workshop_groups.items():
                found = [Decimal(str(by_group[g])) for g in gids if by_group.get(g) is not None]
                if found:
                    figures[name][workshop_id] = (sum(found) / len(found)).quantize(
                        Decimal("0.0001")
                    )
    return figures


def compute_workshops(period: AssessmentPeriod, scheme: list[dict] | None = None) -> list[dict]:
    """Score every active workshop union for a period that assesses workshop unions, on
    its rubric: [{workshop_id, total, level, rank, top_ten, breakdown}], ranked."""
    rubric = period.rubric
    scheme = scheme if scheme is not None else scheme_of(rubric)
    gates = gates_of(rubric)
    workshop_groups = {
        w.pk: [] for w in WorkshopUnion.objects.filter(is_active=True).order_by("sort_order")
    }
    for group_id, workshop_id in UnionGroup.objects.filter(
        is_active=True, workshop_id__in=list(workshop_groups)
    ).values_list("pk", "workshop_id"):
        workshop_groups[workshop_id].append(group_id)
    names = [
        indicator["metric"]
        for criterion in scheme
        for indicator in criterion["indicators"]
        if indicator["kind"] == IndicatorKind.COMPUTED and indicator["metric"]
    ] + [gate["metric"] for gate in gates]
    figures = workshop_figures(
        names, workshop_groups=workshop_groups, start=period.start, end=period.end
    )
    manual = {
        (r["workshop_id"], r["indicator_id"]): Decimal(str(r["avg"])).quantize(Decimal("0.0001"))
        for r in ManualScore.objects.filter(period=period, workshop__isnull=False)
        .values("workshop_id", "indicator_id")
        .annotate(avg=Avg("fraction"))
    }
    results = []
    for workshop_id in workshop_groups:
        total = ZERO
        criteria = []
        for criterion in scheme:
            items, subtotal = [], ZERO
            for indicator in criterion["indicators"]:
                if indicator["kind"] == IndicatorKind.MANUAL:
                    value = manual.get((workshop_id, indicator["id"]))
                else:
                    value = figures.get(indicator["metric"], {}).get(workshop_id)
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
        gate_results = _gate_results(gates, figures, workshop_id, set())
        level = capped_level(rubric.level_for(total), gate_results)
        results.append(
            {
                "workshop_id": workshop_id,
                "total": total,
                "level": level,
                "breakdown": {"criteria": criteria, "gates": gate_results},
            }
        )
    ordered = sorted(results, key=lambda r: -r["total"])
    for result, rank in zip(ordered, _places([r["total"] for r in ordered]), strict=True):
        result["rank"] = rank
    eligible = [r for r in ordered if r["level"] != Level.FAILED]
    for result, place in zip(eligible, _places([r["total"] for r in eligible]), strict=True):
        result["top_ten"] = place <= period.top_size
    return ordered


def _places(totals: list[Decimal]) -> list[int]:
    """Competition places of totals in descending order: 1, 2, 2, 4."""
    places = []
    for index, total in enumerate(totals):
        places.append(places[-1] if index and total == totals[index - 1] else index + 1)
    return places
