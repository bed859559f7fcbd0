"""A small scheme whose arithmetic fits in a comment, on the shared small organisation."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Role
from scoring.models import (
    AssessmentPeriod,
    Criterion,
    Indicator,
    IndicatorKind,
    RubricVersion,
    Rule,
)
from tests.factories import UserFactory

FIRST_QUARTER = (date(2026, 1, 1), date(2026, 3, 31))


def indicator(
    criterion,
    code,
    kind,
    share="1",
    metric="",
    rule=Rule.LINEAR,
    target=None,
    limit=None,
    steps=(),
    when_missing="zero",
):
    return Indicator.objects.create(
        criterion=criterion,
        code=code,
        name=code,
        kind=kind,
        metric=metric,
        share=Decimal(share),
        rule=rule,
        target=Decimal(target) if target else None,
        limit=Decimal(limit) if limit else None,
        steps=list(steps),
        when_missing=when_missing,
    )


@pytest.fixture
def rubric(db):
    """The rubric version the migrations make of the default criteria (a draft), with
    thresholds 60 / 80 / 90 and no minimum survey turnout, as the hand counts assume."""
    rubric = RubricVersion.objects.get()
    rubric.qualified_at, rubric.advanced_at, rubric.model_at = 60, 80, 90
    rubric.survey_min_turnout = 0
    rubric.save()
    return rubric


@pytest.fixture
def scheme(rubric):
    """Criterion A 活动 (40): a1 activities per month, linear to 2 (max 20); a2 areas
    covered, steps ≥1 → 0.5, ≥3 → 1 (max 20).
    Criterion B 认可 (30): b1 survey approval, linear to 1, share 2 (max 20); b2 manual,
    share 1 (max 10).
    Criterion C 关怀 (30): c1 median days to payment, full at ≤10, none at ≥40, full when
    there is no case (max 30)."""
    Criterion.objects.update(is_active=False)
    a, b, c = (
        Criterion.objects.create(
            version=rubric, code=code, name=name, weight=Decimal(weight), sort_order=order
        )
        for order, (code, name, weight) in enumerate(
            [("a", "活动", "40"), ("b", "认可", "30"), ("c", "关怀", "30")], start=1
        )
    )
    return {
        "a1": indicator(a, "a1", IndicatorKind.COMPUTED, metric="activities.per_month", target="2"),
        "a2": indicator(
            a,
            "a2",
            IndicatorKind.COMPUTED,
            metric="activities.areas_covered",
            rule=Rule.STEPS,
            steps=[[1, 0.5], [3, 1]],
        ),
        "b1": indicator(
            b, "b1", IndicatorKind.COMPUTED, share="2", metric="survey.approval_rate", target="1"
        ),
        "b2": indicator(b, "b2", IndicatorKind.MANUAL),
        "c1": indicator(
            c,
            "c1",
            IndicatorKind.COMPUTED,
            metric="welfare.median_days_to_payment",
            rule=Rule.LINEAR_DOWN,
            target="10",
            limit="40",
            when_missing="full",
        ),
        "criteria": (a, b, c),
    }


@pytest.fixture
def evaluators(db):
    return [UserFactory(role=Role.EVALUATOR, username=f"eval{n}") for n in (1, 2)]


@pytest.fixture
def period(db, evaluators):
    period = AssessmentPeriod.objects.create(
        name="2026年第一季度", start=FIRST_QUARTER[0], end=FIRST_QUARTER[1]
    )
    period.evaluators.set(evaluators)
    return period
