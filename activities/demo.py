"""Demo activities and monthly reports: a year of them (demo) or three years (mine)."""

import io
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from groups.models import Member, MemberStatus
from unionhome import uploads
from unionhome.bulk import analyse, copy_rows, reserve_ids
from unionhome.demo import DemoContext, random_date

from .models import (
    Activity,
    ActivityKind,
    ActivityLevel,
    Attachment,
    ContentArea,
    MonthlyReport,
    Participation,
    ReportAttachment,
    ReportEvent,
    ReportFileKind,
    ReportStatus,
)
from .periods import month_end, month_start, next_month, report_deadline
from .selectors import month_figures

TITLES = {
    "political_study": [
        "学习新修改的《工会法》",
        "学习集团公司职代会精神",
        "时政学习：安全生产法",
        "学习全国劳模表彰大会精神",
        "形势任务教育",
        "学习《中国工会章程》",
    ],
    "skills": [
        "岗位练兵：设备巡检要点",
        "电脑知识讲座",
        "技术问答",
        "师带徒签约仪式",
        "新工艺操作培训",
        "应急预案演练",
    ],
    "warm_service": [
        "“三个一，两常备”检查",
        "补充小药箱药品",
        "更换小工具箱工具",
        "为夜班职工送热茶",
        "休息室整理布置",
    ],
    "mutual_help": [
        "探望生病职工",
        "为困难职工捐款",
        "互帮互学交流会",
        "帮助职工搬家",
        "向工会反映职工困难",
    ],
    "care_talks": ["为职工过集体生日", "与新职工谈心", "节日慰问", "婚庆祝贺", "家访谈心"],
    "recreation": ["登山活动", "拔河比赛", "乒乓球友谊赛", "健步走", "趣味运动会", "卡拉OK联欢"],
}
PLACES = ["班组活动室", "职工小家", "车间会议室", "培训中心", "文体中心", "职工家中", "厂区广场"]
SUMMARIES = [
    "本月围绕安全生产开展小家活动，职工参与积极，班组氛围融洽。",
    "本月按计划完成政治学习和岗位练兵，“三个一，两常备”落实到位。",
    "本月组织文体活动和谈心慰问，及时了解并反映职工困难。",
]
PROBLEMS = ["倒班职工参加活动的时间不好安排。", "活动记录照片不够齐全。", ""]
PLANS = [
    "下月组织技术比武，开展合理化建议征集。",
    "下月开展健步走活动，做好夏季防暑降温。",
    "下月召开小组会议，落实班务公开。",
]
BATCH = 5000


def seed(context: DemoContext) -> None:
    groups = context.shared["groups"]
    if Activity.objects.filter(group__in=groups).exists():
        context.log("  activities: already there")
        return
    years = 3 if context.is_mine else 1
    first_month = month_start(context.today.replace(year=context.today.year - years))
    first_month = next_month(first_month)
    leaders = context.shared["leader_users"]
    fallback = context.shared["users"]["hq"]
    _activities(context, groups, first_month, leaders, fallback)
    _above_group(context, groups, fallback)
    _reports(context, groups, first_month, leaders, fallback)
    if not context.is_mine:
        _photos(context, groups[0])
    _signin_sheet(context, groups[0], leaders.get(groups[0].pk, fallback))


ACTIVITY_FIELDS = (
    "id",
    "group_id",
    "area_id",
    "title",
    "held_on",
    "place",
    "organiser",
    "guests_count",
    "description",
    "recorded_by_id",
)


def _activities(context, groups, first_month, leaders, fallback) -> None:
    """Month by month, each month's activities, participants and kinds written in bulk
    before the next month is drawn: the federation's 2.5 million participations are never
    held at once."""
    rng, today = context.rng, context.today
    areas = {a.code: a.pk for a in ContentArea.objects.all()}
    kinds = {k.code: k.pk for k in ActivityKind.objects.all()}
    members = {}
    for member_id, group_id in Member.objects.filter(
        group__in=groups, status=MemberStatus.ACTIVE
    ).values_list("pk", "group_id"):
        members.setdefault(group_id, []).append(member_id)
    area_codes = list(TITLES)
    weights = [3, 3, 2, 2, 2, 2]
    # The share of a group at an activity. The federation's records name fewer of the
    # members (its groups' sign-in sheets): about 2.5 million participations in three years.
    low, high = (0.1, 0.32) if context.scale > 1 else (0.35, 0.95)
    through = Activity.kinds.through
    total = participations = 0
    month = first_month
    while month <= today:
        last_day = min(month_end(month), today)
        plan = []  # (activity row without its id, participant ids, kind codes)
        for group in groups:
            people = members.get(group.pk, [])
            recorder = leaders.get(group.pk, fallback)
            count = rng.randint(2, 5) if context.is_mine else rng.randint(3, 6)
            # Every group meets once a month; the meeting is also the 班务公开.
            specs = [("political_study", f"{month.month}月小组会议", ["group_meeting"])]
            if rng.random() < 0.3:
                specs[0][2].append("affairs_disclosure")
            for _ in range(count - 1):
                code = rng.choices(area_codes, weights)[0]
                extra = []
                if code == "skills" and rng.random() < 0.3:
                    extra.append(rng.choice(["skills_contest", "qc", "rationalisation"]))
                if code == "political_study" and rng.random() < 0.3:
                    extra.append("safety_education")
                specs.append((code, rng.choice(TITLES[code]), extra))
            for code, title, kind_codes in specs:
                held_on = random_date(rng, month, last_day)
                share = rng.uniform(low, high)
                chosen = [m for m in people if rng.random() < share]
                row = (
                    group.pk,
                    areas[code],
                    title,
                    held_on,
                    rng.choice(PLACES),
                    recorder.name,
                    rng.choice([0, 0, 0, 1, 2, 5]),
                    "活动按计划开展，气氛热烈。" if rng.random() < 0.5 else "",
                    recorder.pk,
                )
                plan.append((row, chosen, kind_codes))
        ids = reserve_ids(Activity, len(plan))
        copy_rows(
            Activity,
            ACTIVITY_FIELDS,
            ((pk, *row) for pk, (row, _, _) in zip(ids, plan, strict=True)),
        )
        participations += copy_rows(
            Participation,
            ("activity_id", "member_id"),
            ((pk, m) for pk, (_, chosen, _) in zip(ids, plan, strict=True) for m in chosen),
        )
        copy_rows(
            through,
            ("activity_id", "activitykind_id"),
            ((pk, kinds[c]) for pk, (_, _, codes) in zip(ids, plan, strict=True) for c in codes),
        )
        total += len(plan)
        month = next_month(month)
    context.log(f"  activities: {total}, participations: {participations}")
    analyse(Activity, Participation, through)


REPORT_FIELDS = (
    "id",
    "group_id",
    "month",
    "status",
    "summary",
    "problems",
    "next_plan",
    "figures",
    "first_submitted_at",
    "submitted_at",
    "submitted_by_id",
    "reviewed_at",
    "reviewed_by_id",
    "return_reason",
    "version",
)


def _reports(context, groups, first_month, leaders, fallback) -> None:
    rng, today = context.rng, context.today
    workshop_users = context.shared["workshop_users"]
    group_ids = [g.pk for g in groups]
    kept = []  # the demo's reports and steps, to date their events below
    total = 0
    month = first_month
    current = month_start(today)
    while month < current:
        reports, events = [], []
        figures = month_figures(group_ids=group_ids, month=month)
        deadline = report_deadline(month)
        recent = month >= month_start(today - timedelta(days=62))
        for group in groups:
            roll = rng.random()
            if recent:
                status = (
                    ReportStatus.APPROVED
                    if roll < 0.45
                    else ReportStatus.SUBMITTED
                    if roll < 0.65
                    else ReportStatus.RETURNED
                    if roll < 0.75
                    else ReportStatus.DRAFT
                    if roll < 0.85
                    else None
                )
            else:
                status = ReportStatus.APPROVED if roll < 0.93 else None
            if status is None:
                continue  # never filed: shows as overdue
            leader = leaders.get(group.pk, fallback)
            reviewer = workshop_users.get(group.workshop_id, fallback)
            report = MonthlyReport(
                group=group,
                month=month,
                status=status,
                summary=rng.choice(SUMMARIES),
                problems=rng.choice(PROBLEMS),
                next_plan=rng.choice(PLANS),
                version=1,
            )
            steps = []
            if status != ReportStatus.DRAFT:
                late = rng.random() < 0.12
                submitted = _moment(
                    deadline + timedelta(days=rng.randint(1, 6))
                    if late
                    else deadline - timedelta(days=rng.randint(0, 4)),
                    rng,
                )
                submitted = min(submitted, timezone.now() - timedelta(hours=1))
                report.figures = figures[group.pk]
                report.first_submitted_at = report.submitted_at = submitted
                report.submitted_by = leader
                steps.append((ReportEvent.Action.SUBMITTED, leader, submitted, ""))
                if status == ReportStatus.RETURNED:
                    report.figures = None
                    report.return_reason = "活动照片不全，请补充后重新提交。"
                    report.reviewed_by, report.reviewed_at = reviewer, submitted + timedelta(days=1)
                    steps.append(
                        (
                            ReportEvent.Action.RETURNED,
                            reviewer,
                            report.reviewed_at,
                            report.return_reason,
                        )
                    )
                if status == ReportStatus.APPROVED:
                    report.reviewed_by, report.reviewed_at = reviewer, submitted + timedelta(days=2)
                    steps.append((ReportEvent.Action.APPROVED, reviewer, report.reviewed_at, ""))
            else:
                steps.append(
                    (
                        ReportEvent.Action.SAVED,
                        leader,
                        _moment(month_end(month) + timedelta(days=1), rng),
                        "",
                    )
                )
            report.version = len(steps)
            reports.append(report)
            events.append(steps)
        for report, pk in zip(reports, reserve_ids(MonthlyReport, len(reports)), strict=True):
            report.pk = pk
        copy_rows(
            MonthlyReport,
            REPORT_FIELDS,
            (tuple(getattr(r, f) for f in REPORT_FIELDS) for r in reports),
        )
        copy_rows(
            ReportEvent,
            ("report_id", "action", "by_id", "note"),
            (
                (r.pk, a, by.pk, note)
                for r, steps in zip(reports, events, strict=True)
                for a, by, _, note in steps
            ),
        )
        if not context.is_mine:
            kept += zip(reports, events, strict=True)
        total += len(reports)
        month = next_month(month)
    # auto_now_add stamps "now"; give each step the moment it happened.
    for report, steps in kept:
        for event, (_, _, at, _) in zip(report.events.order_by("pk"), steps, strict=True):
            ReportEvent.objects.filter(pk=event.pk).update(at=at)
    context.log(f"  monthly reports: {total}")


def _above_group(context, groups, hq) -> None:
    """Activities above the group this month: each of the first workshop unions held a
    small-group leaders' meeting (小组长会议) with one member of each of its groups, and HQ
    ran the 安康杯 safety knowledge contest with members of groups across the workshops.
    Recorded through the services, so the groups taking part are kept as in use."""
    from .services import activity_create

    rng, today = context.rng, context.today
    month = month_start(today) if today.day > 1 else month_start(today - timedelta(days=1))
    workshop_users = context.shared["workshop_users"]
    by_workshop: dict = {}
    for group in groups:
        by_workshop.setdefault(group.workshop_id, []).append(group)
    first_members: dict = {}
    for member_id, group_id in (
        Member.objects.filter(group__in=groups, status=MemberStatus.ACTIVE)
        .order_by("group_id", "employee_no")
        .values_list("pk", "group_id")
    ):
        first_members.setdefault(group_id, []).append(member_id)
    members = {
        m.pk: m
        for m in Member.objects.filter(
            pk__in=[pk for ids in first_members.values() for pk in ids[:2]]
        )
    }
    area = ContentArea.objects.get(code="political_study")
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    made = 0
    for workshop_id, its_groups in list(by_workshop.items())[:3]:
        leaders = [members[first_members[g.pk][0]] for g in its_groups if first_members.get(g.pk)]
        if not leaders:
            continue
        activity_create(
            by=workshop_users.get(workshop_id, hq),
            level=ActivityLevel.WORKSHOP,
            host_workshop=its_groups[0].workshop,
            area=area,
            title=f"{month.month}月小组长会议",
            held_on=random_date(rng, month, today),
            place="车间会议室",
            organiser="车间工会",
            participants=leaders,
            description="传达公司工会工作安排，交流各小组职工小家建设情况。",
        )
        made += 1
    contestants = [
        members[pk] for g in groups[:12] for pk in first_members.get(g.pk, [])[:2] if pk in members
    ]
    if contestants:
        activity_create(
            by=hq,
            level=ActivityLevel.HQ,
            area=ContentArea.objects.get(code="skills"),
            title="“安康杯”安全知识竞赛",
            held_on=random_date(rng, month, today),
            place="文体中心",
            organiser="公司工会",
            participants=contestants,
            kinds=[kinds[c] for c in ("skills_contest", "safety_education") if c in kinds],
            description="各车间选派职工参赛，以赛促学，筑牢安全防线。",
        )
        made += 1
    context.log(f"  activities above the group: {made}")


def _signin_sheet(context, group, leader) -> None:
    """A photo of a sign-in sheet (签到表) on the group's latest monthly report."""
    report = MonthlyReport.objects.filter(group=group).order_by("-month").first()
    if report is None:
        return
    picture = Image.new("RGB", (900, 1200), (250, 250, 245))
    draw = ImageDraw.Draw(picture)
    for row in range(1, 21):
        draw.line((60, 60 + row * 54, 840, 60 + row * 54), fill=(90, 90, 90), width=2)
    for x in (60, 200, 520, 840):
        draw.line((x, 114, x, 1140), fill=(90, 90, 90), width=2)
    for row in range(2, 16):
        y = 60 + row * 54 + 14
        draw.line(
            (230, y + 10, 230 + context.rng.randint(120, 260), y), fill=(20, 40, 120), width=3
        )
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    sheet = ReportAttachment(
        report=report,
        kind=ReportFileKind.SIGNIN,
        original_name="签到表.jpg",
        file_type=uploads.IMAGE,
        mime="image/jpeg",
        size=buffer.tell(),
        uploaded_by=leader,
    )
    sheet.file.save("signin.jpg", ContentFile(buffer.getvalue()), save=False)
    sheet.thumbnail.save("thumb.jpg", uploads.thumbnail(io.BytesIO(buffer.getvalue())), save=False)
    sheet.save()
    context.log("  a sign-in sheet photo on a monthly report")


def _moment(day: date, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59))))


def _photos(context, group) -> None:
    """A few generated pictures on the demo leader's group's latest activities."""
    rng = context.rng
    recorder = context.shared["leader_users"].get(group.pk) or context.shared["users"]["hq"]
    for index, activity in enumerate(Activity.objects.filter(group=group)[:4]):
        for n in range(2):
            picture = Image.new(
                "RGB",
                (800, 600),
                (rng.randint(120, 230), rng.randint(120, 230), rng.randint(120, 230)),
            )
            draw = ImageDraw.Draw(picture)
            for _ in range(6):
                x, y = rng.randint(0, 700), rng.randint(0, 500)
                draw.ellipse(
                    (x, y, x + rng.randint(40, 160), y + rng.randint(40, 160)),
                    fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)),
                )
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=80)
            thumb = io.BytesIO()
            picture.thumbnail((480, 480))
            picture.save(thumb, format="JPEG", quality=80)
            attachment = Attachment(
                activity=activity,
                original_name=f"活动照片{index + 1}-{n + 1}.jpg",
                kind="image",
                mime="image/jpeg",
                size=buffer.tell(),
                uploaded_by=recorder,
            )
            attachment.file.save("photo.jpg", ContentFile(buffer.getvalue()), save=False)
            attachment.thumbnail.save("thumb.jpg", ContentFile(thumb.getvalue()), save=False)
            attachment.save()
    context.log("  photos: 8 on the demo leader's group")
