"""Demo 合理化建议: a year of suggestions by the demo mine's members, filed by their group
leaders on their behalf, in every state: waiting for screening, adopted with a responsible
department and a due date (one overdue), carried out with the yuan saved, not adopted with
the reason, turned into motions for the workers' congress; two awards; the decided ones
listed publicly (one kept off the list)."""

from datetime import timedelta
from decimal import Decimal

from groups.models import Member, MemberStatus
from unionhome.demo import DemoContext

from . import services
from .models import AwardLevel, EffectKind, Improvement, Status

# (title, problem, proposal, expected effect, outcome, details)
# outcome: submitted | adopted | overdue | implemented | rejected | motion
SUGGESTIONS = [
    (
        "掘进工作面皮带机头加装清扫器",
        "皮带机头回程带粘煤严重，每班需两人清理，撒煤还造成托辊磨损。",
        "在机头滚筒下方加装聚氨酯刮板清扫器，并在回程段加装空段清扫器。",
        "减少清煤人工，延长托辊寿命。",
        "implemented",
        {"responsible": "机电科", "saved": "38000", "effects": ["cost", "efficiency"]},
    ),
    (
        "废旧钢丝绳改制吊装索具",
        "更换下来的提升钢丝绳直接当废品卖，而井下吊装索具每年都要新购。",
        "经检测合格的旧钢丝绳截段插编成吊装索具，供井下检修使用。",
        "每年节约索具采购费用。",
        "implemented",
        {"responsible": "机电科 李工", "saved": "52600", "effects": ["cost"], "award": "first"},
    ),
    (
        "绞车信号改为声光双信号",
        "斜巷绞车只有电铃信号，噪声大时听不清，存在误操作隐患。",
        "在绞车房和上下车场加装声光信号灯，与电铃信号联动。",
        "防止信号误判，保障运输安全。",
        "implemented",
        {"responsible": "运输区", "saved": None, "effects": ["safety"], "award": "second"},
    ),
    (
        "井下水泵房加装自动排水控制",
        "主排水泵靠人工看水位开停，夜班容易误了时机，电费也高。",
        "加装液位传感器和自动控制箱，按水位和峰谷电价自动开停泵。",
        "节约电费，减少值守人员。",
        "implemented",
        {"responsible": "机电科", "saved": "86400", "effects": ["energy", "efficiency"]},
    ),
    (
        "皮带托辊更换按运行时长管理",
        "托辊坏了才换，常常因为一个托辊卡死把皮带磨伤。",
        "建立托辊运行台账，按运行时长提前成批更换。",
        "减少皮带损伤和停机。",
        "adopted",
        {"responsible": "运输区 王区长", "due_days": 45},
    ),
    (
        "矿灯房充电架改造",
        "充电架插口松动，矿灯充不满，下井前还要排队换灯。",
        "更换插口并按班组分区编号，充电状态用指示灯显示。",
        "缩短领灯时间，保证矿灯亮度。",
        "adopted",
        {"responsible": "综合办 矿灯房", "due_days": 30},
    ),
    (
        "巷道喷浆回弹料回收利用",
        "喷浆回弹料落地后直接清走，浪费水泥和石子。",
        "在喷浆点铺设接料板，回弹料筛分后拌入下一盘料。",
        "节约喷浆材料。",
        "overdue",
        {"responsible": "掘进一队", "due_days": -12},
    ),
    (
        "综采工作面乳化液回收",
        "液压支架检修时乳化液直接排到底板，既浪费又污染。",
        "检修时用接液桶和回收泵收集，过滤后回用。",
        "节约乳化液，改善作业环境。",
        "adopted",
        {"responsible": "综采队", "due_days": 60},
    ),
    (
        "井口候罐室增设取暖设施",
        "冬季候罐室温度低，职工等罐时间长。",
        "在候罐室加装防爆电暖器。",
        "改善职工候罐条件。",
        "rejected",
        {"reason": "候罐室暖风改造已列入今年安技措计划，由机电科统一实施，不再单独采纳。"},
    ),
    (
        "调度室增设视频大屏",
        "调度室显示器太小，看不全井下各点画面。",
        "更换为拼接大屏。",
        "提高调度指挥效率。",
        "rejected",
        {"reason": "投入较大，矿井智能化改造项目中已统一考虑，暂不采纳。", "private": True},
    ),
    (
        "修订井下作业人员轮休制度",
        "部分岗位连续上班时间长，职工反映休息不足。",
        "按岗位工作量重新核定轮休办法，提交职代会审议。",
        "保障职工休息权益。",
        "motion",
        {},
    ),
    (
        "提高夜班班中餐标准",
        "夜班班中餐标准多年未调整，职工意见较多。",
        "按物价变化调整班中餐补助标准，由职代会审议决定。",
        "提高职工满意度。",
        "motion",
        {},
    ),
    (
        "更衣室更换节能灯具",
        "更衣室照明用老式灯管，亮度低、耗电高。",
        "全部更换为LED节能灯具，加装人体感应开关。",
        "节约用电。",
        "submitted",
        {},
    ),
    (
        "采煤机截齿修复再利用",
        "磨损的截齿整只报废，齿体大部分还完好。",
        "对齿体完好的截齿更换合金头后再利用。",
        "降低截齿消耗。",
        "submitted",
        {},
    ),
    (
        "副井罐笼防坠器检查改用专用工具",
        "防坠器检查用普通扳手，费时且容易打滑。",
        "制作专用检查扳手和定位卡具。",
        "缩短检查时间，保证检查质量。",
        "submitted",
        {},
    ),
]


OWN_ITEMS = (1, 12)


def _demo_member(context: DemoContext):
    leader = context.shared.get("users", {}).get("leader")
    if leader is None:
        return None
    group_id = leader.role_assignments.get(role="group_leader").group_id
    return (
        Member.objects.active()
        .filter(group_id=group_id)
        .exclude(posts__post="leader")
        .select_related("group")
        .order_by("employee_no")
        .first()
    )


def seed(context: DemoContext) -> None:
    groups = context.shared["groups"]
    if Improvement.objects.filter(group__in=groups).exists():
        context.log("  improvement suggestions: already there")
        return
    today, rng = context.today, context.rng
    workshops = context.shared["workshops"]
    workshop_users = context.shared["workshop_users"]
    leader_users = context.shared["leader_users"]
    hq = context.shared["users"]["hq"]
    # Mostly the demo workshop union's groups (its login sees every state), some others.
    home = [g for g in groups if g.workshop_id == workshops[0].pk]
    others = [g for g in groups if g.workshop_id != workshops[0].pk]
    effects = {k.code: k for k in EffectKind.objects.all()}
    levels = {level.code: level for level in AwardLevel.objects.all()}
    # The member whose login the portal's demo activates (the first member of the demo
    # leader's group who is not its leader) made an awarded suggestion and a waiting one.
    own = _demo_member(context)
    made, awarded = 0, 0
    count = len(SUGGESTIONS)
    for index, (title, problem, proposal, effect, outcome, details) in enumerate(SUGGESTIONS):
        pool = home if (index % 3 != 2 or not others) else others
        group = pool[index % len(pool)]
        member = (
            Member.objects.filter(group=group, status=MemberStatus.ACTIVE)
            .order_by("employee_no")[index % 3 : index % 3 + 1]
            .first()
        )
        if own is not None and index in OWN_ITEMS:
            member, group = own, own.group
        if member is None:
            continue
        leader = leader_users.get(group.pk) or workshop_users.get(group.workshop_id) or hq
        screener = workshop_users.get(group.workshop_id) or hq
        # Spread over the past year; the ones waiting for screening are recent.
        if outcome == "submitted":
            filed_on = today - timedelta(days=rng.randint(2, 12))
        else:
            filed_on = today - timedelta(days=int(330 * (count - index) / count) + 20)
        item = services.improvement_file(
            by=leader,
            member=member,
            title=title,
            problem=problem,
            proposal=proposal,
            expected_effect=effect,
            filed_on=filed_on,
        )
        made += 1
        if outcome == "submitted":
            continue
        decided_on = filed_on + timedelta(days=rng.randint(7, 18))
        public = not details.get("private")
        if outcome == "rejected":
            services.improvement_reject(
                by=screener, improvement=item, reason=details["reason"], public=public
            )
        elif outcome == "motion":
            services.improvement_to_motion(
                by=screener, improvement=item, note="涉及全矿职工切身利益，提交职代会审议。"
            )
        else:
            if outcome == "implemented":
                due_on = decided_on + timedelta(days=60)
            else:  # the overdue one's due date is past (never before it was decided)
                due_on = max(today + timedelta(days=details["due_days"]), decided_on)
            services.improvement_adopt(
                by=screener,
                improvement=item,
                responsible=details["responsible"],
                due_on=due_on,
                public=public,
            )
        Improvement.objects.filter(pk=item.pk).update(decided_on=decided_on)
        if outcome != "implemented":
            continue
        implemented_on = min(today, decided_on + timedelta(days=rng.randint(20, 50)))
        saved = details.get("saved")
        services.improvement_implement(
            by=screener,
            improvement=item,
            implemented_on=implemented_on,
            implementation=f"已按建议实施，{details['responsible']}组织验收，运行正常。",
            yuan_saved=Decimal(saved) if saved else None,
            effect_kinds=[effects[c] for c in details["effects"] if c in effects],
        )
        if details.get("award") in levels:
            services.improvement_award(
                by=hq,
                improvement=item,
                level=levels[details["award"]],
                awarded_on=min(today, implemented_on + timedelta(days=15)),
            )
            awarded += 1
    waiting = Improvement.objects.filter(status=Status.SUBMITTED).count()
    context.log(
        f"  improvement suggestions: {made} filed, {waiting} waiting for screening, "
        f"{awarded} awarded"
    )
