"""The rubric as data: yearly versions frozen once used, must-pass gates that cap a level,
bonus and deduction items within their caps, and the survey's turnout gate. Totals are
worked out by hand from the small scheme (tests/scoring/conftest.py) and the quarter of
tests/scoring/test_engine.py::_scored: A1 65.33, A2 70.00, B1 100.00 (vetoed), B2 30.00."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from scoring import services
from scoring.completeness import completeness
from scoring.models import (
    AdjustmentItem,
    AdjustmentKind,
    Criterion,
    Gate,
    GroupResult,
    Level,
    RubricVersion,
    SurveyQuestion,
    WaiverKind,
)
from tests.factories import accepted_home, leader_user, publish
from tests.scoring.test_engine import _scored


def result(run, group):
    return GroupResult.objects.get(run=run, group=group)


@pytest.fixture
def advanced_from_66(rubric):
    """With 合格 60 and 先进 66, A2's 70.00 is 先进 and A1's 65.33 合格."""
    RubricVersion.objects.filter(pk=rubric.pk).update(qualified_at=60, advanced_at=66)
    rubric.refresh_from_db()
    return rubric


# Versions ---------------------------------------------------------------------------------


def test_copying_takes_everything_and_the_copy_is_a_draft(scheme, rubric, hq):
    Gate.objects.create(
        version=rubric,
        name="满意率",
        level=Level.MODEL,
        metric="survey.approval_rate",
        at_least=Decimal("0.85"),
    )
    AdjustmentItem.objects.create(
        criterion=scheme["criteria"][0],
        kind=AdjustmentKind.BONUS,
        name="表彰",
        points_each=1,
        cap=2,
    )
    copy = services.rubric_copy(rubric=rubric, year=2027, by=hq)
    assert (copy.status, copy.based_on, copy.qualified_at) == ("draft", rubric, rubric.qualified_at)
    assert sorted(Criterion.objects.filter(version=copy).values_list("code", flat=True)) == sorted(
        Criterion.objects.filter(version=rubric).values_list("code", flat=True)
    )
    copied = services.engine.scheme_of(copy)
    original = services.engine.scheme_of(rubric)
    strip = lambda scheme: [  # noqa: E731 - ids differ, everything else is the same
        {
            **c,
            "id": 0,
            "indicators": [{**i, "id": 0} for i in c["indicators"]],
            "adjustments": [{**a, "id": 0} for a in c["adjustments"]],
        }
        for c in scheme
    ]
    assert strip(copied) == strip(original)
    assert Gate.objects.get(version=copy).name == "满意率"
    assert SurveyQuestion.objects.filter(version=copy).count() == 3
    with pytest.raises(ValidationError) as caught:
        services.rubric_copy(rubric=rubric, year=2027, by=hq)
    assert caught.value.message_dict == {"year": ["2027年已有考核细则。"]}


def test_a_version_is_frozen_only_when_its_weights_add_up_to_100(scheme, rubric, hq):
    Criterion.objects.filter(version=rubric, code="a").update(weight=45)
    with pytest.raises(ValidationError) as caught:
        services.rubric_freeze(rubric=rubric, by=hq)
    assert caught.value.messages == ["2026年度考核细则在用的考核条件合计 105 分，不是 100 分。"]
    Criterion.objects.filter(version=rubric, code="a").update(weight=40)
    services.rubric_freeze(rubric=rubric, by=hq)
    rubric.refresh_from_db()
    assert rubric.is_frozen and rubric.frozen_by == hq


def test_computing_freezes_the_rubric_and_a_frozen_rubric_is_not_edited(scheme, rubric, period, hq):
    services.score_compute(period=period, by=hq)
    rubric.refresh_from_db()
    assert rubric.is_frozen
    criterion = scheme["criteria"][0]
    criterion.weight = Decimal("50")
    with pytest.raises(ValidationError, match="已冻结"):
        criterion.full_clean()
    with pytest.raises(ValidationError, match="已冻结"):
        scheme["a1"].full_clean()


def test_a_period_whose_rubric_cannot_be_frozen_is_not_computed(scheme, rubric, period, hq):
    Criterion.objects.filter(version=rubric, code="c").update(is_active=False)
    with pytest.raises(ValidationError, match="合计 70 分，不是 100 分"):
        services.score_compute(period=period, by=hq)
    assert not period.runs.exists()


def test_the_admin_site_shows_a_frozen_version_read_only(scheme, rubric, hq, login):
    from accounts.models import Role
    from accounts.services import hq_group_sync_permissions, user_create

    hq_group_sync_permissions()
    client = login(
        user_create(username="hq_admin", name="刘芳", password="x-Long-pass-1", role=Role.HQ)
    )
    criterion = scheme["criteria"][0]
    url = reverse("admin:scoring_criterion_change", args=[criterion.pk])
    assert 'name="weight"' in client.get(url).content.decode()
    services.rubric_freeze(rubric=rubric, by=hq)
    page = client.get(url).content.decode()
    assert 'name="weight"' not in page
    response = client.post(url, {"name": "改", "code": "a", "weight": "50", "version": rubric.pk})
    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.weight == 40


# Gates -------------------------------------------------------------------------------------


def test_a_missed_gate_caps_the_level_and_a_gate_without_data_waits_for_hq(
    org, scheme, period, evaluators, hq, advanced_from_66
):
    """先进 needs a survey approval of at least 90 %. A2 (70.00, 先进 by points) held no
    survey: the gate has no data, so A2 is held to 合格 and the period page lists the gate
    as missing. A1 (65.33, 合格) has 4 of 6 answers approving (66.67 %): the gate is
    missed with data, which caps nothing below 先进. HQ marks A2's gate 不适用; computed
    again, A2 is 先进."""
    Gate.objects.create(
        version=advanced_from_66,
        name="职工满意率",
        level=Level.ADVANCED,
        metric="survey.approval_rate",
        at_least=Decimal("0.9"),
    )
    accepted_home(*org.groups.values())
    run = _scored(org, scheme, period, evaluators, hq)
    a1, a2 = result(run, org.A1), result(run, org.A2)
    assert (a1.total, a1.level) == (Decimal("65.33"), Level.QUALIFIED)
    assert (a2.total, a2.level) == (Decimal("70.00"), Level.QUALIFIED)
    assert [(g["met"], g["value"]) for g in a2.breakdown["gates"]] == [(False, None)]
    assert [(g["met"], g["value"]) for g in a1.breakdown["gates"]] == [(False, "0.6667")]
    # Missed by both, but only A2's level (先进 by points) is held by it.
    assert [g["held"] for g in a1.breakdown["gates"] + a2.breakdown["gates"]] == [False, True]
    gaps = [g for g in completeness(period).open if g.kind == WaiverKind.GATE]
    assert [(g.group.code, g.what) for g in gaps] == [
        ("A2", "必达条件 职工满意率：无数据"),
        ("B2", "必达条件 职工满意率：无数据"),
    ]
    services.waivers_add(
        period=period, by=hq, keys=[gaps[0].key], reason="本期该小组未组织民主测评"
    )
    assert completeness(period).stale  # the waiver changes a level: compute again
    run = services.score_compute(period=period, by=hq)
    a2 = result(run, org.A2)
    assert a2.level == Level.ADVANCED
    assert a2.breakdown["gates"][0]["waived"] is True


def test_the_scorecard_says_which_gate_held_the_level(
    org, scheme, period, evaluators, hq, rubric, login
):
    """With 先进 from 65, A1's 65.33 is 先进 by points, but its approval of 66.67 % misses
    the 90 % gate: its card says it is held to 合格."""
    RubricVersion.objects.filter(pk=rubric.pk).update(qualified_at=60, advanced_at=65)
    Gate.objects.create(
        version=rubric,
        name="职工满意率",
        level=Level.ADVANCED,
        metric="survey.approval_rate",
        at_least=Decimal("0.9"),
    )
    accepted_home(*org.groups.values())
    run = _scored(org, scheme, period, evaluators, hq)
    assert result(run, org.A1).level == Level.QUALIFIED
    publish(period, hq)
    page = (
        login(leader_user(org.A1))
        .get(reverse("scoring:scorecard", args=[period.pk, org.A1.pk]))
        .content.decode()
    )
    assert "未达到必达条件“职工满意率”：先进须达到该条件，因此等级最高为合格。" in page
    assert "90%" in page


# Bonus and deduction items -----------------------------------------------------------------


@pytest.fixture
def items(scheme):
    """活动 (a, weight 40) may gain at most 3 bonus points: 表彰 counts up to 2.50, 竞赛 up
    to 1. 关怀 (c) has a deduction 事故 counting up to 5."""
    a, _b, c = scheme["criteria"]
    Criterion.objects.filter(pk=a.pk).update(bonus_cap=3)
    return {
        "honour": AdjustmentItem.objects.create(
            criterion=a, kind=AdjustmentKind.BONUS, name="表彰", points_each=2, cap=Decimal("2.5")
        ),
        "contest": AdjustmentItem.objects.create(
            criterion=a, kind=AdjustmentKind.BONUS, name="竞赛", points_each=1, cap=1
        ),
        "accident": AdjustmentItem.objects.create(
            criterion=c, kind=AdjustmentKind.DEDUCTION, name="事故", points_each=3, cap=5
        ),
    }


def test_bonuses_count_within_the_item_and_criterion_caps_and_deductions_within_theirs(
    org, scheme, period, evaluators, hq, items
):
    """A2 (70.00): 表彰 2 + 2 = 4, counted 2.50 (its cap); 竞赛 1; together 3.50, counted
    3.00 (活动's bonus cap). 事故 3 + 3 = 6, counted 5.00. Total 70 + 3 − 5 = 68.00.
    A1 (65.33) gets one 事故 of 3: 62.33."""
    accepted_home(*org.groups.values())
    for item, group, points in [
        ("honour", org.A2, "2"),
        ("honour", org.A2, "2"),
        ("contest", org.A2, "1"),
        ("accident", org.A2, "3"),
        ("accident", org.A2, "3"),
        ("accident", org.A1, "3"),
    ]:
        services.adjustment_add(
            period=period,
            group=group,
            item=items[item],
            by=hq,
            points=Decimal(points),
            reason="记录",
        )
    run = _scored(org, scheme, period, evaluators, hq)
    a2 = result(run, org.A2)
    assert a2.total == Decimal("68.00")
    by_code = {c["code"]: c for c in a2.breakdown["criteria"]}
    assert (by_code["a"]["bonus"], by_code["c"]["deduction"]) == ("3.00", "5.00")
    assert [
        (line["name"], line["entered"], line["counted"]) for line in by_code["a"]["adjustments"]
    ] == [
        ("表彰", "4.00", "2.50"),
        ("竞赛", "1.00", "1.00"),
    ]
    assert result(run, org.A1).total == Decimal("62.33")


def test_a_deduction_never_takes_the_total_below_zero(org, scheme, period, hq, items):
    """B2 has only c1's 30 points; deductions of 5 leave 25, never less than 0."""
    accepted_home(org.B2)
    services.adjustment_add(
        period=period,
        group=org.B2,
        item=items["accident"],
        by=hq,
        points=Decimal("5"),
        reason="事故",
    )
    run = services.score_compute(period=period, by=hq)
    assert result(run, org.B2).total == Decimal("25.00")


def test_an_entry_is_refused_without_a_reason_above_the_cap_or_from_another_rubric(
    org, scheme, period, hq, items, evaluators
):
    def add(**changes):
        values = {
            "period": period,
            "group": org.A1,
            "item": items["honour"],
            "by": hq,
            "points": Decimal("2"),
            "reason": "获奖",
        } | changes
        return services.adjustment_add(**values)

    with pytest.raises(ValidationError) as caught:
        add(reason=" ")
    assert list(caught.value.message_dict) == ["reason"]
    with pytest.raises(ValidationError) as caught:
        add(points=Decimal("3"))
    assert caught.value.message_dict == {"points": ["请填写大于 0、至多 2.50 分。"]}
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        add(by=evaluators[0])
    other = services.rubric_copy(rubric=period.rubric, year=2027, by=hq)
    foreign = AdjustmentItem.objects.get(criterion__version=other, name="表彰")
    with pytest.raises(ValidationError) as caught:
        add(item=foreign)
    assert list(caught.value.message_dict) == ["item"]


def test_hq_enters_a_bonus_with_evidence_and_the_leader_reads_it_on_the_card(
    org, scheme, period, hq, items, login, tmp_path, settings
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    accepted_home(org.A1)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(picture, format="PNG")
    client = login(hq)
    url = reverse("scoring:adjustments", args=[period.pk])
    response = client.post(
        url, {"group": org.A1.pk, "item": items["honour"].pk, "points": "9", "reason": "获公司表彰"}
    )
    assert response.status_code == 200
    assert "请填写大于 0、至多 2.50 分。" in response.content.decode()
    response = client.post(
        url,
        {
            "group": org.A1.pk,
            "item": items["honour"].pk,
            "points": "2",
            "reason": "获公司表彰",
            "evidence": SimpleUploadedFile(
                "证书.png", picture.getvalue(), content_type="image/png"
            ),
        },
    )
    assert response.status_code == 302
    entry = period.adjustments.get()
    assert (entry.by, entry.evidence_name) == (hq, "证书.png")
    services.score_compute(period=period, by=hq)
    publish(period, hq)
    leader = login(leader_user(org.A1))
    card = leader.get(reverse("scoring:scorecard", args=[period.pk, org.A1.pk])).content.decode()
    assert "获公司表彰" in card and "+2.00" in card
    evidence = reverse("scoring:adjustment_evidence", args=[entry.pk])
    assert evidence in card
    assert leader.get(evidence).status_code == 200
    assert login(leader_user(org.B1)).get(evidence).status_code == 404


# The survey's turnout -----------------------------------------------------------------------


def test_a_survey_below_its_turnout_does_not_count(org, scheme, period, hq, rubric, login):
    """A1 has 3 members and ballots for each; the survey counts from two thirds. With one
    ballot used (33.33 %) its approval (b1, 20 points) is not counted: A1 has only c1's 30
    points, and the period page lists the survey as missing. With a second ballot (66.67 %)
    it counts: both answered 满意, so b1 gives 20 and A1 has 50.00."""
    RubricVersion.objects.filter(pk=rubric.pk).update(survey_min_turnout=Decimal("66.67"))
    accepted_home(org.A1)
    codes = services.ballots_issue(period=period, group=org.A1, by=hq, count=3)
    every = dict.fromkeys(SurveyQuestion.objects.values_list("code", flat=True), "satisfied")
    services.ballot_submit(code=codes[0], answers=every)
    run = services.score_compute(period=period, by=hq)
    a1 = result(run, org.A1)
    assert a1.total == Decimal("30.00")
    assert a1.breakdown["survey"] == {"turnout": "0.3333", "needed": "0.6667", "counts": False}
    survey = [g for g in completeness(period).open if g.kind == WaiverKind.SURVEY]
    assert [g.what for g in survey] == ["民主测评：参与率 33.33%，低于 66.67%"]
    services.waivers_add(period=period, by=hq, keys=[survey[0].key], reason="测评另行组织")
    publish(period, hq)
    card = (
        login(leader_user(org.A1))
        .get(reverse("scoring:scorecard", args=[period.pk, org.A1.pk]))
        .content.decode()
    )
    assert "民主测评参与率 33.33% 低于规定的 66.67%，本期测评不计分" in card
    services.period_move(period=period, by=hq, to="scoring")
    services.ballot_submit(code=codes[1], answers=every)
    run = services.score_compute(period=period, by=hq)
    assert result(run, org.A1).total == Decimal("50.00")
    assert result(run, org.A1).breakdown["survey"]["counts"] is True


def test_the_ballot_asks_the_rubrics_questions(org, period, hq, client):
    codes = services.ballots_issue(period=period, group=org.A1, by=hq, count=1)
    page = client.get(reverse("scoring:ballot", args=[codes[0]])).content.decode()
    for text in SurveyQuestion.objects.values_list("text", flat=True):
        assert text in page
    assert "您对本班组工会小组的工作总体是否满意？" in page


def test_the_answer_scale_is_the_rubrics_and_says_what_counts_as_approval(
    org, scheme, period, hq, rubric, client
):
    """HQ's scale: 非常满意 and 满意 approve, 基本满意 no longer does, 不满意 does not. Two
    ballots of A1 answer the three questions: [非常满意, 基本满意, 不满意] and [满意 × 3]:
    4 of 6 answers approve → 0.6667."""
    from scoring.metrics import approval_rate
    from scoring.models import SurveyChoice

    SurveyChoice.objects.filter(version=rubric, code="fairly").update(approves=False)
    SurveyChoice.objects.create(version=rubric, code="very", label="非常满意", sort_order=0)
    codes = services.ballots_issue(period=period, group=org.A1, by=hq, count=3)
    page = client.get(reverse("scoring:ballot", args=[codes[0]])).content.decode()
    assert "非常满意" in page and "基本满意" in page
    questions = list(SurveyQuestion.objects.values_list("code", flat=True))
    services.ballot_submit(
        code=codes[0], answers=dict(zip(questions, ["very", "fairly", "unsatisfied"], strict=True))
    )
    services.ballot_submit(code=codes[1], answers=dict.fromkeys(questions, "satisfied"))
    assert approval_rate(group_ids=[org.A1.pk], period_id=period.pk) == {org.A1.pk: 0.6667}
    with pytest.raises(ValidationError, match="请回答每一项"):  # not an answer of the scale
        services.ballot_submit(code=codes[2], answers=dict.fromkeys(questions, "excellent"))


def test_a_veto_names_the_rubrics_veto_item(org, scheme, period, hq, rubric):
    """B2 (30.00) would be 不合格 anyway; A2's veto shows on its result with its item."""
    from datetime import date

    from scoring.models import VetoItem

    item = VetoItem.objects.create(version=rubric, name="发生重大安全生产责任事故")
    accepted_home(org.A2)
    with pytest.raises(ValidationError) as caught:
        services.veto_add(
            period=period, group=org.A2, by=hq, reason="检修事故", happened_on=date(2026, 2, 1)
        )
    assert list(caught.value.message_dict) == ["item"]
    services.veto_add(
        period=period,
        group=org.A2,
        by=hq,
        item=item,
        reason="检修中一人重伤",
        happened_on=date(2026, 2, 1),
    )
    run = services.score_compute(period=period, by=hq)
    a2 = result(run, org.A2)
    assert (a2.level, a2.vetoed) == (Level.FAILED, True)
    assert a2.breakdown["vetoes"] == ["发生重大安全生产责任事故：检修中一人重伤"]


def test_evidence_entered_after_publication_waits_for_the_next_publication(
    org, scheme, period, hq, items, login, tmp_path, settings
):
    """The leader reads the evidence of the entries their published card counts; an entry
    HQ adds after reopening the period is not theirs to read until it is published."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    accepted_home(org.A1)
    services.score_compute(period=period, by=hq)
    publish(period, hq)
    services.period_move(period=period, by=hq, to="scoring")
    entry = services.adjustment_add(
        period=period,
        group=org.A1,
        item=items["honour"],
        by=hq,
        points=Decimal("1"),
        reason="获奖",
        evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", "application/pdf"),
    )
    url = reverse("scoring:adjustment_evidence", args=[entry.pk])
    assert login(hq).get(url).status_code == 200
    leader = login(leader_user(org.A1))
    assert leader.get(url).status_code == 404
    services.score_compute(period=period, by=hq)
    publish(period, hq)
    assert leader.get(url).status_code == 200
