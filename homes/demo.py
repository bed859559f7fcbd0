"""Demo 小家 creation: two past years of names, and this year's process with a group at
every stage, two inspection panels of people from other workshop unions, a public notice
with an objection answered, a naming, and re-checks that keep, lower and withdraw a title.
The mine size gets titles and stages in bulk."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Role, User
from activities.models import ContentArea
from groups.models import HomeLevel, HomeStage, UnionGroup
from scoring import demo as scoring_demo
from scoring import engine
from unionhome.demo import DemoContext

from . import services
from .models import (
    ChecklistItem,
    CreationPlan,
    CreationYear,
    Declaration,
    DeclarationStatus,
    HomeEvent,
    HomeStep,
    HomeTitle,
    InspectionPanel,
    NamingDocument,
    PanelRule,
    PlanStatus,
    RecheckOutcome,
    RecommendationQuota,
)

BATCH = 2000


def _year(year: int, today: date) -> CreationYear:
    if year == today.year:
        # The window holds today, whenever the demo is built.
        opens = max(date(year, 1, 1), today - timedelta(days=45))
        closes = min(date(year, 12, 31), today + timedelta(days=30))
    else:
        opens, closes = date(year, 9, 1), date(year, 11, 15)
    creation_year, created = CreationYear.objects.get_or_create(
        year=year, defaults={"declarations_open": opens, "declarations_close": closes}
    )
    if created:
        RecommendationQuota.objects.create(
            year=creation_year, level=HomeLevel.ADVANCED, share=Decimal("40")
        )
        RecommendationQuota.objects.create(
            year=creation_year, level=HomeLevel.MODEL, share=Decimal("34")
        )
    return creation_year


def _past_naming(year: CreationYear, named, today: date, hq, number: int) -> None:
    """A past year's naming written as it stands in the archive: titles, the groups'
    stage, and their timeline."""
    named_on = date(year.year, 12, 20)
    document = NamingDocument.objects.create(
        year=year,
        document_no=f"矿工发〔{year.year}〕{number}号",
        named_on=named_on,
        named_by=hq,
    )
    for index, (group, level) in enumerate(named, start=1):
        HomeTitle.objects.filter(group=group, ended_on__isnull=True).update(
            ended_on=named_on, end="superseded", end_reason=f"{year.year}年命名"
        )
        HomeTitle.objects.create(
            group=group,
            level=level,
            year=year.year,
            document=document,
            certificate_no=f"XJ{year.year}-{index:03d}",
            named_on=named_on,
        )
        started = group.home_started_on or date(year.year, 3, 1)
        UnionGroup.objects.filter(pk=group.pk).update(
            home_stage=HomeStage.NAMED,
            home_level=level,
            home_started_on=started,
            home_accepted_on=group.home_accepted_on or date(year.year, 11, 20),
        )
        group.refresh_from_db()
        event = HomeEvent.objects.create(
            group=group,
            step=HomeStep.NAMED,
            level=level,
            detail=document.document_no,
            stage=HomeStage.NAMED,
            by=hq,
        )
        HomeEvent.objects.filter(pk=event.pk).update(
            at=timezone.make_aware(datetime.combine(named_on, time(10)))
        )


def seed(context: DemoContext) -> None:
    scoring_demo.rubrics(context)  # the years below name their rubric
    if CreationYear.objects.exists():
        context.log("  small homes: already there")
        return
    if context.is_mine:
        _seed_mine(context)
        return
    today = context.today
    users = context.shared["users"]
    hq = users["hq"]
    groups = context.shared["groups"]
    workshops = context.shared["workshops"]
    by_name = {g.name: g for g in groups}
    leaders = context.shared["leader_users"]
    workshop_users = context.shared["workshop_users"]
    years = {y: _year(y, today) for y in (today.year - 2, today.year - 1, today.year)}

    # Two past years of names: the archive a 模范 application rests on.
    _past_naming(
        years[today.year - 2],
        [(by_name["运行乙班"], HomeLevel.ADVANCED), (by_name["检修班"], HomeLevel.QUALIFIED)],
        today,
        hq,
        9,
    )
    _past_naming(
        years[today.year - 1],
        [
            (by_name["运行一班"], HomeLevel.QUALIFIED),
            (by_name["运行乙班"], HomeLevel.ADVANCED),
            (by_name["继保班"], HomeLevel.ADVANCED),
            (by_name["高压班"], HomeLevel.ADVANCED),
            (by_name["水处理班"], HomeLevel.QUALIFIED),
            (by_name["燃料班"], HomeLevel.QUALIFIED),
            (by_name["电测班"], HomeLevel.QUALIFIED),
        ],
        today,
        hq,
        15,
    )
    year = years[today.year]
    areas = list(ContentArea.objects.filter(is_active=True))

    def leader_of(group):
        return leaders.get(group.pk) or hq

    def workshop_of(group):
        return workshop_users.get(group.workshop_id) or hq

    def plan(group, level, approve=True):
        members = list(group.members.filter(status="active").order_by("employee_no")[:3])
        posts = ["组长", "宣传员", "生活员"]
        made = services.plan_save(
            group=group,
            year=year.year,
            by=leader_of(group),
            target_level=level,
            rules="每月召开一次小组会，班务每月公开；新职工入组谈心；生日、住院必访。",
            core=[{"member": m.pk, "post": p} for m, p in zip(members, posts, strict=False)],
            measures={area.code: f"{area.name}：按月安排，责任到人。" for area in areas},
        )
        made = services.plan_submit(plan=made, by=leader_of(group), version=made.version)
        if approve:
            made = services.plan_approve(plan=made, by=workshop_of(group), version=made.version)
        return made

    def declared(group, level):
        plan(group, level)
        declaration = services.declaration_open(group=group, year=year.year, by=leader_of(group))
        lines = {
            indicator["code"]: {
                "self": (Decimal(indicator["max_points"]) * Decimal("0.9")).quantize(
                    Decimal("0.01")
                ),
                "comment": "按计划开展，台账齐全。",
                "evidence": [],
            }
            for _criterion, indicator in declaration.indicators()
        }
        declaration = services.declaration_save(
            declaration=declaration,
            by=leader_of(group),
            version=declaration.version,
            lines=lines,
            summary=(
                f"{group.name}围绕“六个一”建家目标，坚持每月小组会和班务公开，"
                "开展岗位练兵、技术比武和谈心慰问，职工参与率逐月提高。"
            ),
        )
        return services.declaration_submit(
            declaration=declaration, by=leader_of(group), version=declaration.version
        )

    def recommended(group, level):
        declaration = declared(group, level)
        return services.declaration_recommend(
            declaration=declaration,
            by=workshop_of(group),
            version=declaration.version,
            level=level,
            opinion="材料真实，活动扎实，同意推荐。",
        )

    # Panels of people from other workshop unions (the demo `workshop` login sits on one).
    w_logins = [workshop_users[w.pk] for w in workshops]
    first = services.panel_save(
        year=year,
        by=hq,
        name="第一考评小组",
        leader=w_logins[0],
        members=[w_logins[2], users["evaluator"], hq],
        rule=PanelRule.MEAN,
    )
    second = services.panel_save(
        year=year,
        by=hq,
        name="第二考评小组",
        leader=w_logins[3],
        members=[w_logins[1], users["evaluator"], hq],
        rule=PanelRule.TRIMMED,
    )
    panel_for = {workshops[0].pk: second, workshops[1].pk: first, workshops[3].pk: first}
    panel_for[workshops[2].pk] = second

    def inspected(declaration, members, points_share):
        panel = panel_for[declaration.group.workshop_id]
        declaration = services.declaration_assign(
            declaration=declaration, by=hq, version=declaration.version, panel=panel
        )
        items = ChecklistItem.objects.filter(use="acceptance", is_active=True)
        for person, share in zip(members, points_share, strict=False):
            services.inspection_save(
                declaration=declaration,
                by=person,
                scores={
                    indicator["code"]: (Decimal(indicator["max_points"]) * Decimal(share)).quantize(
                        Decimal("0.01")
                    )
                    for _criterion, indicator in declaration.indicators()
                },
                checks={str(item.pk): {"passed": True, "note": ""} for item in items},
                remarks="现场查看活动室和台账，职工反映良好。",
                inspected_on=today - timedelta(days=2),
                submit=True,
            )
        declaration.refresh_from_db()
        return declaration, panel

    def accepted(group, level, shares=("0.92", "0.88", "0.9")):
        declaration = recommended(group, level)
        panel = panel_for[group.workshop_id]
        people = [panel.leader, *[m for m in panel.members.all() if m != panel.leader]]
        declaration, panel = inspected(declaration, people[: len(shares)], shares)
        return services.declaration_sign_off(
            declaration=declaration,
            by=panel.leader,
            version=declaration.version,
            opinion="组织健全、制度上墙、台账齐全，同意通过验收。",
        )

    # This year, a group at every stage.
    plan(by_name["运行二班"], HomeLevel.QUALIFIED, approve=False)  # plan with the workshop
    plan(by_name["点检班"], HomeLevel.QUALIFIED)  # 创建中
    plan(by_name["运行一班"], HomeLevel.ADVANCED)  # the demo leader's: ready to declare
    declared(by_name["运行甲班"], HomeLevel.QUALIFIED)  # 已申报
    recommended(by_name["化验班"], HomeLevel.QUALIFIED)  # 车间已推荐
    inspected(
        recommended(by_name["检修班"], HomeLevel.ADVANCED), [second.leader], ["0.9"]
    )  # 验收中, one of the panel has inspected
    # 已验收 and two in the public notice; one of them named after its notice with an
    # objection answered.
    accepted(by_name["电测班"], HomeLevel.ADVANCED)
    in_notice = [accepted(by_name["水处理班"], HomeLevel.ADVANCED)]
    named = accepted(by_name["继保班"], HomeLevel.MODEL, shares=("0.95", "0.93", "0.94"))
    notice = services.notice_publish(
        year=year,
        by=hq,
        title=f"{year.year}年度职工小家拟命名名单公示",
        declarations=[*in_notice, named],
    )
    objection = services.objection_file(
        notice=notice,
        declaration=named,
        by=leaders.get(by_name["高压班"].pk) or hq,
        text="继保班今年有一次班务公开延迟，是否影响评模范？",
    )
    services.objection_answer(
        objection=objection,
        by=hq,
        answer="经核查，延迟系设备检修所致，已补公开并说明情况，不影响命名。",
        upheld=False,
    )
    # The demo's notice ran its days (moved back in time), so its homes can be named.
    type(notice).objects.filter(pk=notice.pk).update(
        starts_on=today - timedelta(days=year.notice_days + 2),
        ends_on=today - timedelta(days=3),
    )
    notice.refresh_from_db()
    document = services.naming_confirm(
        notice=notice,
        by=hq,
        document_no=f"矿工发〔{year.year}〕21号",
        named_on=today - timedelta(days=1),
        levels={in_notice[0].pk: HomeLevel.ADVANCED, named.pk: HomeLevel.MODEL},
    )
    # Publish the last accepted one again, so that a notice runs now.
    services.notice_publish(
        year=year,
        by=hq,
        title=f"{year.year}年度职工小家拟命名名单公示（第二批）",
        declarations=[
            Declaration.objects.get(group=by_name["电测班"], year=year, kind="acceptance")
        ],
    )

    # The yearly re-check: one kept, one lowered, one withdrawn, each with its reasons.
    for group_name, outcome, level, reason in [
        ("高压班", RecheckOutcome.KEEP, "", ""),
        (
            "运行乙班",
            RecheckOutcome.DOWNGRADE,
            HomeLevel.QUALIFIED,
            "全年有四个月月报逾期，民主测评满意率低于80%，由先进降为合格。",
        ),
        (
            "燃料班",
            RecheckOutcome.WITHDRAW,
            "",
            "本年度发生一起轻伤安全事故（一票否决），小组骨干调离后台账中断半年，责令摘牌。",
        ),
    ]:
        group = UnionGroup.objects.get(pk=by_name[group_name].pk)
        recheck = Declaration.objects.filter(group=group, year=year, kind="recheck").first()
        if recheck is None:
            recheck = services.recheck_open(group=group, year=year.year, by=hq, reason="年度复查")
        panel = panel_for[group.workshop_id]
        recheck = services.declaration_assign(
            declaration=recheck, by=hq, version=recheck.version, panel=panel
        )
        services.inspection_save(
            declaration=recheck,
            by=panel.leader,
            scores={
                indicator["code"]: Decimal(indicator["max_points"]) * Decimal("0.8")
                for _criterion, indicator in recheck.indicators()
            },
            checks={
                str(item.pk): {"passed": outcome == RecheckOutcome.KEEP, "note": ""}
                for item in ChecklistItem.objects.filter(use="recheck", is_active=True)
            },
            remarks="年度复查现场查看。",
            inspected_on=today - timedelta(days=5),
            submit=True,
        )
        recheck.refresh_from_db()
        recheck = services.declaration_sign_off(
            declaration=recheck, by=panel.leader, version=recheck.version, opinion="见复查意见。"
        )
        services.recheck_decide(
            declaration=recheck,
            by=hq,
            version=recheck.version,
            outcome=outcome,
            level=level,
            reason=reason,
        )
    context.log(
        f"  small homes: {HomeTitle.objects.current().count()} titles held, naming "
        f"{document.document_no}, a notice running, two panels"
    )


def _seed_mine(context: DemoContext) -> None:
    """The mine: last year's names and this year's stages, in bulk (no steps recorded)."""
    rng, today = context.rng, context.today
    hq = User.objects.filter(role_assignments__role=Role.HQ).first()
    groups = list(context.shared["groups"])
    past = _year(today.year - 1, today)
    _year(today.year, today)
    document = NamingDocument.objects.create(
        year=past,
        document_no=f"矿工发〔{past.year}〕15号",
        named_on=date(past.year, 12, 20),
        named_by=hq,
    )
    titles, changed = [], []
    stages = [HomeStage.BUILDING, HomeStage.DECLARED, HomeStage.RECOMMENDED, HomeStage.INSPECTING]
    for index, group in enumerate(groups, start=1):
        roll = rng.random()
        group.home_started_on = date(past.year, rng.randint(1, 6), rng.randint(1, 28))
        if roll < 0.6:
            level = rng.choices(LEVELS, weights=[6, 3, 1])[0]
            group.home_stage, group.home_level = HomeStage.NAMED, level
            group.home_accepted_on = date(past.year, 11, 20)
            titles.append(
                HomeTitle(
                    group=group,
                    level=level,
                    year=past.year,
                    document=document,
                    certificate_no=f"XJ{past.year}-{index:04d}",
                    named_on=document.named_on,
                )
            )
        elif roll < 0.9:
            group.home_stage = rng.choice(stages)
        else:
            group.home_stage, group.home_started_on = HomeStage.NOT_STARTED, None
        changed.append(group)
    UnionGroup.objects.bulk_update(
        changed,
        ["home_stage", "home_level", "home_started_on", "home_accepted_on"],
        batch_size=BATCH,
    )
    HomeTitle.objects.bulk_create(titles, batch_size=BATCH)
    _declarations_in_bulk([g for g in changed if g.home_stage in DECLARATION_OF], hq, today)
    context.log(f"  small homes: {len(titles)} titles of {past.year}")


# The declaration a group at a stage under way has, with its approved plan.
DECLARATION_OF = {
    HomeStage.DECLARED: DeclarationStatus.DECLARED,
    HomeStage.RECOMMENDED: DeclarationStatus.RECOMMENDED,
    HomeStage.INSPECTING: DeclarationStatus.INSPECTING,
}


def _declarations_in_bulk(groups, hq, today) -> None:
    year = CreationYear.objects.get(year=today.year)
    panel = InspectionPanel.objects.create(year=year, name="第一考评小组", leader=hq)
    panel.members.add(hq)
    scheme = engine.scheme_of(year.rubric)
    lines = {
        indicator["code"]: {"self": "5.00", "comment": "", "evidence": [], "computed": None}
        for criterion in scheme
        for indicator in criterion["indicators"]
    }
    plans = CreationPlan.objects.bulk_create(
        [
            CreationPlan(
                group=group,
                year=today.year,
                rules="例会、组务公开、关爱帮扶制度",
                status=PlanStatus.APPROVED,
                filed_by=hq,
            )
            for group in groups
        ],
        batch_size=BATCH,
    )
    Declaration.objects.bulk_create(
        [
            Declaration(
                group=group,
                year=year,
                plan=plan,
                target_level=HomeLevel.QUALIFIED,
                status=DECLARATION_OF[group.home_stage],
                scheme=scheme,
                lines=lines,
                summary="坚持组务公开，开展技术比武。",
                self_total=Decimal(5 * len(lines)),
                recommended_level=HomeLevel.QUALIFIED
                if group.home_stage != HomeStage.DECLARED
                else "",
                panel=panel if group.home_stage == HomeStage.INSPECTING else None,
                created_by=hq,
            )
            for group, plan in zip(groups, plans, strict=True)
        ],
        batch_size=BATCH,
    )


LEVELS = [HomeLevel.QUALIFIED, HomeLevel.ADVANCED, HomeLevel.MODEL]
