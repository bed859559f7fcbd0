"""A small scheme whose arithmetic fits in a comment, on the shared small organisation."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Role
from scoring.models import AssessmentPeriod, Criterion, Indicator, IndicatorKind, Rule
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
def scheme(db):
    """Criterion A 活动 (40): a1 activities per month, linear to 2 (max 20); a2 areas
    covered, steps ≥1 → 0.5, ≥3 → 1 (max 20).
    Criterion B 认可 (30): b1 survey approval, linear to 1, share 2 (max 20); b2 manual,
    share 1 (max 10).
    Criterion C 关怀 (30): c1 median days to payment, full at ≤10, none at ≥40, full when
    there is no case (max 30)."""
    Criterion.objects.update(is_active=False)
    a = Criterion.objects.create(code="a", name="活动", weight=Decimal("40"), sort_order=1)
    b = Criterion.objects.create(code="b", name="认可", weight=Decimal("30"), sort_order=2)
    c = Criterion.objects.create(code="c", name="关怀", weight=Decimal("30"), sort_order=3)
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
