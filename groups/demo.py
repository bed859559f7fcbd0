"""Demo organisation: a power plant's workshops (demo) or the seed's mine (mine size)."""

from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from accounts.services import user_sync_access
from unionhome.demo import DEMO_PASSWORD, DemoContext, chinese_name, random_date

from .idnumbers import check_digit
from .models import (
    Gender,
    GroupMembership,
    GroupPost,
    Member,
    MemberOption,
    MemberStatus,
    Post,
    UnionGroup,
    WorkshopUnion,
)
from .pinyin import name_initials

# The demo: a power plant like the seed's boiler workshop (129 members, 17 groups), smaller.
DEMO_WORKSHOPS = {
    "锅炉车间": ["运行一班", "运行二班", "检修班"],
    "汽机车间": ["运行甲班", "运行乙班", "点检班"],
    "电气车间": ["继保班", "高压班", "电测班"],
    "化学车间": ["水处理班", "化验班", "燃料班"],
}
# The mine: 65 workshop unions (区队) and 405 union groups, as in the seed's third report.
MINE_UNIT_KINDS = [
    ("综采{}队", 8),
    ("掘进{}队", 12),
    ("开拓{}队", 6),
    ("机电{}队", 6),
    ("运输{}区", 5),
    ("通风{}区", 4),
    ("准备{}队", 6),
    ("安装{}队", 4),
    ("选煤{}车间", 5),
    ("后勤{}服务站", 9),
]
MINE_GROUP_NAMES = ["早班", "中班", "夜班", "检修班", "机电班", "运输班", "综合班"]
MINE_MEMBERS = 10_000
NUMERALS = "一二三四五六七八九十"
BATCH = 2000


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return (
        ("" if n < 20 else NUMERALS[n // 10 - 1]) + "十" + (NUMERALS[n % 10 - 1] if n % 10 else "")
    )


def _structure(context: DemoContext):
    """[(workshop name, code, [(group name, code)])] for the chosen size."""
    if not context.is_mine:
        return [
            (
                name,
                f"D{w + 1:02d}",
                [(g, f"D{w + 1:02d}-{i + 1:02d}") for i, g in enumerate(groups)],
            )
            for w, (name, groups) in enumerate(DEMO_WORKSHOPS.items())
        ]
    units = []
    for pattern, count in MINE_UNIT_KINDS:
        units += [pattern.format(_numeral(i)) for i in range(1, count + 1)]
    structure = []
    group_total = 0
    for w, name in enumerate(units):
        # 405 groups over 65 units: the first 15 get seven groups, the rest six.
        n_groups = 7 if w < 15 else 6
        code = f"M{w + 1:03d}"
        groups = [(MINE_GROUP_NAMES[i], f"{code}-{i + 1:02d}") for i in range(n_groups)]
        group_total += n_groups
        structure.append((name, code, groups))
    assert group_total == 405, group_total
    return structure


JOBS = ("采煤工", "掘进工", "机电维修工", "通风工", "运输工", "安全检查员", "调度员", "化验员")


def _registration(rng, today, birth: date, female: bool, used_ids: set, options: dict) -> dict:
    """The 会员实名制 fields of a demo member: an identity number that matches the birth
    date and gender, and the lists' entries in proportions a mine's union would see."""
    while True:
        sequence = rng.randint(0, 99) * 10 + rng.choice(
            (0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9)
        )
        first17 = f"370802{birth:%Y%m%d}{sequence:03d}"
        if first17 not in used_ids:
            used_ids.add(first17)
            break

    def pick(option_list, weights):
        names, shares = zip(*weights, strict=True)
        return options[option_list][rng.choices(names, shares)[0]]

    young = birth.year >= today.year - 28
    started = date(birth.year + rng.randint(18, 23), rng.randint(1, 12), 1)
    return {
        "id_number": first17 + check_digit(first17),
        "ethnicity": pick("ethnicity", [("汉族", 95), ("回族", 3), ("满族", 2)]),
        "political_status": pick(
            "political",
            [("中共党员", 22), ("共青团员", 20 if young else 2), ("群众", 70)],
        ),
        "education": pick(
            "education",
            [("大学本科", 15), ("大学专科", 25), ("技工学校", 25), ("高中", 20), ("初中", 15)],
        ),
        "hukou_type": "rural" if rng.random() < 0.3 else "urban",
        "employment_type": pick("employment", [("合同制", 90), ("劳务派遣", 10)]),
        "work_started_on": min(started, today),
        "position": rng.choice(JOBS),
        "skill_grade": pick(
            "skill", [("初级工", 20), ("中级工", 40), ("高级工", 30), ("技师", 8), ("高级技师", 2)]
        ),
        "is_worker_representative": rng.random() < 0.05,
    }


def _members_for(context: DemoContext, groups: list[UnionGroup], start_no: int):
    rng, today = context.rng, context.today
    per_group = MINE_MEMBERS // len(groups) if context.is_mine else None
    extra = MINE_MEMBERS - per_group * len(groups) if per_group else 0
    female_share = 0.22 if context.is_mine else 0.35
    options = {}
    for option in MemberOption.objects.all():
        options.setdefault(option.option_list, {})[option.name] = option
    used_ids = set(Member.objects.exclude(id_number="").values_list("id_number", flat=True))
    used_ids = {number[:17] for number in used_ids}
    number = start_no
    for index, group in enumerate(groups):
        count = (per_group + (1 if index < extra else 0)) if per_group else rng.randint(11, 15)
        for _ in range(count):
            female = rng.random() < female_share
            birth = random_date(rng, date(today.year - 58, 1, 1), date(today.year - 21, 12, 31))
            joined = max(
                random_date(rng, date(birth.year + 19, 1, 1), today - timedelta(days=60)),
                date(1995, 1, 1),
            )
            name = chinese_name(rng, female)
            model_worker = rng.random() < 0.02
            yield Member(
                employee_no=str(number),
                name=name,
                name_initials=name_initials(name),
                gender=Gender.FEMALE if female else Gender.MALE,
                birth_date=birth,
                joined_union_on=joined,
                phone=f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
                group=group,
                is_hardship=rng.random() < 0.04,
                is_model_worker=model_worker,
                model_worker_level=options["model_worker"]["企业劳动模范"]
                if model_worker
                else None,
                is_retired=False,
                **_registration(rng, today, birth, female, used_ids, options),
            )
            number += 1


def seed(context: DemoContext) -> None:
    rng, today = context.rng, context.today
    workshops, groups = [], []
    new_groups = []
    for w_index, (w_name, w_code, group_specs) in enumerate(_structure(context)):
        workshop, _ = WorkshopUnion.objects.get_or_create(
            code=w_code,
            defaults={
                "name": w_name,
                "sort_order": w_index + 1,
                "chair_name": chinese_name(rng, rng.random() < 0.3),
            },
        )
        workshops.append(workshop)
        for g_index, (g_name, g_code) in enumerate(group_specs):
            group, created = UnionGroup.objects.get_or_create(
                code=g_code,
                defaults={"workshop": workshop, "name": g_name, "sort_order": g_index + 1},
            )
            if created:
                new_groups.append(group.pk)
            groups.append(group)
    # The demo's groups have been in the system for years: they owe every month's report.
    entered = timezone.make_aware(datetime(2015, 1, 1))
    UnionGroup.objects.filter(pk__in=new_groups).update(created_at=entered)
    for group in groups:
        if group.pk in new_groups:
            group.created_at = entered
    context.log(f"  organisation: {len(workshops)} workshop unions, {len(groups)} union groups")

    start_no = 200001 if context.is_mine else 10001
    if not Member.objects.filter(group__in=groups).exists():
        members = list(_members_for(context, groups, start_no))
        Member.objects.bulk_create(members, batch_size=BATCH)
        members = list(Member.objects.filter(group__in=groups).order_by("pk"))
        GroupMembership.objects.bulk_create(
            [
                GroupMembership(
                    member=m,
                    group_id=m.group_id,
                    started_on=max(m.joined_union_on, date(2015, 1, 1)),
                )
                for m in members
            ],
            batch_size=BATCH,
        )
        _appoint_posts(groups, members, rng)
        if not context.is_mine:
            _demo_history(groups, members, rng, today)
    context.log(f"  members: {Member.objects.filter(group__in=groups).count()}")
    context.shared["workshops"] = workshops
    context.shared["groups"] = groups
    _demo_users(context, workshops, groups)


def _appoint_posts(groups, members, rng) -> None:
    by_group: dict[int, list[Member]] = {}
    for member in members:
        by_group.setdefault(member.group_id, []).append(member)
    posts = []
    optional = [p for p in Post if p != Post.LEADER]
    for group in groups:
        people = list(by_group.get(group.pk, []))
        rng.shuffle(people)
        if not people:
            continue
        since = max(people[0].joined_union_on, date(2020, 1, 1))
        posts.append(GroupPost(group=group, post=Post.LEADER, member=people[0], since=since))
        women = [m for m in people[1:] if m.gender == Gender.FEMALE]
        for post, holder in zip(
            rng.sample(optional, k=min(4, len(optional))), people[1:], strict=False
        ):
            if post == Post.WOMEN:
                if not women:
                    continue
                holder = women[0]
            posts.append(GroupPost(group=group, post=post, member=holder, since=since))
    # One holder per post: drop accidental doubles of a person in two posts' places.
    seen = set()
    unique = []
    for post in posts:
        if (post.group_id, post.post) not in seen:
            seen.add((post.group_id, post.post))
            unique.append(post)
    GroupPost.objects.bulk_create(unique, batch_size=BATCH)


def _demo_history(groups, members, rng, today) -> None:
    """A few moves between groups and two members who left, so the history pages show it."""
    post_holders = set(GroupPost.objects.values_list("member_id", flat=True))
    candidates = [m for m in members if m.pk not in post_holders]
    rng.shuffle(candidates)
    for member in candidates[:4]:
        target = rng.choice([g for g in groups if g.pk != member.group_id])
        moved_on = today - timedelta(days=rng.randint(30, 300))
        current = GroupMembership.objects.get(member=member, ended_on__isnull=True)
        current.started_on = min(current.started_on, moved_on - timedelta(days=365))
        current.ended_on = moved_on
        current.save()
        GroupMembership.objects.create(
            member=member, group=target, started_on=moved_on, note="工作调动"
        )
        member.group = target
        member.save()
    for member in candidates[4:6]:
        left_on = today - timedelta(days=rng.randint(10, 200))
        GroupMembership.objects.filter(member=member, ended_on__isnull=True).update(
            ended_on=left_on, note="调离本单位"
        )
        member.status = MemberStatus.LEFT
        member.left_on = left_on
        member.left_reason = "调离本单位"
        member.save()


def _demo_users(context: DemoContext, workshops, groups) -> None:
    leader_group = groups[0]
    leader_post = (
        GroupPost.objects.filter(group=leader_group, post=Post.LEADER)
        .select_related("member")
        .first()
    )
    specs = [
        ("admin", "系统管理员", "", None, None, True),
        ("hq", "刘芳", Role.HQ, None, None, False),
        ("workshop", "王建国", Role.WORKSHOP, workshops[0], None, False),
        (
            "leader",
            leader_post.member.name if leader_post else "张伟",
            Role.GROUP_LEADER,
            None,
            leader_group,
            False,
        ),
        ("evaluator", "陈静", Role.EVALUATOR, None, None, False),
    ]
    for username, name, role, workshop, group, superuser in specs:
        user, _ = User.objects.get_or_create(username=username, defaults={"name": name})
        user.name = name
        user.is_superuser = superuser
        user.is_staff = superuser
        user.handles_welfare = role == Role.HQ  # the demo HQ login is welfare staff too
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        user.role_assignments.all().delete()
        if role:
            RoleAssignment.objects.create(user=user, role=role, workshop=workshop, group=group)
        user_sync_access(user=user)
        scope = str(workshop or (f"{group.workshop} · {group}" if group else ""))
        label = str(Role(role).label) if role else "superuser"
        context.logins.append((username, label, scope))
    users = {spec[0]: User.objects.get(username=spec[0]) for spec in specs}
    context.shared["users"] = users
    _staff_accounts(context, workshops, groups, users)


def leader_group_of(user) -> int:
    return user.role_assignments.get(role=Role.GROUP_LEADER).group_id


def _staff_accounts(context: DemoContext, workshops, groups, users) -> None:
    """A login for every other workshop union (ws-<code>) and group leader (gl-<code>), so
    that every report and record has a real person behind it. Same demo password."""
    password = make_password(DEMO_PASSWORD)
    leaders = dict(
        GroupPost.objects.filter(group__in=groups, post=Post.LEADER).values_list(
            "group_id", "member__name"
        )
    )
    wanted = [
        (f"ws-{w.code}", w.chair_name or w.name, Role.WORKSHOP, w, None) for w in workshops[1:]
    ] + [
        (f"gl-{g.code}", leaders.get(g.pk, g.name), Role.GROUP_LEADER, None, g) for g in groups[1:]
    ]
    existing = set(
        User.objects.filter(username__in=[spec[0] for spec in wanted]).values_list(
            "username", flat=True
        )
    )
    new = [spec for spec in wanted if spec[0] not in existing]
    User.objects.bulk_create(
        [User(username=username, name=name, password=password) for username, name, *_ in new],
        batch_size=BATCH,
    )
    ids = dict(
        User.objects.filter(username__in=[spec[0] for spec in new]).values_list("username", "pk")
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user_id=ids[username], role=role, workshop=workshop, group=group)
            for username, _name, role, workshop, group in new
        ],
        batch_size=BATCH,
    )
    by_workshop = {workshops[0].pk: users["workshop"]}
    by_group = {leader_group_of(users["leader"]): users["leader"]}
    for assignment in RoleAssignment.objects.filter(
        user__username__in=[spec[0] for spec in wanted]
    ).select_related("user"):
        if assignment.role == Role.WORKSHOP:
            by_workshop.setdefault(assignment.workshop_id, assignment.user)
        else:
            by_group.setdefault(assignment.group_id, assignment.user)
    context.shared["workshop_users"] = by_workshop
    context.shared["leader_users"] = by_group
    context.log(
        f"  logins: {len(by_workshop)} workshop unions (ws-…), {len(by_group)} group leaders (gl-…)"
    )
