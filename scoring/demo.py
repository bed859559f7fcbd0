"""Demo assessment: the last half-year published with its results, and this year's period
in progress with some scores and ballots."""

import io
import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from groups.models import Member, MemberStatus, WorkshopUnion
from unionhome import metrics
from unionhome.demo import DemoContext

from . import services, survey
from .completeness import completeness
from .models import (
    AdjustmentItem,
    AdjustmentKind,
    AssessmentPeriod,
    Ballot,
    Criterion,
    Gate,
    Indicator,
    IndicatorKind,
    Level,
    ManualScore,
    Measure,
    MeasureKind,
    MeasurePer,
    RubricVersion,
    Rule,
    Subject,
    SurveyAnswer,
    SurveyQuestion,
    VetoItem,
    WhenMissing,
)

BATCH = 5000


def _last_half_year(today: date) -> tuple[str, date, date]:
    if today.month > 6:
        return f"{today.year}年上半年", date(today.year, 1, 1), date(today.year, 6, 30)
    return f"{today.year - 1}年下半年", date(today.year - 1, 7, 1), date(today.year - 1, 12, 31)


def rubrics(context: DemoContext) -> None:
    """考核细则 for every year the demo uses: the default rubric, given a must-pass gate
    and bonus and deduction items, moved to the earliest year and copied into each later
    one; those up to this year are frozen, next year's copy stays a draft for HQ to edit.
    Runs before the small homes' demo, whose years and declarations name their rubric."""
    today = context.today
    first_year = today.year - 2
    base = RubricVersion.objects.order_by("year").first()
    if base is None or base.is_frozen or base.year <= first_year:
        context.log("  rubrics: already there")
        return
    hq = context.shared["users"]["hq"]
    base.year = first_year
    base.save(update_fields=["year"])
    Gate.objects.create(
        version=base,
        name="职工满意率（民主测评）",
        level=Level.MODEL,
        metric="survey.approval_rate",
        at_least=Decimal("0.85"),
    )
    for order, name in enumerate(
        [
            "发生重大安全生产责任事故",
            "职工违法犯罪被追究刑事责任",
            "发生群体性事件或越级上访并造成不良影响",
        ],
        start=1,
    ):
        VetoItem.objects.create(version=base, name=name, sort_order=order)
    criteria = {c.code: c for c in Criterion.objects.filter(version=base)}
    Criterion.objects.filter(pk=criteria["performance"].pk).update(bonus_cap=Decimal("3"))
    Criterion.objects.filter(pk=criteria["democracy"].pk).update(bonus_cap=Decimal("1"))
    for criterion, kind, name, each, cap in [
        ("performance", AdjustmentKind.BONUS, "获得公司级及以上表彰", "1", "2"),
        ("performance", AdjustmentKind.BONUS, "劳动竞赛获奖", "1", "2"),
        ("democracy", AdjustmentKind.BONUS, "合理化建议被采纳", "0.5", "1"),
        ("performance", AdjustmentKind.DEDUCTION, "发生一般安全生产事故", "3", "6"),
        ("quality", AdjustmentKind.DEDUCTION, "职工违纪受到处分", "2", "4"),
    ]:
        AdjustmentItem.objects.create(
            criterion=criteria[criterion],
            kind=kind,
            name=name,
            points_each=Decimal(each),
            cap=Decimal(cap),
        )
    rubric = base
    for year in range(first_year, today.year + 1):
        if year > first_year:
            rubric = services.rubric_copy(rubric=rubric, year=year, by=hq)
        if year == today.year:
            _democratic_management(rubric)
        services.rubric_freeze(rubric=rubric, by=hq)
    draft = services.rubric_copy(rubric=rubric, year=today.year + 1, by=hq)
    # Next year's draft tries a measure HQ composed in the admin site, from the options
    # the activities app offers (scoring reads no other app's tables).
    activities = metrics.source("activities.activity")
    option = next(
        (value for value, label in activities.options() if str(label).endswith("政治学习")), ""
    )
    politics = Measure.objects.create(
        code="political_study_per_member",
        name="政治学习人均次数",
        kind=MeasureKind.COUNT,
        source="activities.activity",
        option=option,
        per=MeasurePer.PER_MEMBER,
    )
    Indicator.objects.create(
        criterion=Criterion.objects.get(version=draft, code="quality"),
        code="political_study",
        name="政治学习人均次数",
        kind=IndicatorKind.COMPUTED,
        metric=politics.metric_name,
        rule=Rule.LINEAR,
        target=Decimal("1"),
        sort_order=3,
    )
    _workshop_rubric(first_year, hq)
    context.log(f"  rubrics: {first_year}–{today.year} frozen, {today.year + 1} a draft")


# (code, name, figure, share, target, when nothing is there to count)
DEMOCRATIC_MANAGEMENT = [
    ("suggestions", "合理化建议人均件数", "improvements.per_member", "1", "0.3", WhenMissing.ZERO),
    ("adoption", "合理化建议采纳率", "improvements.adoption_rate", "1", "0.6", WhenMissing.FULL),
    (
        "group_meetings",
        "班组民主会按计划召开",
        "congresses.sessions_against_target",
        "1",
        "1",
        WhenMissing.ZERO,
    ),
    ("resolutions", "决议按期落实", "congresses.resolutions_on_time", "1", "1", WhenMissing.FULL),
    ("disclosure", "班务公开（每季度）", "disclosures.per_quarter", "1", "1", WhenMissing.ZERO),
    ("feedback", "公开意见按时答复", "disclosures.feedback_on_time", "1", "1", WhenMissing.FULL),
]


def _democratic_management(rubric: RubricVersion) -> None:
    """This year the union keeps its democratic management in the app (congresses,
    disclosures, suggestions), so 民主有序 is measured from those records too."""
    criterion = Criterion.objects.get(version=rubric, code="democracy")
    for order, (code, name, metric, share, target, missing) in enumerate(
        DEMOCRATIC_MANAGEMENT, start=10
    ):
        Indicator.objects.create(
            criterion=criterion,
            code=code,
            name=name,
            kind=IndicatorKind.COMPUTED,
            metric=metric,
            share=Decimal(share),
            rule=Rule.LINEAR,
            target=Decimal(target),
            when_missing=missing,
            sort_order=order,
        )


def _workshop_rubric(year: int, hq) -> RubricVersion:
    """十佳车间工会: what a workshop union is assessed on, from its groups' figures and the
    evaluators' view of its own work."""
    rubric = RubricVersion.objects.create(year=year, subject=Subject.WORKSHOPS)
    homes = Criterion.objects.create(
        version=rubric, code="homes", name="职工小家建设", weight=Decimal(40), sort_order=1
    )
    basics = Criterion.objects.create(
        version=rubric, code="basics", name="基础工作", weight=Decimal(30), sort_order=2
    )
    work = Criterion.objects.create(
        version=rubric, code="work", name="工作实绩", weight=Decimal(30), sort_order=3
    )
    for criterion, code, name, metric, rule, target, steps in [
        (homes, "coverage", "小家覆盖率", "workshop.home_coverage", Rule.LINEAR, 1, []),
        (
            homes,
            "average",
            "所属小家平均得分",
            "workshop.groups_average_score",
            Rule.LINEAR,
            90,
            [],
        ),
        (basics, "reports", "月报按时报送率", "activities.reports_on_time", Rule.LINEAR, 1, []),
        (
            basics,
            "democracy",
            "小组会议与民主管理",
            "activities.democratic_records",
            Rule.STEPS,
            None,
            [[6, 1], [3, 0.6], [1, 0.3]],
        ),
    ]:
        Indicator.objects.create(
            criterion=criterion,
            code=code,
            name=name,
            kind=IndicatorKind.COMPUTED,
            metric=metric,
            rule=rule,
            target=Decimal(target) if target else None,
            steps=steps,
        )
    Indicator.objects.create(
        criterion=work,
        code="results",
        name="车间工会工作实绩",
        kind=IndicatorKind.MANUAL,
        guidance="听取车间工会汇报，查看工作计划、总结和台账：是否指导小组建家、"
        "组织劳动竞赛，职工反映的问题是否及时解决。",
    )
    services.rubric_freeze(rubric=rubric, by=hq)
    return rubric


def _workshop_assessment(context, name, start, end) -> None:
    """The workshop unions' assessment of the same half year, published, with its list."""
    users = context.shared["users"]
    period = AssessmentPeriod.objects.create(
        name=f"{name}车间工会",
        subject=Subject.WORKSHOPS,
        start=start,
        end=end,
        top_size=2,
    )
    period.evaluators.add(users["evaluator"])
    manual = Indicator.objects.get(criterion__version=period.rubric, kind=IndicatorKind.MANUAL)
    workshops = list(WorkshopUnion.objects.filter(is_active=True).order_by("sort_order"))
    for index, workshop in enumerate(workshops):
        services.manual_score_set(
            period=period,
            workshop=workshop,
            indicator=manual,
            by=users["evaluator"],
            points=Decimal(28 - 2 * (index % 4)),
            max_points=Decimal(30),
        )
    services.score_compute(period=period, by=users["hq"])
    run = services.score_publish(period=period, by=users["hq"])
    top = [r.workshop.name for r in run.workshop_results.filter(top_ten=True)]
    context.log(f"  {period.name}: published, {period.top_list_name} {top}")


def _adjustments(period, groups, hq) -> None:
    """A few bonuses and deductions, one with a photo of the certificate as evidence."""
    items = {
        item.name: item
        for item in AdjustmentItem.objects.filter(criterion__version=period.rubric_id)
    }
    picture = io.BytesIO()
    Image.new("RGB", (320, 200), (196, 30, 58)).save(picture, format="PNG")
    certificate = SimpleUploadedFile("表彰证书.png", picture.getvalue(), content_type="image/png")
    for group, name, points, reason, evidence in [
        (groups[0], "获得公司级及以上表彰", "1", "获公司“工人先锋号”称号", certificate),
        (groups[1], "劳动竞赛获奖", "1", "技能比武团体第二名", None),
        (groups[1], "获得公司级及以上表彰", "1", "获公司安全生产先进集体", None),
        (groups[2], "发生一般安全生产事故", "3", "检修中发生一起轻微设备事故", None),
    ]:
        services.adjustment_add(
            period=period,
            group=group,
            item=items[name],
            by=hq,
            points=Decimal(points),
            reason=reason,
            evidence=evidence,
        )


def seed(context: DemoContext) -> None:
    today = context.today
    users = context.shared["users"]
    if context.is_mine:
        past = (f"{today.year - 1}年度", date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    else:
        past = _last_half_year(today)
    name, start, end = past
    if AssessmentPeriod.objects.filter(name=name).exists():
        context.log("  assessment: already there")
        return
    period = AssessmentPeriod.objects.create(
        name=name, start=start, end=end, survey_closes_on=end + timedelta(days=20)
    )
    current = AssessmentPeriod.objects.create(
        name=f"{today.year}年度",
        start=date(today.year, 1, 1),
        end=date(today.year, 12, 31),
        survey_closes_on=date(today.year + 1, 1, 20),
    )
    for p in (period, current):
        p.evaluators.add(users["evaluator"])
    groups = context.shared["groups"]
    _adjustments(period, groups, users["hq"])
    _adjustments(current, groups[3:], users["hq"])
    _manual_scores(context, period, groups, share=1.0)
    _ballots(context, period, groups, share_used=0.85)
    services.veto_add(
        period=period,
        group=groups[-1],
        item=VetoItem.objects.filter(version=period.rubric_id).first(),
        by=users["hq"],
        reason="发生一起轻伤及以上安全事故",
        happened_on=start + timedelta(days=40),
    )
    services.score_compute(period=period, by=users["hq"])
    gaps = completeness(period).open
    if gaps:  # the publish guard: what was not scored is marked 不适用, with the reason
        services.waivers_add(
            period=period,
            by=users["hq"],
            keys=[gap.key for gap in gaps],
            reason="本期未组织此项测评，经考评小组研究不计入",
        )
        if completeness(period).stale:  # a gate marked 不适用 changes a level
            services.score_compute(period=period, by=users["hq"])
    run = services.score_publish(period=period, by=users["hq"])
    levels = {}
    for result in run.results.all():
        levels[result.level or "not accepted"] = levels.get(result.level or "not accepted", 0) + 1
    context.log(f"  assessment {period.name}: published, levels {levels}")

    _workshop_assessment(context, name, start, end)

    _manual_scores(context, current, groups, share=0.4)
    _ballots(context, current, groups[:3], share_used=0.5)
    # Computed, not published: the period page lists what is still missing.
    services.score_compute(period=current, by=users["hq"])
    codes = services.ballots_issue(period=current, group=groups[0], by=users["hq"], count=3)
    context.shared["demo_ballot_codes"] = codes
    context.log(f"  assessment {current.name}: in progress; try a ballot at /b/{codes[0]}/")


def _manual_scores(context, period, groups, share: float) -> None:
    """The evaluator's points for a share of the groups, spread so that levels differ."""
    rng = context.rng
    evaluator = context.shared["users"]["evaluator"]
    indicators = list(
        Indicator.objects.filter(
            kind=IndicatorKind.MANUAL, is_active=True, criterion__version=period.rubric_id
        )
    )
    scores = []
    for index, group in enumerate(groups):
        if rng.random() > share:
            continue
        base = 0.95 if index % 5 == 0 else 0.8 if index % 3 else 0.55
        for indicator in indicators:
            fraction = Decimal(str(round(min(1, max(0, base + rng.uniform(-0.15, 0.1))), 4)))
            scores.append(
                ManualScore(
                    period=period,
                    group=group,
                    indicator=indicator,
                    evaluator=evaluator,
                    fraction=fraction,
                    comment="",
                )
            )
    ManualScore.objects.bulk_create(scores, batch_size=BATCH)


def _ballots(context, period, groups, share_used: float) -> None:
    """Ballots for every member and the votes of most of them, in bulk. These demo codes
    are never shown, as with real ballots once their slips are printed."""
    rng = context.rng
    hq = context.shared["users"]["hq"]
    codes = list(
        SurveyQuestion.objects.filter(version=period.rubric_id).values_list("code", flat=True)
    )
    members = {}
    for group_id in Member.objects.filter(group__in=groups, status=MemberStatus.ACTIVE).values_list(
        "group_id", flat=True
    ):
        members[group_id] = members.get(group_id, 0) + 1
    ballots, answers = [], []
    for index, group in enumerate(groups):
        mood = [0.8, 0.15] if index % 4 else [0.55, 0.3]
        for _ in range(members.get(group.pk, 0)):
            used = rng.random() < share_used
            ballots.append(
                Ballot(
                    period=period,
                    group=group,
                    issued_by=hq,
                    issued_on=period.end - timedelta(days=10),
                    used=used,
                    code_hash=survey.code_hash(secrets.token_hex(8)),
                )
            )
            if used:
                answers.append(
                    SurveyAnswer(
                        period=period,
                        group=group,
                        answers={
                            code: rng.choices(
                                ["satisfied", "fairly", "unsatisfied"],
                                [mood[0], mood[1], 1 - sum(mood)],
                            )[0]
                            for code in codes
                        },
                    )
                )
    Ballot.objects.bulk_create(ballots, batch_size=BATCH)
    SurveyAnswer.objects.bulk_create(answers, batch_size=BATCH)
