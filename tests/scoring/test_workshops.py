"""The workshop unions' own assessment (十佳车间工会): a rubric and periods for workshop
unions, figures of their groups, manual scores, ranking with ties, the publish guard,
export and certificate. Totals worked out by hand on the small organisation: workshop
union A (锅炉车间) with A1, A2, B (汽机车间) with B1, B2."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from scoring import services
from scoring.models import (
    AssessmentPeriod,
    Criterion,
    Gate,
    Indicator,
    IndicatorKind,
    Level,
    RubricVersion,
    Rule,
    Subject,
    WorkshopResult,
)
from tests.factories import (
    ActivityFactory,
    UserFactory,
    accepted_home,
    area,
    leader_user,
    workshop_user,
)


@pytest.fixture
def workshop_rubric(db):
    """建家 (60): 小家覆盖率 linear to 100 % (max 30); the groups' activities per month,
    linear to 2 (max 30). 实绩 (40): scored by evaluators (max 40)."""
    rubric = RubricVersion.objects.create(year=2026, subject=Subject.WORKSHOPS)
    homes = Criterion.objects.create(version=rubric, code="homes", name="建家", weight=60)
    work = Criterion.objects.create(version=rubric, code="work", name="实绩", weight=40)
    Indicator.objects.create(
        criterion=homes,
        code="coverage",
        name="小家覆盖率",
        kind=IndicatorKind.COMPUTED,
        metric="workshop.home_coverage",
        rule=Rule.LINEAR,
        target=1,
    )
    Indicator.objects.create(
        criterion=homes,
        code="activity",
        name="小组月均活动",
        kind=IndicatorKind.COMPUTED,
        metric="activities.per_month",
        rule=Rule.LINEAR,
        target=2,
    )
    manual = Indicator.objects.create(
        criterion=work, code="results", name="车间工会工作实绩", kind=IndicatorKind.MANUAL
    )
    return {"rubric": rubric, "manual": manual}


@pytest.fixture
def quarter(workshop_rubric, evaluators):
    period = AssessmentPeriod.objects.create(
        name="2026年第一季度车间工会考核",
        subject=Subject.WORKSHOPS,
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        top_size=1,
    )
    period.evaluators.set(evaluators)
    return period


def activities(group, by, count):
    for n in range(count):
        ActivityFactory(group=group, area=area(), held_on=date(2026, 1 + n % 3, 5), recorded_by=by)


def score(period, workshop, indicator, evaluator, points):
    return services.manual_score_set(
        period=period,
        workshop=workshop,
        indicator=indicator,
        by=evaluator,
        points=Decimal(points),
        max_points=Decimal("40"),
    )


@pytest.fixture
def scored(org, hq, quarter, workshop_rubric, evaluators):
    """A: A1 and A2 hold a 小家 (coverage 1 → 30); A1 6 activities (2 a month), A2 none:
    mean 1 a month → 15; evaluators 36 → 36. Total 81.00, 合格 (75).
    B: B1 holds a 小家 (0.5 → 15); B1 and B2 3 each (1 a month) → 15; 20 → 20. Total 50.00."""
    accepted_home(org.A1, org.A2, org.B1)
    activities(org.A1, hq, 6)
    activities(org.B1, hq, 3)
    activities(org.B2, hq, 3)
    score(quarter, org.a, workshop_rubric["manual"], evaluators[0], "36")
    score(quarter, org.b, workshop_rubric["manual"], evaluators[0], "20")
    return services.score_compute(period=quarter, by=hq)


def test_workshop_unions_are_scored_from_their_groups_and_evaluators(org, scored):
    a = WorkshopResult.objects.get(run=scored, workshop=org.a)
    b = WorkshopResult.objects.get(run=scored, workshop=org.b)
    assert (a.total, a.level, a.rank, a.top_ten) == (Decimal("81.00"), Level.QUALIFIED, 1, True)
    assert (b.total, b.level, b.rank, b.top_ten) == (Decimal("50.00"), Level.FAILED, 2, False)
    lines = {i["code"]: i for c in a.breakdown["criteria"] for i in c["indicators"]}
    assert (lines["coverage"]["value"], lines["activity"]["value"]) == ("1.0", "1.0000")
    assert not scored.results.exists()  # no group results in a workshop unions' period


def test_a_tie_at_the_last_place_of_the_top_list_takes_both(
    org, hq, quarter, workshop_rubric, evaluators
):
    """B2's 小家 too: B's coverage 1 → 30, 15, and 36 from the evaluator → 81.00, tied
    with A. The list has one place; both stand on it."""
    accepted_home(org.A1, org.A2, org.B1, org.B2)
    activities(org.A1, hq, 6)
    activities(org.B1, hq, 3)
    activities(org.B2, hq, 3)
    for workshop in (org.a, org.b):
        score(quarter, workshop, workshop_rubric["manual"], evaluators[0], "36")
    run = services.score_compute(period=quarter, by=hq)
    results = {r.workshop_id: r for r in WorkshopResult.objects.filter(run=run)}
    assert [(r.total, r.rank, r.top_ten) for r in results.values()] == [
        (Decimal("81.00"), 1, True),
        (Decimal("81.00"), 1, True),
    ]


def test_the_groups_average_score_comes_from_the_latest_published_group_assessment(
    org, hq, scheme, period, evaluators
):
    """The group period of the first quarter (tests/scoring/test_engine.py::_scored):
    A1 65.33 and A2 70.00 are rated → A's mean 67.67 (half up); B1 is vetoed (100.00) and
    B2 30.00 → B's mean 65.00."""
    from scoring.engine import workshop_figures
    from tests.factories import publish
    from tests.scoring.test_engine import _scored

    accepted_home(*org.groups.values())
    _scored(org, scheme, period, evaluators, hq)
    publish(period, hq)
    figures = workshop_figures(
        ["workshop.groups_average_score"],
        workshop_groups={org.a.pk: [org.A1.pk, org.A2.pk], org.b.pk: [org.B1.pk, org.B2.pk]},
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    assert figures["workshop.groups_average_score"] == {
        org.a.pk: Decimal("67.67"),
        org.b.pk: Decimal("65.00"),
    }


def test_publishing_waits_for_every_workshop_union_on_every_manual_line(
    org, hq, quarter, workshop_rubric, evaluators
):
    score(quarter, org.a, workshop_rubric["manual"], evaluators[0], "30")
    services.score_compute(period=quarter, by=hq)
    with pytest.raises(ValidationError) as caught:
        services.score_publish(period=quarter, by=hq)
    assert caught.value.messages == ["1 项得分缺失（汽机车间（车间工会工作实绩））：请补录。"]
    with pytest.raises(ValidationError):
        services.waivers_add(period=quarter, by=hq, keys=["manual:0:0"], reason="不考核")
    score(quarter, org.b, workshop_rubric["manual"], evaluators[0], "30")
    services.score_compute(period=quarter, by=hq)
    assert services.score_publish(period=quarter, by=hq).is_published


def test_a_group_is_not_scored_in_a_workshop_unions_period(
    org, quarter, workshop_rubric, evaluators
):
    with pytest.raises(ValidationError):
        services.manual_score_set(
            period=quarter,
            group=org.A1,
            indicator=workshop_rubric["manual"],
            by=evaluators[0],
            points=Decimal("5"),
            max_points=Decimal("40"),
        )


def test_who_reads_the_workshop_ranking_cards_and_certificates(org, hq, scored, quarter, login):
    services.score_publish(period=quarter, by=hq)
    ranking = reverse("scoring:ranking", args=[quarter.pk])
    page = login(hq).get(ranking).content.decode()
    assert "十佳车间工会" in page and org.a.name in page and org.b.name in page
    certificate = reverse("scoring:workshop_certificate", args=[quarter.pk, org.a.pk])
    assert certificate in page
    assert "十佳车间工会" in login(hq).get(certificate).content.decode()
    other_certificate = reverse("scoring:workshop_certificate", args=[quarter.pk, org.b.pk])
    assert login(hq).get(other_certificate).status_code == 404  # not on the list
    own = login(workshop_user(org.a))
    assert own.get(reverse("scoring:workshop_card", args=[quarter.pk, org.a.pk])).status_code == 200
    assert own.get(reverse("scoring:workshop_card", args=[quarter.pk, org.b.pk])).status_code == 404
    assert org.b.name not in own.get(ranking).content.decode()
    assert login(leader_user(org.A1)).get(ranking).status_code == 403
    export = login(hq).get(reverse("scoring:ranking_export", args=[quarter.pk]))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_desk_scores_workshop_unions_one_after_the_other(
    org, quarter, workshop_rubric, evaluators, login
):
    client = login(evaluators[0])
    field = f"points_{workshop_rubric['manual'].pk}"
    first = reverse("scoring:evaluate_workshop", args=[quarter.pk, org.a.pk])
    page = client.get(first).content.decode()
    assert "保存并评下一个车间工会" in page and "/ 40.00 分" in page
    response = client.post(first, {field: "30", "next": "1"})
    assert response.url == reverse("scoring:evaluate_workshop", args=[quarter.pk, org.b.pk])
    listing = client.get(reverse("scoring:evaluate", args=[quarter.pk])).content.decode()
    assert org.a.name in listing and "1/1" in listing


def test_a_group_rubric_refuses_a_workshop_figure(scheme):
    from scoring.forms import IndicatorAdminForm

    a1 = scheme["a1"]
    form = IndicatorAdminForm(
        {
            "criterion": a1.criterion_id,
            "code": "a1",
            "name": "a1",
            "kind": "computed",
            "metric": "workshop.home_coverage",
            "share": "1",
            "rule": "linear",
            "target": "1",
            "when_missing": "zero",
            "sort_order": 0,
            "is_active": True,
            **{f"steps_{n}": "" for n in range(12)},
        },
        instance=a1,
    )
    assert "metric" in form.errors


def test_an_hq_user_without_an_evaluator_role_does_not_score(org, quarter, workshop_rubric):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        score(quarter, org.a, workshop_rubric["manual"], UserFactory(role=Role.HQ), "10")


def test_the_printed_sheet_of_a_workshop_union(org, hq, scored, quarter, login):
    url = reverse("scoring:workshop_sheet", args=[quarter.pk, org.a.pk])
    page = login(hq).get(url).content.decode()
    assert "车间工会考核评分表" in page and "<td>小家覆盖率</td>" in page
    assert "81.00" in page and "考评人（签字）" in page
    assert login(workshop_user(org.b)).get(url).status_code == 404


def test_computing_and_ranking_workshop_unions_take_fixed_queries(org, hq, quarter, login):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from groups.models import WorkshopUnion
    from tests.factories import UnionGroupFactory

    client = login(hq)

    def queries():
        reset_queries()  # a full query log would hide what is captured
        with CaptureQueriesContext(connection) as computing:
            services.score_compute(period=quarter, by=hq)
        client.get(reverse("scoring:ranking", args=[quarter.pk]))
        reset_queries()
        with CaptureQueriesContext(connection) as ranking:
            client.get(reverse("scoring:ranking", args=[quarter.pk]))
        return len(computing), len(ranking)

    few = queries()
    for n in range(4):
        workshop = WorkshopUnion.objects.create(name=f"新车间{n}", code=f"N{n}", sort_order=10 + n)
        for _ in range(2):
            UnionGroupFactory(workshop=workshop)
    assert queries() == few


def test_a_workshop_unions_period_takes_no_ballots_vetoes_or_bonuses(org, hq, quarter, login):
    client = login(hq)
    for name in ("ballots", "vetoes", "adjustments"):
        assert client.get(reverse(f"scoring:{name}", args=[quarter.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.ballots_issue(period=quarter, group=org.A1, by=hq, count=1)
    with pytest.raises(ValidationError):
        services.veto_add(
            period=quarter, group=org.A1, by=hq, reason="事故", happened_on=date(2026, 2, 1)
        )


def test_the_groups_latest_assessment_is_never_a_workshop_unions_period(
    org, hq, scheme, period, scored, quarter
):
    """The home pages' rates and a leader's latest card read the groups' assessment, even
    when a workshop unions' period of the same dates was published after it."""
    from scoring.selectors import latest_assessment
    from tests.factories import publish

    services.score_compute(period=period, by=hq)
    publish(period, hq)
    services.score_publish(period=quarter, by=hq)
    assert latest_assessment(user=hq).period == period


def test_a_gate_on_a_figure_the_subject_has_no_value_of_is_refused(scheme, rubric, hq):
    from scoring.forms import GateAdminForm

    form = GateAdminForm(
        {"name": "覆盖率", "level": "model", "metric": "workshop.home_coverage", "at_least": "1"},
        instance=Gate(version=rubric),
    )
    assert "metric" in form.errors
    Gate.objects.create(
        version=rubric,
        name="覆盖率",
        level=Level.MODEL,
        metric="workshop.home_coverage",
        at_least=1,
    )
    with pytest.raises(ValidationError, match="覆盖率：这是车间工会的数据"):
        services.rubric_freeze(rubric=rubric, by=hq)
