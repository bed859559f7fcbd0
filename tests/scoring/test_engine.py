"""Scoring against totals, levels and ranks worked out by hand (see the scheme fixture)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from groups.models import UnionGroup
from scoring import services
from scoring.engine import rule_fraction
from scoring.models import GroupResult, Level, RubricVersion, Rule, SurveyAnswer
from scoring.selectors import rates
from tests.factories import ActivityFactory, accepted_home, area, publish
from welfare import services as welfare
from welfare.models import CaseType


def activities(group, by, count, areas):
    for n in range(count):
        ActivityFactory(
            group=group,
            area=area(areas[n % len(areas)]),
            held_on=date(2026, 1 + n % 3, 10),
            recorded_by=by,
        )


def votes(period, group, *ballots):
    for choices in ballots:
        SurveyAnswer.objects.create(
            period=period, group=group, answers=dict(zip("abc", choices, strict=True))
        )


def paid_case(group, workshop, days):
    from accounts.models import Role
    from tests.factories import UserFactory
    from tests.welfare.helpers import approve, pay_on, review

    hq = UserFactory(role=Role.HQ, handles_welfare=True)
    member = group.members.first()
    case = welfare.case_create(
        by=workshop,
        member=member,
        case_type=CaseType.objects.get(code="relief"),
        reason="困难",
        amount_requested="1000",
        applied_on=date(2026, 2, 1),
    )
    case = review(case, hq)  # its papers on file first
    case = approve(case, hq, amount="1000", fund_code="assistance_fund")
    pay_on(case, hq, date(2026, 2, 1) + timedelta(days=days))  # through a payment batch


def manual(period, group, scheme, evaluator, points):
    services.manual_score_set(
        period=period,
        group=group,
        indicator=scheme["b2"],
        by=evaluator,
        points=Decimal(points),
        max_points=Decimal("10"),
    )


@pytest.fixture
def scored(org, scheme, period, evaluators, hq):
    accepted_home(*org.groups.values())
    return _scored(org, scheme, period, evaluators, hq)


def _scored(org, scheme, period, evaluators, hq):
    """The data of the quarter, and what each group should get:

    A1: 6 activities (a1 6 ÷ 3 months = 2 → 20) in 2 areas (a2 step 0.5 → 10); ballots
        [满意 满意 基本满意] and [满意 不满意 不满意]: 4 of 6 answers approve, 0.6667 →
        b1 20 × 0.6667 = 13.33; evaluators 8 and 6 of 10 → 0.7 → b2 7; a case paid in
        25 days → c1 (40 − 25) ÷ (40 − 10) = 0.5 → 15. Total 20 + 10 + 13.33 + 7 + 15 = 65.33.
    A2: 3 activities (1 a month → 10) in 3 areas (→ 20); no ballot (b1 0); 10 of 10 (b2 10);
        no case (c1 full, 30). Total 70.00.
    B1: 12 activities (4 a month, capped → 20) in 3 areas (20); one ballot all 满意 (20);
        10 of 10 (10); paid in 10 days (30). Total 100.00, but vetoed.
    B2: nothing recorded, no score: only c1's full points for no case. Total 30.00.
    """
    from tests.factories import workshop_user

    activities(org.A1, hq, 6, ["political_study", "skills"])
    activities(org.A2, hq, 3, ["political_study", "skills", "recreation"])
    activities(org.B1, hq, 12, ["political_study", "skills", "recreation"])
    votes(
        period,
        org.A1,
        ["satisfied", "satisfied", "fairly"],
        ["satisfied", "unsatisfied", "unsatisfied"],
    )
    votes(period, org.B1, ["satisfied"] * 3)
    first, second = evaluators
    manual(period, org.A1, scheme, first, "8")
    manual(period, org.A1, scheme, second, "6")
    manual(period, org.A2, scheme, first, "10")
    manual(period, org.B1, scheme, first, "10")
    paid_case(org.A1, workshop_user(org.a), 25)
    paid_case(org.B1, workshop_user(org.b), 10)
    services.veto_add(
        period=period, group=org.B1, by=hq, reason="重大安全事故", happened_on=date(2026, 2, 14)
    )
    return services.score_compute(period=period, by=hq)


def result(run, group):
    return GroupResult.objects.get(run=run, group=group)


def test_totals_levels_and_ranks_match_the_hand_count(org, scored):
    expected = {  # group: (total, level, rank, rank in workshop, top ten, vetoed)
        "A1": (Decimal("65.33"), Level.QUALIFIED, 3, 2, True, False),
        "A2": (Decimal("70.00"), Level.QUALIFIED, 2, 1, True, False),
        "B1": (Decimal("100.00"), Level.FAILED, 1, 1, False, True),
        "B2": (Decimal("30.00"), Level.FAILED, 4, 2, False, False),
    }
    for code, values in expected.items():
        got = result(scored, org.groups[code])
        assert (
            got.total,
            got.level,
            got.rank,
            got.rank_in_workshop,
            got.top_ten,
            got.vetoed,
        ) == values, code


def test_the_breakdown_shows_each_indicators_value_and_points(org, scored):
    a1 = result(scored, org.A1).breakdown
    indicators = {i["code"]: i for c in a1["criteria"] for i in c["indicators"]}
    assert (indicators["a1"]["value"], indicators["a1"]["points"]) == ("2.0", "20.00")
    assert (indicators["b1"]["value"], indicators["b1"]["points"]) == ("0.6667", "13.33")
    assert (indicators["b2"]["value"], indicators["b2"]["points"]) == ("0.7000", "7.00")
    assert (indicators["c1"]["value"], indicators["c1"]["points"]) == ("25", "15.00")
    assert [c["points"] for c in a1["criteria"]] == ["30.00", "20.33", "15.00"]
    assert result(scored, org.B1).breakdown["vetoes"] == ["重大安全事故"]


def test_rates_count_each_level_and_above(org, scored):
    results = GroupResult.objects.filter(run=scored).select_related("group__workshop")
    overall, per_workshop = rates(results)
    assert (overall.qualified_rate, overall.advanced_rate, overall.model_rate) == (0.5, 0, 0)
    by_name = {r.name: r for r in per_workshop}
    assert by_name["锅炉车间"].qualified_rate == 1 and by_name["汽机车间"].qualified_rate == 0


def test_thresholds_are_the_rubrics(org, scored, period, hq):
    rubric = period.rubric
    rubric.qualified_at, rubric.advanced_at = Decimal("50"), Decimal("66")
    RubricVersion.objects.filter(pk=rubric.pk).update(qualified_at=50, advanced_at=66)
    period.refresh_from_db()
    run = services.score_compute(period=period, by=hq)
    assert (result(run, org.A1).level, result(run, org.A2).level) == (
        Level.QUALIFIED,
        Level.ADVANCED,
    )


def test_equal_totals_share_a_rank_and_the_next_is_skipped(org, scheme, period, hq):
    # No records at all: every group has only c1's 30 points.
    run = services.score_compute(period=period, by=hq)
    assert sorted(r.rank for r in run.results.all()) == [1, 1, 1, 1]
    activities(org.B2, hq, 3, ["political_study"])  # B2: 10 + 10 more
    run = services.score_compute(period=period, by=hq)
    assert {r.group.code: r.rank for r in run.results.select_related("group")} == {
        "B2": 1,
        "A1": 2,
        "A2": 2,
        "B1": 2,
    }


def test_a_criterion_retired_in_next_years_rubric_leaves_this_years_results_alone(
    org, scored, period, hq, scheme
):
    """Computing froze the 2026 rubric. 2027's copy retires 关怀 (c) and gives its 30
    points to 活动 (a). A 2027 period takes the 2027 rubric; the 2026 period, computed
    again, still gives A2 its 70.00 on its own version, criteria a, b and c."""
    from datetime import date

    from scoring.models import AssessmentPeriod, Criterion

    publish(period, hq)
    period.refresh_from_db()
    assert period.rubric.is_frozen
    next_year = services.rubric_copy(rubric=period.rubric, year=2027, by=hq)
    Criterion.objects.filter(version=next_year, code="c").update(is_active=False)
    Criterion.objects.filter(version=next_year, code="a").update(weight=70)
    later = AssessmentPeriod.objects.create(
        name="2027年第一季度", start=date(2027, 1, 1), end=date(2027, 3, 31)
    )
    assert later.rubric == next_year
    assert [Decimal(c["weight"]) for c in services.engine.scheme_of(next_year)] == [70, 30]
    again = services.score_compute(period=period, by=hq)
    assert again.version == 2 and again.rubric == period.rubric
    assert result(again, org.A2).total == Decimal("70.00")
    assert [c["code"] for c in again.scheme] == ["a", "b", "c"]


def test_recomputing_before_publication_replaces_the_draft(org, scored, period, hq):
    again = services.score_compute(period=period, by=hq)
    assert again.version == 1
    assert period.runs.count() == 1


def test_publishing_twice_is_refused_and_needs_results(org, scheme, period, hq):
    with pytest.raises(ValidationError):
        publish(period, hq)
    services.score_compute(period=period, by=hq)
    publish(period, hq)
    with pytest.raises(ValidationError):
        publish(period, hq)


def test_evaluators_score_only_their_periods_and_within_the_maximum(
    org, scheme, period, evaluators, hq
):
    from tests.factories import UserFactory

    stranger = UserFactory(role="evaluator")
    with pytest.raises(PermissionDenied):
        manual(period, org.A1, scheme, stranger, "5")
    with pytest.raises(PermissionDenied):
        manual(period, org.A1, scheme, hq, "5")
    with pytest.raises(ValidationError):
        manual(period, org.A1, scheme, evaluators[0], "10.5")
    manual(period, org.A1, scheme, evaluators[0], "5")
    manual(period, org.A1, scheme, evaluators[0], "7")  # a second entry replaces the first
    assert period.manual_scores.get().fraction == Decimal("0.7")


def test_scores_close_when_the_period_is_published(org, scheme, period, evaluators, hq):
    services.score_compute(period=period, by=hq)
    publish(period, hq)
    with pytest.raises(ValidationError):
        manual(period, org.A1, scheme, evaluators[0], "5")


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        ({"rule": Rule.LINEAR, "target": "4"}, 3, Decimal("0.75")),
        ({"rule": Rule.LINEAR, "target": "4"}, 9, Decimal("1")),
        ({"rule": Rule.LINEAR_DOWN, "target": "10", "limit": "40"}, 10, Decimal("1")),
        ({"rule": Rule.LINEAR_DOWN, "target": "10", "limit": "40"}, 31, Decimal("0.3")),
        ({"rule": Rule.LINEAR_DOWN, "target": "10", "limit": "40"}, 45, Decimal("0")),
        ({"rule": Rule.STEPS, "steps": [[1, "0.3"], [6, "0.6"], [12, "1"]]}, 0, Decimal("0")),
        ({"rule": Rule.STEPS, "steps": [[1, "0.3"], [6, "0.6"], [12, "1"]]}, 7, Decimal("0.6")),
        ({"rule": Rule.STEPS, "steps": [[12, "1"], [1, "0.3"]]}, 12, Decimal("1")),
    ],
)
def test_rules_turn_values_into_a_share_of_the_points(rule, value, expected):
    indicator = {
        "kind": "computed",
        "when_missing": "zero",
        "target": None,
        "limit": None,
        "steps": [],
        **rule,
    }
    assert rule_fraction(indicator, value) == expected


def test_computing_takes_the_same_queries_for_few_and_many_groups(
    org, scored, period, hq, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MemberFactory, UnionGroupFactory

    with CaptureQueriesContext(connection) as few:
        services.score_compute(period=period, by=hq)
    for n in range(8):
        group = UnionGroupFactory(workshop=org.a if n % 2 else org.b)
        MemberFactory.create_batch(2, group=group)
        activities(group, hq, 2, ["skills"])
    with django_assert_num_queries(len(few)):
        run = services.score_compute(period=period, by=hq)
    assert run.results.count() == 12


def test_the_top_ten_reach_the_tenth_place_and_take_its_ties():
    """十佳: the groups placed first to tenth among those qualified and not vetoed. Two
    groups tie at the tenth place: both are in, and the next group (12th) is not; a vetoed
    group and a failed one never are, whatever their totals."""
    from scoring.engine import Computed, _rank

    def group(number, total, level=Level.QUALIFIED, vetoed=False):
        return Computed(number, 1, Decimal(total), level, vetoed, {})

    results = [group(n, 100 - n) for n in range(1, 10)]  # places 1 to 9: 99 … 91
    results += [group(10, "90"), group(11, "90"), group(12, "89")]  # 10, 10, 12
    results += [group(13, "120", vetoed=True), group(14, "95", level=Level.FAILED)]
    _rank(results, 10)
    top = sorted(r.group_id for r in results if r.top_ten)
    assert top == list(range(1, 12))
    ranks = {r.group_id: r.rank for r in results}
    # Overall every group is placed: the vetoed 120 and the failed 95 stand before them.
    assert (ranks[10], ranks[11], ranks[12]) == (12, 12, 14)


def test_an_eleventh_place_without_a_tie_is_out_of_the_top_ten():
    from scoring.engine import Computed, _rank

    results = [Computed(n, 1, Decimal(100 - n), Level.QUALIFIED, False, {}) for n in range(1, 12)]
    _rank(results, 10)
    assert [r.group_id for r in results if r.top_ten] == list(range(1, 11))


def test_a_small_home_not_accepted_gets_no_level_and_no_place_in_the_top_ten(
    org, scheme, period, evaluators, hq
):
    """A2 scores 70.00 but its 小家 is only being built: it keeps its points and its stage,
    gets no level, counts in no rate, and the top ten is A1 alone."""
    accepted_home(org.A1, org.B1, org.B2)
    UnionGroup.objects.filter(pk=org.A2.pk).update(
        home_stage="building", home_started_on=date(2025, 3, 1)
    )
    run = _scored(org, scheme, period, evaluators, hq)
    a2 = result(run, org.A2)
    assert (a2.total, a2.level, a2.stage, a2.top_ten, a2.rank) == (
        Decimal("70.00"),
        "",
        "building",
        False,
        2,
    )
    assert [r.group_id for r in GroupResult.objects.filter(run=run, top_ten=True)] == [org.A1.pk]
    overall, _per_workshop = rates(
        GroupResult.objects.filter(run=run).select_related("group__workshop")
    )
    assert (overall.groups, overall.unrated) == (3, 1)
    assert overall.qualified_rate == pytest.approx(1 / 3)  # A1; B1 vetoed, B2 failed
