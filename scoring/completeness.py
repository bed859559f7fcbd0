"""What a period's latest results still lack before they can be published: evaluators'
scores and survey answers missing for rated groups, each either supplied or marked
不适用 by HQ with a reason. Read in a fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max

from accounts.models import User

from .models import (
    AssessmentPeriod,
    GroupResult,
    IndicatorKind,
    ManualScore,
    ScoreRun,
    SurveyAnswer,
    Veto,
    Waiver,
    WaiverKind,
)

SURVEY_FIGURES = "survey."


@dataclass
class Gap:
    """One thing missing for one rated group: a manual line or the survey."""

    kind: str
    group: object
    indicator: dict | None = None
    waiver: Waiver | None = None

    @property
    def key(self) -> str:
        """How the form names it: kind, group and indicator ids."""
        return f"{self.kind}:{self.group.pk}:{self.indicator['id'] if self.indicator else 0}"


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


def uses_survey(scheme) -> bool:
    return any(
        (indicator.get("metric") or "").startswith(SURVEY_FIGURES)
        for criterion in scheme
        for indicator in criterion["indicators"]
    )


def completeness(period: AssessmentPeriod) -> Completeness:
    """The gaps of the period's latest run, for the groups it rates. Eight queries."""
    run = period.runs.order_by("-version").first()
    if run is None:
        return Completeness(run=None)
    rated = [
        result.group
        for result in GroupResult.objects.filter(run=run)
        .exclude(level="")
        .select_related("group__workshop")
        .order_by("group__workshop__sort_order", "group__workshop__code", "group__code")
    ]
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
    answered = (
        set(SurveyAnswer.objects.filter(period=period).values_list("group_id", flat=True))
        if uses_survey(run.scheme)
        else None
    )
    waivers = {
        (w.kind, w.group_id, w.indicator_id): w
        for w in Waiver.objects.filter(period=period).select_related("by")
    }
    gaps = []
    for group in rated:
        for line in lines:
            if (group.pk, line["id"]) not in scored:
                waiver = waivers.get((WaiverKind.MANUAL, group.pk, line["id"]))
                gaps.append(Gap(WaiverKind.MANUAL, group, line, waiver))
        if answered is not None and group.pk not in answered:
            gaps.append(
                Gap(
                    WaiverKind.SURVEY, group, None, waivers.get((WaiverKind.SURVEY, group.pk, None))
                )
            )
    total = len(rated) * len(lines)
    evaluators = sorted(
        (
            EvaluatorProgress(person, by_evaluator.get(person.pk, 0), total)
            for person in period.evaluators.order_by("name", "username")
        ),
        key=lambda progress: progress.done >= progress.total,
    )
    last_score = ManualScore.objects.filter(period=period).aggregate(at=Max("updated_at"))["at"]
    last_veto = Veto.objects.filter(period=period).aggregate(at=Max("recorded_at"))["at"]
    stale = any(at is not None and at > run.computed_at for at in (last_score, last_veto))
    return Completeness(run=run, gaps=gaps, evaluators=evaluators, stale=stale)
