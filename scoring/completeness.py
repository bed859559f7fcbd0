"""What a period's latest results still lack before they can be published: evaluators'
scores and survey answers missing for rated groups, each either supplied or marked
不适用 by HQ with a reason. Read in a fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User

from .engine import uses_survey
from .models import (
    Adjustment,
    AssessmentPeriod,
    GroupResult,
    IndicatorKind,
    ManualScore,
    ScoreRun,
    Veto,
    Waiver,
    WaiverKind,
    WorkshopResult,
)
from .rules import with_unit


@dataclass
class Gap:
    """One thing missing for one rated group: a manual line, the survey (below its
    turnout) or a gate without data."""

    kind: str
    group: object
    indicator: dict | None = None
    waiver: Waiver | None = None
    gate: dict | None = None
    turnout: dict | None = None

    @property
    def what(self) -> str:
        """What is missing, as the period page and the refusal name it."""
        if self.indicator:
            return self.indicator["name"]
        if self.gate:
            return _("gate %(name)s: no data") % {"name": self.gate["name"]}
        if self.turnout and self.turnout["turnout"] is not None:
            return _("survey: turnout %(turnout)s, below %(needed)s") % {
                "turnout": with_unit(self.turnout["turnout"], "rate"),
                "needed": with_unit(self.turnout["needed"], "rate"),
            }
        return pgettext("missing item", "survey")

    @property
    def part_id(self) -> int:
        if self.indicator:
            return self.indicator["id"]
        return self.gate["id"] if self.gate else 0

    @property
    def key(self) -> str:
        """How the form names it: kind, group and the line's or gate's id."""
        return f"{self.kind}:{self.group.pk}:{self.part_id}"


@dataclass
class EvaluatorProgress:
    evaluator: User
    done: int
    total: int


@dataclass
class Completeness:
    run: ScoreRun | None
    gaps: list = field(default_factory=list)
    evaluators: list = field(default_factory=list)  # EvaluatorProgress, unfinished first
    stale: bool = False  # scores or vetoes changed after the results were computed
    waivable: bool = True  # HQ may mark a gap 不适用 (not in a workshop unions' period)

    @property
    def open(self) -> list[Gap]:
        return [gap for gap in self.gaps if gap.waiver is None]

    @property
    def waived(self) -> list[Gap]:
        return [gap for gap in self.gaps if gap.waiver is not None]

    @property
    def is_complete(self) -> bool:
        return self.run is not None and not self.open and not self.stale


def manual_lines(scheme) -> list[dict]:
    return [
        indicator
        for criterion in scheme
        for indicator in criterion["indicators"]
        if indicator["kind"] == IndicatorKind.MANUAL
    ]


def completeness(period: AssessmentPeriod) -> Completeness:
    """The gaps of the period's latest run, for the groups it rates. Eight queries."""
    run = period.runs.order_by("-version").first()
    if run is None:
        return Completeness(run=None)
    if period.for_workshops:
        return _of_workshops(period, run)
    results = list(
        GroupResult.objects.filter(run=run)
        .exclude(level="")
        .select_related("group__workshop")
        .only("group", "breakdown", "group__workshop__name", "group__name", "group__code")
        .order_by("group__workshop__sort_order", "group__workshop__code", "group__code")
    )
    rated = [result.group for result in results]
    breakdowns = {result.group_id: result.breakdown for result in results}
    lines = manual_lines(run.scheme)
    scored = set()
    by_evaluator: dict[int, int] = {}
    rated_ids = {group.pk for group in rated}
    line_ids = {line["id"] for line in lines}
    for group_id, indicator_id, evaluator_id in ManualScore.objects.filter(
        period=period
    ).values_list("group_id", "indicator_id", "evaluator_id"):
        if group_id in rated_ids and indicator_id in line_ids:
            scored.add((group_id, indicator_id))
            by_evaluator[evaluator_id] = by_evaluator.get(evaluator_id, 0) + 1
    survey_scored = uses_survey(run.scheme)
    waivers = {
        (w.kind, w.group_id, w.indicator_id or w.gate_id or 0): w
        for w in Waiver.objects.filter(period=period).select_related("by")
    }
    gaps = []
    for group in rated:
        breakdown = breakdowns[group.pk]
        for line in lines:
            if (group.pk, line["id"]) not in scored:
                waiver = waivers.get((WaiverKind.MANUAL, group.pk, line["id"]))
                gaps.append(Gap(WaiverKind.MANUAL, group, line, waiver))
        turnout = breakdown.get("survey")
        if survey_scored and turnout is not None and not turnout["counts"]:
            waiver = waivers.get((WaiverKind.SURVEY, group.pk, 0))
            gaps.append(Gap(WaiverKind.SURVEY, group, None, waiver, turnout=turnout))
        for gate in breakdown.get("gates", []):
            if gate["value"] is None:
                waiver = waivers.get((WaiverKind.GATE, group.pk, gate["id"]))
                gaps.append(Gap(WaiverKind.GATE, group, None, waiver, gate=gate))
    total = len(rated) * len(lines)
    evaluators = sorted(
        (
            EvaluatorProgress(person, by_evaluator.get(person.pk, 0), total)
            for person in period.evaluators.order_by("name", "username")
        ),
        key=lambda progress: progress.done >= progress.total,
    )
    last_score = ManualScore.objects.filter(period=period).aggregate(at=Max("updated_at"))["at"]
    # The history tables date removals too. Waiving a gate changes the level it caps;
    # other waivers change no points.
    last_veto = Veto.history.filter(period_id=period.pk).aggregate(at=Max("history_date"))["at"]
    last_entry = Adjustment.history.filter(period_id=period.pk).aggregate(at=Max("history_date"))[
        "at"
    ]
    last_gate_waiver = Waiver.history.filter(period_id=period.pk, kind=WaiverKind.GATE).aggregate(
        at=Max("history_date")
    )["at"]
    stale = any(
        at is not None and at > run.computed_at
        for at in (last_score, last_veto, last_entry, last_gate_waiver)
    )
    return Completeness(run=run, gaps=gaps, evaluators=evaluators, stale=stale)


def _of_workshops(period: AssessmentPeriod, run: ScoreRun) -> Completeness:
    """A workshop unions' period owes every manual line for every workshop union it
    rated; there is no 不适用 for them (every workshop union can be judged). Five queries."""
    rated = [
        result.workshop
        for result in WorkshopResult.objects.filter(run=run)
        .select_related("workshop")
        .order_by("workshop__sort_order", "workshop__code")
    ]
    lines = manual_lines(run.scheme)
    line_ids = {line["id"] for line in lines}
    scored, by_evaluator = set(), {}
    for workshop_id, indicator_id, evaluator_id in ManualScore.objects.filter(
        period=period, workshop__isnull=False
    ).values_list("workshop_id", "indicator_id", "evaluator_id"):
        if indicator_id in line_ids:
            scored.add((workshop_id, indicator_id))
            by_evaluator[evaluator_id] = by_evaluator.get(evaluator_id, 0) + 1
    gaps = [
        Gap(WaiverKind.MANUAL, workshop, line)
        for workshop in rated
        for line in lines
        if (workshop.pk, line["id"]) not in scored
    ]
    total = len(rated) * len(lines)
    evaluators = sorted(
        (
            EvaluatorProgress(person, by_evaluator.get(person.pk, 0), total)
            for person in period.evaluators.order_by("name", "username")
        ),
        key=lambda progress: progress.done >= progress.total,
    )
    last_score = ManualScore.objects.filter(period=period).aggregate(at=Max("updated_at"))["at"]
    stale = last_score is not None and last_score > run.computed_at
    return Completeness(run=run, gaps=gaps, evaluators=evaluators, stale=stale, waivable=False)
