"""Demo organisation: a power plant's workshops (demo) or the seed's mine (mine size)."""

from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from accounts.services import user_sync_access
from unionhome.bulk import analyse, copy_rows
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


# The federation (a mining group's union): ten mines of the seed mine's size, their units
# named with the mine's prefix (一矿综采一队 …).
FEDERATION_MINES = [f"{numeral}矿" for numeral in NUMERALS]


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
    per_mine = len(units)
    if context.scale > 1:
        units = [mine + unit for mine in FEDERATION_MINES[: context.scale] for unit in units]
    structure = []
    group_total = 0
    for w, name in enumerate(units):
        # A mine's 405 groups over its 65 units: the first 15 get seven groups, the rest six.
        n_groups = 7 if w % per_mine < 15 else 6
        code = f"M{w + 1:03d}"
        groups = [(MINE_GROUP_NAMES[i], f"{code}-{i + 1:02d}") for i in range(n_groups)]
        group_total += n_groups
        structure.append((name, code, groups))
    assert group_total == 405 * context.scale, group_total
    return structure


JOBS = ("采煤工", "掘进工", "机电维修工", "通风工", "运输工", "安全检查员", "调度员", "化验员")


_PICKS: dict = {}


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
        key = (option_list, *weights)
        if key not in _PICKS:  # the same draw as with the weights, summed once
            names, shares = zip(*weights, strict=True)
            _PICKS[key] = (names, list(accumulate(shares)))
        names, cumulative = _PICKS[key]
        return options[option_list][rng.choices(names, cum_weights=cumulative)[0]]

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


MEMBER_FIELDS = (
    "employee_no",
    "name",
    "name_initials",
    "gender",
    "birth_date",
    "joined_union_on",
    "phone",
    "group_id",
    "is_hardship",
    "is_model_worker",
    "model_worker_level_id",
    "is_retired",
    "id_number",
    "ethnicity_id",
    "political_status_id",
    "education_id",
    "hukou_type",
    "employment_type_id",
    "work_started_on",
    "position",
    "skill_grade_id",
    "is_worker_representative",
)


def _members_for(context: DemoContext, groups: list[UnionGroup], start_no: int):
    """Rows of MEMBER_FIELDS, generated as they are written."""
    rng, today = context.rng, context.today
    total = MINE_MEMBERS * context.scale
    per_group = total // len(groups) if context.is_mine else None
    extra = total - per_group * len(groups) if per_group else 0
    female_share = 0.22 if context.is_mine else 0.35
    options = {}
    for option in MemberOption.objects.all():
        options.setdefault(option.option_list, {})[option.name] = option
    used_ids = set(Member.objects.exclude(id_number="").values_list("id_number", flat=True))
    used_ids = {number[:17] for number in used_ids}
    used_phones = set(Member.objects.exclude(phone="").values_list("phone", flat=True))
    model_worker_level = options["model_worker"]["企业劳动模范"].pk
    initials = cache(name_initials)  # names repeat; pinyin was half of a member's cost
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
            while True:  # a hundred thousand numbers: draw again on the rare repeat
                phone = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
                if phone not in used_phones:
                    used_phones.add(phone)
                    break
            registration = _registration(rng, today, birth, female, used_ids, options)
            yield (
                str(number),
                name,
                initials(name),
                Gender.FEMALE if female else Gender.MALE,
                birth,
                joined,
                phone,
                group.pk,
                rng.random() < 0.04,
                model_worker,
                model_worker_level if model_worker else None,
                False,
                registration["id_number"],
                registration["ethnicity"].pk,
                registration["political_status"].pk,
                registration["education"].pk,
                registration["hukou_type"],
                registration["employment_type"].pk,
                registration["work_started_on"],
                registration["position"],
                registration["skill_grade"].pk,
                registration["is_worker_representative"],
            )
            number += 1


def seed(context: DemoContext) -> None:
    rng, today = context.rng, context.today
    structure = _structure(context)
    # In bulk, the records not there yet (seed_demo is safe to run again): the federation's
    # 4,700 get_or_create calls took a minute.
    chairs = [chinese_name(rng, rng.random() < 0.3) for _ in structure]
    codes = [w_code for _, w_code, _ in structure]
    have = set(WorkshopUnion.objects.filter(code__in=codes).values_list("code", flat=True))
    WorkshopUnion.objects.bulk_create(
        [
            WorkshopUnion(code=w_code, name=w_name, sort_order=w_index + 1, chair_name=chair)
            for w_index, ((w_name, w_code, _), chair) in enumerate(
                zip(structure, chairs, strict=True)
            )
            if w_code not in have
        ],
        batch_size=BATCH,
    )
    by_code = {w.code: w for w in WorkshopUnion.objects.filter(code__in=codes)}
    workshops = [by_code[code] for code in codes]
    group_codes = [g_code for *_, specs in structure for _, g_code in specs]
    have = set(UnionGroup.objects.filter(code__in=group_codes).values_list("code", flat=True))
    UnionGroup.objects.bulk_create(
        [
            UnionGroup(code=g_code, workshop=workshop, name=g_name, sort_order=g_index + 1)
            for workshop, (_, _, specs) in zip(workshops, structure, strict=True)
            for g_index, (g_name, g_code) in enumerate(specs)
            if g_code not in have
        ],
        batch_size=BATCH,
    )
    by_code = {
        g.code: g
        for g in UnionGroup.objects.filter(code__in=group_codes).select_related("workshop")
    }
    groups = [by_code[code] for code in group_codes]
    new_groups = {g.pk for g in groups if g.code not in have}
    # The demo's groups have been in the system for years: they owe every month's report.
    entered = timezone.make_aware(datetime(2015, 1, 1))
    UnionGroup.objects.filter(pk__in=new_groups).update(created_at=entered)
    for group in groups:
        if group.pk in new_groups:
            group.created_at = entered
    context.log(f"  organisation: {len(workshops)} workshop unions, {len(groups)} union groups")

    start_no = 200001 if context.is_mine else 10001
    if not Member.objects.filter(group__in=groups).exists():
        copy_rows(Member, MEMBER_FIELDS, _members_for(context, groups, start_no))
        # Only what the memberships and posts need: 100,000 members stay rows, not objects.
        members = list(
            Member.objects.filter(group__in=groups)
            .order_by("pk")
            .values_list("pk", "group_id", "joined_union_on", "gender", named=True)
        )
        copy_rows(
            GroupMembership,
            ("member_id", "group_id", "started_on"),
            ((m.pk, m.group_id, max(m.joined_union_on, date(2015, 1, 1))) for m in members),
        )
        analyse(Member, GroupMembership)
        _appoint_posts(groups, members, rng)
        if not context.is_mine:
            _demo_history(
                groups, list(Member.objects.filter(group__in=groups).order_by("pk")), rng, today
            )
    context.log(f"  members: {Member.objects.filter(group__in=groups).count()}")
    context.shared["workshops"] = workshops
    context.shared["groups"] = groups
    _demo_users(context, workshops, groups)


def _appoint_posts(groups, members, rng) -> None:
    by_group: dict[int, list] = {}
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
        posts.append(GroupPost(group=group, post=Post.LEADER, member_id=people[0].pk, since=since))
        women = [m for m in people[1:] if m.gender == Gender.FEMALE]
        for post, holder in zip(
            rng.sample(optional, k=min(4, len(optional))), people[1:], strict=False
        ):
            if post == Post.WOMEN:
                if not women:
                    continue
                holder = women[0]
            posts.append(GroupPost(group=group, post=post, member_id=holder.pk, since=since))
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
