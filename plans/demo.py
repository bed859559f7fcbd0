"""Demo plans: every group with a creation plan this year gets its planned activities by
month. Months gone by: two held (tied to the group's demo activities of that month) and one
not held with a reason; this month: one held so far and one ahead; the months to come: two
ahead. The demo leader's group has an activity planned for tomorrow (its reminder), an
addition to this month's plan and the month's arrangements. Written in bulk: seconds."""

from collections import defaultdict
from datetime import date, timedelta

from activities.demo import TITLES
from activities.models import Activity, ContentArea
from activities.periods import month_end, month_start
from homes.models import CreationPlan, PlanStatus
from unionhome.demo import DemoContext, random_date

from .models import MonthPlan, PlannedActivity

REASONS = [
    "当月检修任务重，职工倒班无法集中，顺延到下月。",
    "场地临时被占用，活动取消。",
    "受天气影响，户外活动取消。",
    "与车间统一组织的活动合并开展。",
]
BATCH = 5000


def seed(context: DemoContext) -> None:
    today = context.today
    year = today.year
    if PlannedActivity.objects.filter(year=year).exists():
        context.log("  plans: already there")
        return
    plans = list(CreationPlan.objects.filter(year=year).order_by("group_id"))
    if not plans:
        context.log("  plans: no creation plan this year")
        return
    rng = context.rng
    areas = {a.code: a for a in ContentArea.objects.filter(is_active=True)}
    codes = [c for c in TITLES if c in areas]
    # By id: activity.area would read each area again (a query per planned item).
    area_of = {a.pk: a for a in ContentArea.objects.all()}
    held = defaultdict(list)
    for activity in (
        Activity.objects.alive()
        .filter(group_id__in=[p.group_id for p in plans], held_on__year=year)
        .only("pk", "group_id", "held_on", "title", "area_id", "place")
        .order_by("held_on", "pk")
    ):
        held[(activity.group_id, month_start(activity.held_on))].append(activity)
    this_month = month_start(today)
    items = []

    def item(plan, day, code, title, **more):
        items.append(
            PlannedActivity(
                group_id=plan.group_id,
                year=year,
                month=month_start(day),
                planned_on=day,
                area=areas[code] if code else more.pop("area"),
                title=title,
                place=more.pop("place", ""),
                created_by_id=plan.filed_by_id,
                **more,
            )
        )

    for plan in plans:
        for number in range(1, 13):
            month = date(year, number, 1)
            done = held[(plan.group_id, month)]
            if month < this_month:
                for activity in done[:2]:
                    item(
                        plan,
                        activity.held_on,
                        None,
                        activity.title,
                        area=area_of[activity.area_id],
                        place=activity.place,
                        activity_id=activity.pk,
                    )
                code = rng.choice(codes)
                item(
                    plan,
                    random_date(rng, month, month_end(month)),
                    code,
                    rng.choice(TITLES[code]),
                    reason_not_held=rng.choice(REASONS),
                )
            elif month == this_month:
                for activity in done[:1]:
                    item(
                        plan,
                        activity.held_on,
                        None,
                        activity.title,
                        area=area_of[activity.area_id],
                        place=activity.place,
                        activity_id=activity.pk,
                    )
                if today < month_end(month):
                    code = rng.choice(codes)
                    item(
                        plan,
                        random_date(rng, today + timedelta(days=1), month_end(month)),
                        code,
                        rng.choice(TITLES[code]),
                    )
            else:
                for code in rng.sample(codes, 2):
                    item(
                        plan,
                        random_date(rng, month, month_end(month)),
                        code,
                        rng.choice(TITLES[code]),
                    )
    _leader_group(context, plans, item, this_month)
    PlannedActivity.objects.bulk_create(items, batch_size=BATCH)
    context.log(f"  plans: {len(items)} planned activities of {len(plans)} groups")


def _leader_group(context, plans, item, this_month) -> None:
    """The demo leader's group: tomorrow's planned activity, an addition, the arrangements."""
    today = context.today
    first = context.shared["groups"][0]
    plan = next((p for p in plans if p.group_id == first.pk), None)
    if plan is None:
        return
    tomorrow = today + timedelta(days=1)
    approved = plan.status == PlanStatus.APPROVED
    if tomorrow.year == today.year:
        item(
            plan,
            tomorrow,
            "recreation",
            "健步走：环厂区五公里",
            place="厂区广场",
            added_after_approval=approved,
        )
    if approved:
        item(
            plan,
            month_end(this_month),
            "skills",
            "岗位练兵：新员工实操考核",
            place="培训中心",
            added_after_approval=True,
        )
    MonthPlan.objects.create(
        group_id=plan.group_id,
        month=this_month,
        arrangements="召开一次小组会议并公开班务；组织一次岗位练兵；走访生病职工；"
        "月底前补齐小药箱药品。",
        updated_by_id=plan.filed_by_id,
    )
