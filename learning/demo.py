"""Demo learning and competitions: a workshop union's 技术比武 with results and awards, a
group's weekly lessons of the last weeks, books read with notes (两本书) and a certificate
with its scan (多证加薪) in the demo leader's group. A few dozen rows: seconds, not minutes."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from groups.models import Member, MemberStatus
from unionhome.demo import DemoContext

from . import services
from .models import Competition, CompetitionKind, LearningKind, Level, Mechanism

TOPICS = [
    "安全操作规程学习",
    "锅炉运行异常处置",
    "班组安全生产责任制",
    "《工会法》基本知识",
    "设备点检标准化",
    "节能降耗小窍门",
]
BOOKS = [
    ("《平凡的世界》", "读后最深的体会是孙少平在煤矿的坚持：平凡岗位也能干出不平凡的事。"),
    ("《大国工匠》", "工匠精神就是把每一道工序做到极致，值得我们在检修中学习。"),
    ("《安全生产法》释义", "重点学习了从业人员的权利和义务，明确了发现隐患要及时报告。"),
]


def _scan(rng) -> SimpleUploadedFile:
    """A small picture standing in for a certificate's scan."""
    image = Image.new("RGB", (640, 450), (250, 246, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 430), outline=(180, 30, 30), width=8)
    draw.ellipse((480, 300, 580, 400), outline=(200, 30, 30), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile("certificate.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed(context: DemoContext) -> None:
    groups = context.shared["groups"]
    group = groups[0]
    if Competition.objects.filter(workshop=group.workshop).exists():
        context.log("  learning: already there")
        return
    today, rng = context.today, context.rng
    users = context.shared["users"]
    leader = context.shared["leader_users"].get(group.pk) or users["hq"]
    workshop_user = context.shared["workshop_users"].get(group.workshop_id) or users["hq"]
    members = list(
        Member.objects.filter(group=group, status=MemberStatus.ACTIVE).order_by("employee_no")
    )
    if not members:
        return

    # A workshop union's 技术比武 of last month with the groups' best.
    start = today - timedelta(days=40)
    competition = services.competition_save(
        by=workshop_user,
        title=f"{today.year}年{group.workshop.name}岗位技术比武",
        kind=CompetitionKind.objects.get(code="skills"),
        level=Level.WORKSHOP,
        workshop=group.workshop,
        starts_on=start,
        ends_on=start + timedelta(days=1),
        description="理论考试加实际操作，检验岗位练兵成果。",
        status="finished",
    )
    entrants = list(
        Member.objects.filter(group__workshop=group.workshop, status=MemberStatus.ACTIVE).order_by(
            "employee_no"
        )[:12]
    )
    scores = sorted((Decimal(rng.randint(700, 990)) / 10 for _e in entrants), reverse=True)
    awards = ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖", "优秀奖"]
    rows = [
        services.ResultRow(
            row=i + 1,
            employee_no=m.employee_no,
            score=str(score),
            rank=str(i + 1),
            award=awards[i] if i < len(awards) else "",
        )
        for i, (m, score) in enumerate(zip(entrants, scores, strict=False))
    ]
    plan = services.results_plan(competition=competition, by=workshop_user, rows=rows)
    services.results_apply(competition=competition, by=workshop_user, plan=plan)
    # An 安康杯 under way at the company union.
    services.competition_save(
        by=users["hq"],
        title=f"{today.year}年“安康杯”安全知识竞赛",
        kind=CompetitionKind.objects.get(code="ankang"),
        level=Level.HQ,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=20),
    )

    # 每周一课: the last six weeks in the leader's group, most members present each time.
    lessons = 0
    for week, topic in enumerate(TOPICS):
        day = today - timedelta(days=7 * (week + 1))
        present = [m for m in members if rng.random() < 0.85] or members[:1]
        services.lesson_record(
            group=group,
            by=leader,
            held_on=day,
            topic=topic,
            teacher=members[0].name,
            hours=Decimal("1.0"),
            members=present,
        )
        lessons += 1

    # 两本书: books with reading notes; training hours; a certificate with its scan.
    book = LearningKind.objects.filter(mechanism=Mechanism.BOOK).first()
    training = LearningKind.objects.filter(mechanism=Mechanism.TRAINING).first()
    certificate = LearningKind.objects.filter(mechanism=Mechanism.CERTIFICATE).first()
    records = 0
    for i, member in enumerate(members[:4]):
        for title, notes in BOOKS[: 2 if i % 2 == 0 else 1]:
            services.record_add(
                by=leader,
                member=member,
                kind=book,
                on=today - timedelta(days=20 + i),
                title=title,
                notes=notes,
            )
            records += 1
        services.record_add(
            by=leader,
            member=member,
            kind=training,
            on=today - timedelta(days=30),
            title="锅炉运行值班员岗位培训",
            hours=Decimal("16"),
        )
        records += 1
    services.record_add(
        by=leader,
        member=members[0],
        kind=certificate,
        on=today - timedelta(days=15),
        title="锅炉运行值班员（高级工）",
        certificate_no=f"{today.year}0315-0087",
        issuer="省职业技能鉴定中心",
        upload=_scan(rng),
    )
    records += 1
    context.log(
        f"  learning: 2 competitions ({len(rows)} results), {lessons} weekly lessons, "
        f"{records} learning records"
    )
