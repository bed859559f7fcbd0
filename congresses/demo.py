"""Demo congresses, as the seed's mine runs them: the enterprise's 第十届 term with a
delegation from each workshop union, its two congresses of the past year held with a
quorum; the demo workshop union's own term, its congresses declared to HQ and approved
(one failed for want of a quorum and sat again), another declared and waiting for HQ;
motions from members and from the suggestions the workshop union adopted or turned into
motions; resolutions followed as rectification items, some closed with evidence; the
demo leader's group's democratic meetings every quarter; and every other workshop union's
congresses of the year so far, declared and approved first, their resolutions followed to
closure — some workshop unions more diligent than others, so that the star levels of
民主管理 differ (see PROFILES)."""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from groups.models import Member, MemberStatus
from rectifications import services as rectifications
from rectifications.models import Rectification
from rectifications.selectors import rectifications_of
from unionhome.demo import DemoContext

from . import services
from .models import (
    Level,
    MotionDecision,
    MotionSource,
    Resolution,
    Session,
    SessionStatus,
    Term,
)

MEMBER_MOTIONS = [
    ("延长井口浴室热水供应时间", "夜班升井职工洗浴时热水不足，建议浴室热水供应延长至次日早八点。"),
    ("改善井下班中餐质量", "班中餐品种单一、送到工作面时已凉，建议增加保温餐箱并每周调整菜谱。"),
    ("完善职工疗养轮休制度", "一线职工疗养名额少，建议按工龄和岗位艰苦程度轮流安排。"),
]
RESOLUTIONS = [
    ("年底前完成井口浴室热水系统改造，保证夜班升井职工用水。", "机电科"),
    ("食堂每周公布班中餐菜谱，增配保温餐箱二十个。", "后勤服务中心"),
    ("制定一线职工疗养轮休办法，报职代会主席团审定后执行。", "工会办公室"),
]
# Resolutions of a workshop congress: (text, department answerable).
WORKSHOP_RESOLUTIONS = [
    ("车间奖金二次分配办法经职代会审议通过，每月张榜公布。", "车间综合组"),
    ("更换检修班组老旧工具柜，改善工器具存放条件。", "车间设备组"),
    ("夜班值班室加装空调和饮水机，保证夜班职工休息。", "车间后勤组"),
    ("组织一线职工岗位技能培训，全年不少于四期。", "车间技术组"),
    ("完善车间女职工休息室设施，配齐更衣柜。", "车间工会"),
]


@dataclass(frozen=True)
class Profile:
    """How diligent a workshop union's democratic management is this year: the congresses
    it held (the share of the year so far at which each sat) and its resolutions closed on
    time and still open. With disclosures/demo.py's PROFILES (same order) and the default
    star levels: 三星级, 一星级, no star (one congress, half its resolutions open), 二星级."""

    congresses: tuple[float, ...]
    closed: int
    open: int


# The other workshop unions in turn (the demo workshop union's records above read 二星级:
# its second congress's motions and the demo leader's meeting leave two resolutions open).
PROFILES = [
    Profile(congresses=(0.15, 0.6), closed=4, open=0),
    Profile(congresses=(0.2, 0.7), closed=2, open=1),
    Profile(congresses=(0.3,), closed=1, open=1),
    Profile(congresses=(0.2, 0.65), closed=3, open=1),
]


def in_year(today: date, share: float) -> date:
    """The day `share` of the way from New Year's Day to today (today itself at 1): the
    demo's records of the year so far, whatever the date of the run."""
    start = date(today.year, 1, 1)
    return start + timedelta(days=round((today - start).days * share))


def _picture(rng, name="photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), (230, 226, 218))
    draw = ImageDraw.Draw(image)
    draw.rectangle((80, 60, 720, 160), fill=(179, 32, 42))  # the banner over the platform
    for row in range(4):
        for seat in range(8):
            x, y = 110 + seat * 75, 260 + row * 80
            colour = (rng.randint(30, 90), rng.randint(30, 90), rng.randint(60, 140))
            draw.ellipse((x, y, x + 40, y + 40), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _active(group_ids, per_group):
    found = []
    for group_id in group_ids:
        found += list(
            Member.objects.filter(group_id=group_id, status=MemberStatus.ACTIVE).order_by(
                "employee_no"
            )[:per_group]
        )
    return found


def _sit(session, by, on, rng, *, absent_share=0.1, quorum=True):
    """Take the attendance and record the session as held (or failed) on `on`."""
    expected = list(services.expected_attendees(session))
    if quorum:
        absent = max(0, int(len(expected) * absent_share))
        here = expected[: len(expected) - absent]
    else:
        here = expected[: len(expected) // 2]
    services.attendance_record(by=by, session=session, present_ids=[m.pk for m in here])
    if quorum:
        return services.session_hold(by=by, session=session, held_on=on)
    return services.session_fail(by=by, session=session, held_on=on)


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _approved(session, declarer, hq, on):
    """A congress declared and approved in the past (the declaration came before its day;
    the services refuse declaring a past date, so the history is written directly)."""
    Session.objects.filter(pk=session.pk).update(
        status=SessionStatus.APPROVED,
        declared_by=declarer,
        declared_at=_moment(on - timedelta(days=14)),
        approved_by=hq,
        approved_at=_moment(on - timedelta(days=10)),
    )
    session.refresh_from_db()
    return session


def _close(item, reporter, closer, completed_on, rng):
    rectifications.rectification_report(
        rectification=item,
        by=reporter,
        report="已按决议完成，经现场验收合格，附照片为证。",
        evidence_files=[_picture(rng, "evidence.jpg")],
        completed_on=completed_on,
    )
    rectifications.rectification_close(
        rectification=Rectification.objects.get(pk=item.pk), by=closer
    )


def _workshop_year(context, workshop, ws, hq, groups, profile, starts, *, planned) -> int:
    """A workshop union's term and its congresses of the year so far by its profile, each
    declared to HQ and approved first, with minutes and resolutions: the first ones closed
    with evidence ahead of their deadline, the last ones still open. Returns the congresses
    held."""
    today, rng = context.today, context.rng
    term = services.term_create(
        by=ws,
        level=Level.WORKSHOP,
        workshop=workshop,
        name="第二届",
        starts_on=starts,
        ends_on=starts + timedelta(days=365 * 5 - 1),
    )
    representatives = _active([g.pk for g in groups[:3]], 2)
    for member in representatives:
        services.representative_add(by=ws, term=term, member=member)
    if not representatives:
        return 0
    held = []
    for number, share in enumerate(profile.congresses, start=1):
        on = in_year(today, share)
        session = services.session_create(
            by=ws,
            level=Level.WORKSHOP,
            workshop=workshop,
            title=f"{today.year}年车间职代会第{'一二三四'[number - 1]}次会议",
            planned_on=on,
            place="车间会议室",
            agenda="一、车间行政工作报告\n二、审议车间奖金分配办法\n三、审议职工提案",
        )
        _approved(session, ws, hq, on)
        _sit(session, ws, on, rng, absent_share=0.1)
        services.minutes_save(
            by=ws,
            session=session,
            minutes="会议听取车间行政工作报告，审议通过车间奖金分配办法和有关提案，形成决议。",
        )
        held.append(session)
    year_end = date(today.year, 12, 31)
    count = profile.closed + profile.open
    for index in range(count):
        session = held[min(index * len(held) // count, len(held) - 1)]
        text, department = WORKSHOP_RESOLUTIONS[index % len(WORKSHOP_RESOLUTIONS)]
        due = min(session.held_on + timedelta(days=45), year_end)
        resolution = services.resolution_add(
            by=ws, session=session, text=text, owner_department=department, due_on=due
        )
        if index < profile.closed:
            item = rectifications_of(source_model=Resolution, source_ids=[resolution.pk])
            done = min(session.held_on + timedelta(days=20), today)
            _close(item[resolution.pk], ws, ws, done, rng)
    if planned:
        upcoming = services.session_create(
            by=ws,
            level=Level.WORKSHOP,
            workshop=workshop,
            title=f"{workshop.name}职代会专题会议",
            planned_on=today + timedelta(days=5),
            agenda="一、审议车间绩效考核办法\n二、审议提案",
        )
        services.session_declare(by=ws, session=upcoming)
        services.session_approve(by=hq, session=upcoming)
    return len(held)


def seed(context: DemoContext) -> None:
    if Term.objects.exists():
        context.log("  congresses: already there")
        return
    today, rng = context.today, context.rng
    workshops = context.shared["workshops"]
    groups = context.shared["groups"]
    hq = context.shared["users"]["hq"]
    workshop_users = context.shared["workshop_users"]
    leader_users = context.shared["leader_users"]
    home = workshops[0]
    ws = workshop_users.get(home.pk) or hq
    groups_of = {}
    for group in groups:
        groups_of.setdefault(group.workshop_id, []).append(group)

    # The enterprise's term: a delegation from each workshop union (the first six).
    term = services.term_create(
        by=hq,
        level=Level.ENTERPRISE,
        name="第十届",
        starts_on=today.replace(month=1, day=1) - timedelta(days=365 * 2),
        ends_on=today.replace(month=12, day=31) + timedelta(days=365 * 2),
    )
    representatives = 0
    for workshop in workshops[:6]:
        delegation = services.delegation_add(
            by=hq, term=term, name=f"{workshop.name}代表团", workshop=workshop
        )
        members = _active([g.pk for g in groups_of.get(workshop.pk, [])[:3]], 2)
        for index, member in enumerate(members):
            services.representative_add(
                by=hq,
                term=term,
                member=member,
                delegation=delegation,
                role="团长" if index == 0 else "代表",
            )
            representatives += 1

    # Its two congresses of the past year, held with a quorum, each with resolutions.
    enterprise = []
    for number, (days_ago, title) in enumerate(
        [(230, "第十届职工代表大会第三次会议"), (75, "第十届职工代表大会第四次会议")], start=3
    ):
        on = today - timedelta(days=days_ago)
        session = services.session_create(
            by=hq,
            level=Level.ENTERPRISE,
            title=title,
            number=f"第{number}次会议",
            planned_on=on,
            place="矿职工俱乐部",
            agenda="一、矿长工作报告\n二、工会工作报告\n三、审议职工提案\n四、审议通过集体合同履行情况报告",
        )
        _sit(session, hq, on, rng)
        services.minutes_save(
            by=hq,
            session=session,
            minutes="大会听取并审议了矿长工作报告和工会工作报告，审议职工提案，形成决议。",
        )
        services.photo_add(by=hq, session=session, photo=_picture(rng))
        enterprise.append(session)

    # The demo workshop union's term and congresses.
    starts = today.replace(month=1, day=1) - timedelta(days=365)
    home_term = services.term_create(
        by=ws,
        level=Level.WORKSHOP,
        workshop=home,
        name="第三届",
        starts_on=starts,
        ends_on=starts + timedelta(days=365 * 5 - 1),
    )
    for member in _active([g.pk for g in groups_of.get(home.pk, [])], 3):
        services.representative_add(by=ws, term=home_term, member=member)
    # The first congress early in the year, the second one's 流会 and its sitting again
    # later (dates of the year so far, so that the year's star level counts them).
    spring_on, failed_on, autumn_on = (
        in_year(today, 0.2),
        in_year(today, 0.72),
        in_year(today, 0.78),
    )
    congress = {
        "level": Level.WORKSHOP,
        "workshop": home,
        "agenda": "一、车间工作报告\n二、审议提案\n三、通报班组奖金分配办法",
        "place": "车间会议室",
    }
    spring = services.session_create(
        by=ws, title=f"{home.name}第三届第一次职工代表大会", planned_on=spring_on, **congress
    )
    _approved(spring, ws, hq, spring_on)
    _sit(spring, ws, spring_on, rng)
    failed = services.session_create(
        by=ws, title=f"{home.name}第三届第二次职工代表大会", planned_on=failed_on, **congress
    )
    _approved(failed, ws, hq, failed_on)
    _sit(failed, ws, failed_on, rng, quorum=False)  # 流会: half the representatives on shift
    autumn = services.session_create(
        by=ws,
        title=f"{home.name}第三届第二次职工代表大会（复会）",
        planned_on=autumn_on,
        **congress,
    )
    _approved(autumn, ws, hq, autumn_on)
    _sit(autumn, ws, autumn_on, rng)
    upcoming = services.session_create(
        by=ws,
        title=f"{home.name}第三届第三次职工代表大会",
        planned_on=today + timedelta(days=20),
        **congress,
    )
    services.session_declare(by=ws, session=upcoming)  # waiting for HQ's approval

    # The other workshop unions: their congresses of the year, resolutions followed; the
    # first of them has another congress approved, not yet recorded (its to-do).
    year_sessions = 0
    for index, other in enumerate(w for w in workshops[1:] if w.is_active):
        year_sessions += _workshop_year(
            context,
            other,
            workshop_users.get(other.pk) or hq,
            hq,
            groups_of.get(other.pk, []),
            PROFILES[index % len(PROFILES)],
            starts,
            planned=index == 0,
        )

    # Motions: from the suggestions the workshop union adopted or turned into motions, and
    # from members and representatives.
    motions = []
    for improvement in list(services.improvement_choices(user=ws, session=autumn))[:2]:
        motions.append(
            services.motion_add(
                by=ws, session=autumn, source=MotionSource.IMPROVEMENT, improvement=improvement
            )
        )
    reps = list(services.expected_attendees(autumn)[:3])
    for (title, content), proposer in zip(MEMBER_MOTIONS, reps, strict=False):
        motions.append(
            services.motion_add(
                by=ws,
                session=autumn,
                source=MotionSource.REPRESENTATIVE,
                proposer=proposer,
                title=title,
                content=content,
            )
        )
    for index, motion in enumerate(motions):
        if index == len(motions) - 1 and len(motions) > 2:
            motions[index] = services.motion_decide(
                by=ws,
                motion=motion,
                decision=MotionDecision.NOT_FILED,
                reason="属矿行政日常管理事项，转有关科室办理。",
            )
        else:
            motions[index] = services.motion_decide(
                by=ws, motion=motion, decision=MotionDecision.FILED
            )

    # Resolutions: of the enterprise's congresses (carried out by the demo workshop union
    # and others) and of the workshop union's; the earlier ones closed with evidence.
    closed = 0
    for session, (text, department) in zip(
        [enterprise[0], enterprise[1], spring, spring],
        RESOLUTIONS + WORKSHOP_RESOLUTIONS[:1],
        strict=False,
    ):
        due = session.held_on + timedelta(days=45)
        resolution = services.resolution_add(
            by=ws if session.level == Level.WORKSHOP else hq,
            session=session,
            text=text,
            owner_department=department,
            due_on=due,
            workshop=home,
        )
        item = rectifications_of(source_model=Resolution, source_ids=[resolution.pk])[resolution.pk]
        # The workshop union's own are done ahead of time, early in the year too.
        if due < today - timedelta(days=10) or session.level == Level.WORKSHOP:
            _close(item, ws, item.raised_by, min(due - timedelta(days=5), today), rng)
            closed += 1
    # The filed motions' resolutions: one carried out, one still open (overdue once due).
    filed = [m for m in motions if m.decision == MotionDecision.FILED][:2]
    year_end = date(today.year, 12, 31)
    for index, motion in enumerate(filed):
        resolution = services.resolution_add(
            by=ws,
            session=autumn,
            text=f"采纳提案“{motion.title}”，责成相关部门落实。",
            owner_department="车间机电组",
            due_on=min(autumn_on + timedelta(days=45), year_end),
            motion=motion,
        )
        if index == 0:
            item = rectifications_of(source_model=Resolution, source_ids=[resolution.pk])
            _close(item[resolution.pk], ws, ws, min(autumn_on + timedelta(days=20), today), rng)
            closed += 1

    # The demo leader's group meets every quarter; the other groups of the workshop union
    # less often.
    meetings = 0
    for index, group in enumerate(groups_of.get(home.pk, [])[:4]):
        leader = leader_users.get(group.pk)
        if leader is None:
            continue
        count = 3 if index == 0 else 1 + index % 2
        for quarter in range(count):
            on = today - timedelta(days=30 + 90 * quarter)
            meeting = services.session_create(
                by=leader,
                level=Level.GROUP,
                group=group,
                title=f"{group.name}班组民主会",
                planned_on=on,
                agenda="一、通报本季度班组奖金分配\n二、讨论安全生产合理化建议",
            )
            _sit(meeting, leader, on, rng, absent_share=0.2)
            meetings += 1
            if quarter == 0:
                services.minutes_save(
                    by=leader,
                    session=meeting,
                    minutes="全班讨论通过本季度奖金分配方案，公示三天无异议。",
                )
                resolution = services.resolution_add(
                    by=leader,
                    session=meeting,
                    text="班组奖金分配方案每季度在班务公开栏公示三天。",
                    owner_department=group.name,
                    due_on=min(today + timedelta(days=15), year_end),
                )
                if index > 0:  # the demo leader's is still open (their to-do)
                    item = rectifications_of(source_model=Resolution, source_ids=[resolution.pk])
                    done = min(on + timedelta(days=10), today)
                    _close(item[resolution.pk], leader, leader, done, rng)
                    closed += 1
    context.log(
        f"  congresses: {representatives} enterprise representatives, "
        f"{Session.objects.count()} sessions ({meetings} group meetings, {year_sessions} "
        f"congresses of the other workshop unions this year), "
        f"{len(motions)} motions, {closed} resolutions closed"
    )
