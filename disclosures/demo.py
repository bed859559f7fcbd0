"""Demo disclosures, as the mine's 矿务公开 runs them: each quarter of the year so far the
enterprise (厂务公开), the first workshop union (车间公开) and its groups (班务公开) post what
the employees care about — bonuses, attendance, awards, expenses, labour protection — in
the six steps, with paper 意见表 their group leaders record (the member logins come later
in the demo), answered on time but one late, and one answer that became a 整改 closed with
evidence. The current quarter holds a disclosure in every step. Every other workshop union
posts its 车间公开 and 班务公开 each quarter of the year so far, with paper forms answered —
some more diligently than others (see PROFILES), so that the star levels of 民主管理
differ."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Role, RoleAssignment, User
from groups.models import Member, MemberStatus
from unionhome.demo import DEMO_PASSWORD, DemoContext

from . import services
from .models import Disclosure, DisclosureCategory, Feedback, Level

# (category code, title) of each quarter's matters, by level.
ENTERPRISE = [
    ("bonus", "{year}年{q}季度全矿安全奖分配方案"),
    ("expenses", "{year}年{q}季度招待费及办公费开支情况"),
    ("awards", "{year}年度劳动模范推荐人选"),
    ("rest_home", "{year}年职工疗养名单"),
]
WORKSHOP = [
    ("bonus", "{q}季度车间奖金二次分配"),
    ("protection", "{q}季度劳保用品发放标准"),
    ("awards", "{q}季度“十佳职工”评选结果"),
    ("hardship", "{q}季度困难职工帮扶名单"),
]
GROUP = [
    ("attendance", "{q}季度班组考勤"),
    ("bonus", "{q}季度班组奖金分配"),
    ("expenses", "{q}季度班费收支"),
    ("awards", "{q}季度班组评先评优"),
]
FEEDBACK = [
    ("系数表里夜班补贴没有单列，请说明。", "夜班补贴已单列，附表张贴在公开栏。"),
    ("个别人出勤天数与考勤机记录不符。", "已与考勤员核对，更正两人出勤天数。"),
    ("希望评选前先公布评分细则。", "下季度起评选细则提前一周公开。"),
    ("劳保鞋尺码不全，大号缺货。", "已联系供应科补货，月底前发放到位。"),
]
# The other workshop unions' matters of a quarter (category code, title), in turn.
YEAR_WORKSHOP = [
    ("bonus", "{q}季度奖金分配方案公开"),
    ("expenses", "夜班补贴发放公开（{q}季度）"),
    ("protection", "{q}季度劳保用品发放公开"),
    ("awards", "{q}季度评先评优结果公开"),
]
YEAR_GROUP = [
    ("attendance", "{q}季度班组考勤公开"),
    ("bonus", "{q}季度班组奖金分配公开"),
    ("expenses", "{q}季度班费收支公开"),
]
YEAR_FEEDBACK = [
    ("奖金系数怎么定的，能否把计算办法一起公开？", "已将岗位系数表和计算办法补充张贴。"),
    ("夜班补贴发放天数与排班表不一致。", "经核对排班表，已补发两个夜班的补贴。"),
    ("劳保手套发放数量不够用。", "已调整为每月每人四副，下月起执行。"),
    ("评先评优能否先听取班组意见？", "下次评选先在班组推荐，再由车间公示。"),
    ("班费开支明细不够细。", "已按笔列出开支明细，重新张贴。"),
    ("希望公开栏内容同时发到班组微信群。", "已同步发到各班组群，方便倒班职工查看。"),
]


@dataclass(frozen=True)
class Profile:
    """How diligently a workshop union discloses this year: its disclosures in each quarter
    that has ended and in the current one, and its paper forms answered on time and not
    (answered late, or still waiting while the late answer's day has not come). Same order
    as congresses/demo.py's PROFILES: 三星级, 一星级, no star, 二星级."""

    per_quarter: int
    this_quarter: int
    on_time: int
    missed: int


PROFILES = [
    Profile(per_quarter=2, this_quarter=2, on_time=5, missed=1),
    Profile(per_quarter=1, this_quarter=1, on_time=3, missed=1),
    Profile(per_quarter=1, this_quarter=1, on_time=2, missed=1),
    Profile(per_quarter=1, this_quarter=1, on_time=3, missed=1),
]
# The demo workshop union's disclosures above carry an answer late and two forms waiting;
# its other forms of the year so far, answered on time, on this quarter's 车间公开.
HOME_EXTRA = Profile(per_quarter=0, this_quarter=1, on_time=5, missed=0)


def _picture(colour=(200, 60, 60), label="") -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (236, 232, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 580, 420), outline=(120, 80, 40), width=8)
    draw.rectangle((100, 100, 540, 160), fill=colour)
    for row in range(6):
        draw.line((110, 200 + row * 35, 520, 200 + row * 35), fill=(90, 90, 90), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(label or "notice.jpg", buffer.getvalue(), content_type="image/jpeg")


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _second_hq(context: DemoContext) -> User:
    """The HQ officer who reviews the enterprise's disclosures (another person than the one
    who proposes them)."""
    user, created = User.objects.get_or_create(username="hq-gk", defaults={"name": "周丽"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        RoleAssignment.objects.create(user=user, role=Role.HQ)
        context.logins.append(("hq-gk", str(Role.HQ.label), "厂务公开审查"))
    return user


class Walker:
    """Walks one disclosure through its steps on the dates of the story."""

    def __init__(self, context, categories):
        self.context = context
        self.categories = categories
        self.today = context.today

    def propose(self, by, level, code, title, day, *, workshop=None, group=None):
        d = services.disclosure_propose(
            by=by,
            level=level,
            category=self.categories[code],
            title=title,
            content=f"{title}：按厂务公开实施办法，经职工代表讨论后公开，接受职工监督。",
            planned_where={
                Level.ENTERPRISE: "矿公开栏、矿信息网",
                Level.WORKSHOP: "车间公开栏",
                Level.GROUP: "班组园地公开栏",
            }[level],
            planned_days=7,
            workshop=workshop,
            group=group,
        )
        Disclosure.objects.filter(pk=d.pk).update(proposed_at=_at(day))
        d.refresh_from_db()
        return d

    def review(self, d, by, day, *, approve=True, note="同意公开"):
        d = services.disclosure_review(by=by, disclosure=d, approve=approve, note=note)
        Disclosure.objects.filter(pk=d.pk).update(reviewed_at=_at(day, 15))
        return d

    def post(self, d, by, day):
        return services.disclosure_post(
            by=by,
            disclosure=d,
            posted_on=day,
            posted_until=day + timedelta(days=6),
            posted_where=d.planned_where,
            photo=_picture(),
        )

    def paper(self, d, leader, member, text, day):
        fb = services.feedback_file(by=leader, disclosure=d, text=text, member=member)
        Feedback.objects.filter(pk=fb.pk).update(filed_at=_at(day, 10))
        fb.refresh_from_db()
        return fb

    def answer(self, fb, by, day, text):
        fb = services.feedback_answer(by=by, feedback=fb, answer=text)
        Feedback.objects.filter(pk=fb.pk).update(answered_at=_at(day, 16))
        fb.refresh_from_db()
        return fb

    def end(self, d, by):
        d = services.disclosure_end_supervision(by=by, disclosure=d, today=self.today)
        Disclosure.objects.filter(pk=d.pk).update(
            supervision_ended_at=_at(min(d.posted_until + timedelta(days=1), self.today), 8)
        )
        return d

    def close(self, d, by, day):
        d = services.disclosure_close(by=by, disclosure=d)
        Disclosure.objects.filter(pk=d.pk).update(closed_at=_at(day, 17))
        return d


def seed(context: DemoContext) -> None:
    if Disclosure.objects.exists():
        context.log("  disclosures: already there")
        return
    users = context.shared["users"]
    groups = context.shared["groups"]
    hq, hq2 = users["hq"], _second_hq(context)
    leader, workshop_user = users["leader"], users["workshop"]
    home = next(g for g in groups if g.pk == _leader_group(leader))
    workshop = home.workshop
    leaders = context.shared.get("leader_users", {})
    categories = {c.code: c for c in DisclosureCategory.objects.all()}
    walk = Walker(context, categories)
    today = context.today
    members = list(
        Member.objects.filter(group=home, status=MemberStatus.ACTIVE).order_by("employee_no")[:4]
    )
    siblings = [g for g in groups if g.workshop_id == workshop.pk and g.pk != home.pk][:3]
    made = late = 0
    rectified = None
    # The three quarters before the current one (across the new year if need be).
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    for back in (3, 2, 1):
        months = this_quarter.year * 12 + this_quarter.month - 1 - 3 * back
        start = date(months // 12, months % 12 + 1, 1)
        q = (start.month - 1) // 3 + 1
        fill = {"year": start.year, "q": "一二三四"[q - 1]}
        # The enterprise's, the workshop union's and the leader's group's, posted on the
        # 10th, 15th and 20th of the quarter's second month, each with a paper feedback.
        plan = [
            (hq, hq2, Level.ENTERPRISE, ENTERPRISE, {}, 10),
            (workshop_user, hq, Level.WORKSHOP, WORKSHOP, {"workshop": workshop}, 15),
            (leader, workshop_user, Level.GROUP, GROUP, {"group": home}, 20),
        ]
        for index, (office, reviewer, level, titles, place, posted_day) in enumerate(plan):
            code, title = titles[(q + index) % len(titles)]
            day = start.replace(month=start.month + 1, day=posted_day)
            d = walk.propose(
                office, level, code, title.format(**fill), day - timedelta(days=5), **place
            )
            d = walk.review(d, reviewer, day - timedelta(days=3))
            d = walk.post(d, office, day)
            text, reply = FEEDBACK[(q + index) % len(FEEDBACK)]
            fb = walk.paper(
                d, leader, members[(q + index) % len(members)], text, day + timedelta(days=2)
            )
            # One answer late (the earliest quarter's group disclosure), the others in 3 days.
            slow = back == 3 and level == Level.GROUP
            fb = walk.answer(fb, office, day + timedelta(days=12 if slow else 4), reply)
            late += slow
            if rectified is None and level == Level.WORKSHOP:
                rectified = _rectify(fb, workshop_user, day + timedelta(days=5), today)
            d = walk.end(d, office)
            walk.close(d, office, d.posted_until + timedelta(days=3))
            made += 1
        # The sibling groups' own 班务公开 each quarter.
        for offset, group in enumerate(siblings):
            office = leaders.get(group.pk)
            if office is None:
                continue
            code, title = GROUP[(q + offset) % len(GROUP)]
            day = start.replace(month=start.month + 1, day=12 + offset)
            d = walk.propose(office, Level.GROUP, code, title.format(**fill), day, group=group)
            d = walk.review(d, workshop_user, day + timedelta(days=1))
            d = walk.end(walk.post(d, office, day + timedelta(days=2)), office)
            walk.close(d, office, d.posted_until + timedelta(days=1))
            made += 1
    made += _current_quarter(walk, hq, hq2, workshop_user, leader, workshop, home, members, today)
    made += _workshop_year(walk, workshop, workshop_user, hq, [home], leaders, HOME_EXTRA)
    # The other workshop unions' disclosures of the year so far.
    workshops = context.shared["workshops"]
    workshop_users = context.shared.get("workshop_users", {})
    others = [w for w in workshops if w.is_active and w.pk != workshop.pk]
    for index, other in enumerate(others):
        office = workshop_users.get(other.pk)
        if office is None:
            continue
        its_groups = [g for g in groups if g.workshop_id == other.pk]
        profile = PROFILES[index % len(PROFILES)]
        made += _workshop_year(walk, other, office, hq, its_groups, leaders, profile)
    context.log(
        f"  disclosures: {made} in six steps, {late} feedback answered late, "
        f"{'one rectification closed with evidence' if rectified else 'no rectification'}"
    )


def _workshop_year(walk, workshop, office, hq, groups, leaders, profile) -> int:
    """A workshop union's disclosures of the year so far by its profile: in each quarter
    that has ended, its 车间公开 (reviewed by HQ) and its groups' 班务公开 (reviewed by the
    workshop union) in turn, all closed; in the current quarter its 车间公开 so far. The
    paper forms the group leaders record go to the year's disclosures in turn, the late
    ones on the earliest."""
    today = walk.today
    groups = [g for g in groups if g.pk in leaders]
    if not groups:
        return 0
    first_leader = leaders[groups[0].pk]
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    plan = []  # (level, code, title, posted on, group)
    for q in range((today.month - 1) // 3):
        start = date(today.year, 3 * q + 1, 1)
        for n in range(profile.per_quarter):
            day = start.replace(month=start.month + (n % 3), day=10 + 5 * (n // 3))
            if n % 2 == 0:
                code, title = YEAR_WORKSHOP[(q + n // 2) % len(YEAR_WORKSHOP)]
                plan.append((Level.WORKSHOP, code, title, day, None, q))
            else:
                group = groups[(q + n // 2) % len(groups)]
                code, title = YEAR_GROUP[(q + n // 2) % len(YEAR_GROUP)]
                plan.append((Level.GROUP, code, title, day, group, q))
    q = (today.month - 1) // 3
    for n in range(profile.this_quarter):
        # On days of the quarter so far: a third and two thirds of the way to today.
        day = quarter_start + timedelta(days=(today - quarter_start).days * (n + 1) // 3)
        code, title = YEAR_WORKSHOP[(q + 1 + n) % len(YEAR_WORKSHOP)]
        plan.append((Level.WORKSHOP, code, title, day, None, q))
    forms: dict[int, list[bool]] = {}
    for index in range(profile.on_time + profile.missed):
        forms.setdefault(index % len(plan), []).append(index >= profile.missed)
    members = {
        group.pk: list(
            Member.objects.filter(group=group, status=MemberStatus.ACTIVE).order_by("employee_no")[
                :3
            ]
        )
        for group in groups
    }
    for index, (level, code, title, day, group, q) in enumerate(plan):
        by = office if level == Level.WORKSHOP else leaders[group.pk]
        reviewer = hq if level == Level.WORKSHOP else office
        title = title.format(q="一二三四"[q])
        place = {"workshop": workshop} if level == Level.WORKSHOP else {"group": group}
        d = walk.propose(by, level, code, title, day - timedelta(days=4), **place)
        d = walk.review(d, reviewer, day - timedelta(days=2))
        d = walk.post(d, by, day)
        answered = True
        for number, on_time in enumerate(forms.get(index, [])):
            recorder = first_leader if level == Level.WORKSHOP else leaders[group.pk]
            source = groups[0] if level == Level.WORKSHOP else group
            people = members[source.pk] or [None]
            filed = min(day + timedelta(days=1 + number), today)
            text, reply = YEAR_FEEDBACK[(index + number) % len(YEAR_FEEDBACK)]
            fb = walk.paper(d, recorder, people[number % len(people)], text, filed)
            # Answered within three days; a late one ten days after, if that day has come.
            when = filed + timedelta(days=3 if on_time else 10)
            if on_time or when <= today:
                walk.answer(fb, by, min(when, today), reply)
            else:
                answered = False
        if d.posted_until <= today:
            d = walk.end(d, by)
            if answered:
                walk.close(d, by, min(d.posted_until + timedelta(days=3), today))
    return len(plan)


def _leader_group(leader) -> int:
    return leader.role_assignments.get(role=Role.GROUP_LEADER).group_id


def _rectify(fb, office, day, today):
    """The answer on the labour protection standard became a rectification: raised, done
    with a photo of the new stock as evidence, and closed by the workshop union."""
    from rectifications import services as rectifications

    item = services.feedback_rectify(
        by=office,
        feedback=fb,
        title="补齐劳保鞋大号尺码",
        description=fb.answer,
        owner_department="供应科",
        due_on=min(day + timedelta(days=20), today),
    )
    item = rectifications.rectification_report(
        rectification=item,
        by=office,
        report="供应科已补进大号劳保鞋60双，车间已全部发放到人。",
        evidence_files=[_picture((60, 120, 200), "发放签收.jpg")],
        completed_on=min(day + timedelta(days=15), today),
    )
    return rectifications.rectification_close(rectification=item, by=office)


def _current_quarter(walk, hq, hq2, ws, leader, workshop, home, members, today) -> int:
    """This quarter: one disclosure waiting at each step."""
    recent = today - timedelta(days=20)
    # 提出: the group's attendance, waiting for the workshop union's review.
    walk.propose(leader, Level.GROUP, "attendance", "本月班组考勤", today, group=home)
    # Returned: the workshop union's bonus plan lacks its coefficients.
    d = walk.propose(
        ws, Level.WORKSHOP, "bonus", "本季度车间奖金分配方案", today, workshop=workshop
    )
    walk.review(d, hq, today, approve=False, note="请补充岗位系数表后再报。")
    # 审查 done: the enterprise's expenses, to be posted.
    d = walk.propose(hq, Level.ENTERPRISE, "expenses", "本季度业务招待费开支", today)
    walk.review(d, hq2, today)
    # 公开 (监督): the group's bonus posted this week, a paper form waiting for the answer.
    d = walk.propose(leader, Level.GROUP, "bonus", "本季度班组奖金分配", today, group=home)
    d = walk.post(walk.review(d, ws, today), leader, today - timedelta(days=1))
    walk.paper(d, leader, members[0], "请把加班工时一并公开。", today)
    # Supervision over, an answer pending (overdue): the workshop union's awards.
    d = walk.propose(
        ws, Level.WORKSHOP, "awards", "本季度先进班组评选结果", recent, workshop=workshop
    )
    d = walk.post(walk.review(d, hq, recent), ws, recent)
    walk.paper(d, leader, members[1], "评分表能否公开？", recent + timedelta(days=2))
    walk.end(d, ws)
    # 反馈 done, to be closed: the enterprise's labour protection standard.
    d = walk.propose(hq, Level.ENTERPRISE, "protection", "夏季防暑降温用品发放标准", recent)
    d = walk.post(walk.review(d, hq2, recent), hq, recent)
    fb = walk.paper(d, leader, members[2], "井下班组能否增加绿豆汤？", recent + timedelta(days=1))
    walk.answer(fb, hq, recent + timedelta(days=3), "已安排食堂每日送到井口。")
    walk.end(d, hq)
    return 6
