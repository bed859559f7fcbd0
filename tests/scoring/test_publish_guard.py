"""The publish guard: a period's results are published only when every rated group has
its evaluators' scores and its survey, or HQ has marked what is missing 不适用 with a
reason that the scorecard then shows."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from scoring import services
from scoring.completeness import completeness
from scoring.models import RubricVersion, SurveyQuestion, WaiverKind
from tests.factories import UnionGroupFactory, UserFactory, accepted_home, leader_user


@pytest.fixture
def rated(org, rubric):
    """A1 and A2 hold accepted 小家 and are rated; B1 and B2 are not (nothing is owed).
    The survey counts from a turnout of two thirds."""
    accepted_home(org.A1, org.A2)
    RubricVersion.objects.filter(pk=rubric.pk).update(survey_min_turnout=Decimal("66.67"))
    return [org.A1, org.A2]


def score(period, group, indicator, evaluator, fraction="0.8"):
    return services.manual_score_set(
        period=period,
        group=group,
        indicator=indicator,
        by=evaluator,
        points=Decimal(fraction) * 10,
        max_points=Decimal("10"),
    )


def answer(period, group, used=None):
    """Ballots for the group's members, `used` of them (all by default) answered."""
    issuer = UserFactory(role=Role.HQ)
    codes = services.ballots_issue(period=period, group=group, by=issuer, count=3)
    every = dict.fromkeys(SurveyQuestion.objects.values_list("code", flat=True), "satisfied")
    for code in codes[:used]:
        services.ballot_submit(code=code, answers=every)


def test_what_is_missing_for_the_rated_groups(org, scheme, period, evaluators, hq, rated):
    """The scheme has one manual line (b2) and a survey figure (b1). A1 is scored by the
    first evaluator and has answers; A2 has neither. So A2 misses b2 and its survey; the
    first evaluator has done 1 of 2 lines, the second none."""
    score(period, org.A1, scheme["b2"], evaluators[0])
    answer(period, org.A1)
    services.score_compute(period=period, by=hq)
    found = completeness(period)
    assert [(g.kind, g.group.code, g.indicator and g.indicator["code"]) for g in found.open] == [
        (WaiverKind.MANUAL, "A2", "b2"),
        (WaiverKind.SURVEY, "A2", None),
    ]
    assert sorted((p.evaluator.username, p.done, p.total) for p in found.evaluators) == [
        ("eval1", 1, 2),
        ("eval2", 0, 2),
    ]
    assert not found.is_complete


def test_publishing_is_refused_until_each_gap_is_scored_or_not_applicable(
    org, scheme, period, evaluators, hq, rated, login
):
    score(period, org.A1, scheme["b2"], evaluators[0])
    answer(period, org.A1)
    services.score_compute(period=period, by=hq)
    with pytest.raises(ValidationError) as caught:
        services.score_publish(period=period, by=hq)
    assert caught.value.messages == [
        "2 项得分缺失（检修班（b2）、检修班（民主测评））：请补录，或逐项标为不适用并说明理由。"
    ]
    gaps = completeness(period).open
    with pytest.raises(ValidationError) as caught:
        services.waivers_add(period=period, by=hq, keys=[g.key for g in gaps], reason=" ")
    assert list(caught.value.message_dict) == ["reason"]
    services.waivers_add(
        period=period,
        by=hq,
        keys=[gaps[1].key],
        reason="检修班本期整体外出检修，未组织测评",
    )
    with pytest.raises(ValidationError, match="1 项得分缺失"):
        services.score_publish(period=period, by=hq)
    # The evaluator scores the other one; the results must be computed again.
    score(period, org.A2, scheme["b2"], evaluators[1])
    with pytest.raises(ValidationError, match="请重新计算"):
        services.score_publish(period=period, by=hq)
    services.score_compute(period=period, by=hq)
    run = services.score_publish(period=period, by=hq)
    assert run.is_published
    # The leader's scorecard shows why the survey line did not count.
    card = login(leader_user(org.A2)).get(reverse("scoring:scorecard", args=[period.pk, org.A2.pk]))
    page = card.content.decode()
    assert "不适用" in page and "检修班本期整体外出检修，未组织测评" in page
    # Once published, nothing more is waived.
    with pytest.raises(ValidationError, match="请先将考核期重新开放评分"):
        services.waivers_add(period=period, by=hq, keys=["survey:1:0"], reason="迟了")


def test_hq_marks_gaps_on_the_period_page(org, scheme, period, evaluators, hq, rated, login):
    services.score_compute(period=period, by=hq)
    client = login(hq)
    url = reverse("scoring:period_detail", args=[period.pk])
    page = client.get(url).content.decode()
    assert "4 项得分缺失" in page and "标为不适用" in page
    keys = [gap.key for gap in completeness(period).open]
    response = client.post(
        reverse("scoring:waivers_add", args=[period.pk]), {"keys": keys, "reason": ""}
    )
    assert "reason" in response.context["waiver_form"].errors
    response = client.post(
        reverse("scoring:waivers_add", args=[period.pk]),
        {"keys": keys, "reason": "本期不考核此项"},
    )
    assert response.status_code == 302
    assert completeness(period).is_complete
    published = client.post(
        reverse("scoring:period_action", args=[period.pk]), {"action": "publish"}
    )
    assert published.status_code == 302 and period.runs.get().is_published


def test_the_command_line_is_stopped_by_the_guard_too(org, scheme, period, hq, rated):
    with pytest.raises(CommandError, match="项得分缺失"):
        call_command("score", str(period.pk), "--publish")


def test_the_period_page_takes_the_same_queries_for_few_and_many_groups(
    org, scheme, period, evaluators, hq, rated, login
):
    client = login(hq)
    url = reverse("scoring:period_detail", args=[period.pk])

    def queries():
        services.score_compute(period=period, by=hq)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    more = [UnionGroupFactory(workshop=org.a) for _ in range(6)]
    accepted_home(*more)
    for group in more[:3]:
        score(period, group, scheme["b2"], evaluators[0])
        answer(period, group)
    assert queries() == few
