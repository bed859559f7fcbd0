"""What the organisation pages show, each read in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from accounts.scoping import VIEW, allows, scoped_object_or_404

from .filters import MemberFilter
from .models import (
    ACCEPTED_STAGES,
    GroupMembership,
    GroupPost,
    HomeStage,
    Member,
    MemberStatus,
    Post,
    UnionGroup,
    WorkshopUnion,
)

ACTIVE_MEMBERS = Count("members", filter=Q(members__status=MemberStatus.ACTIVE))


def _leader_name():
    return Subquery(
        GroupPost.objects.filter(group=OuterRef("pk"), post=Post.LEADER).values("member__name")[:1]
    )


def groups_with_counts(*, user, leaders: bool = True):
    """The union groups the user can see, with active member counts and (unless
    `leaders` is false: a subquery per group) the leader's name."""
    groups = (
        UnionGroup.objects.restrict(user, VIEW)
        .select_related("workshop")
        .annotate(member_count=ACTIVE_MEMBERS)
        # Spelled out: Django leaves Meta.ordering out of a query that groups rows.
        .order_by(*UnionGroup._meta.ordering)
    )
    return groups.annotate(leader_name=_leader_name()) if leaders else groups


# 小家 accepted (覆盖率) and under way, as UnionGroup.has_accepted_home and .is_building
# say of one group, for counting in SQL.
ACCEPTED_HOME = ~Q(home_level="") | Q(home_stage__in=ACCEPTED_STAGES)
BUILDING_HOME = ~ACCEPTED_HOME & ~Q(home_stage=HomeStage.NOT_STARTED)


@dataclass
class WorkshopBranch:
    """A workshop union with its active groups' counts, and the groups themselves where
    a page lists them (`add`)."""

    workshop: WorkshopUnion
    groups: list = field(default_factory=list)
    group_count: int = 0
    member_count: int = 0
    home_count: int = 0
    building_count: int = 0

    def add(self, group) -> None:
        self.groups.append(group)
        self.group_count += 1
        self.member_count += group.member_count
        self.home_count += group.has_accepted_home
        self.building_count += group.is_building


@dataclass
class OrgTree:
    branches: list[WorkshopBranch]

    @property
    def group_count(self) -> int:
        return sum(b.group_count for b in self.branches)

    @property
    def member_count(self) -> int:
        return sum(b.member_count for b in self.branches)

    @property
    def home_count(self) -> int:
        return sum(b.home_count for b in self.branches)

    @property
    def building_count(self) -> int:
        return sum(b.building_count for b in self.branches)

    @property
    def coverage(self) -> float | None:
        """覆盖率: groups whose 小家 passed its acceptance (or holds a title), over all
        active groups; those still being built are counted beside it, never in it."""
        return self.home_count / self.group_count if self.group_count else None


def org_tree(*, user, groups: bool = True) -> OrgTree:
    """The workshop unions the user can see with their active groups' counts. With
    `groups`, the groups too, with member counts (two queries); without, counted in SQL
    (three queries): the organisation's figures need no 4,050 group objects, nor to
    keep them in the cache."""
    branches = {w.pk: WorkshopBranch(w) for w in WorkshopUnion.objects.restrict(user, VIEW)}
    if groups:
        for group in groups_with_counts(user=user, leaders=False).filter(is_active=True):
            branch = branches.get(group.workshop_id)
            if branch is not None:
                branch.add(group)
        return OrgTree(list(branches.values()))
    counted = (
        UnionGroup.objects.restrict(user, VIEW)
        .filter(is_active=True)
        .order_by()
        .values("workshop_id")
        .annotate(
            groups=Count("pk"),
            homes=Count("pk", filter=ACCEPTED_HOME),
            building=Count("pk", filter=BUILDING_HOME),
        )
    )
    for row in counted:
        if branch := branches.get(row["workshop_id"]):
            branch.group_count = row["groups"]
            branch.home_count = row["homes"]
            branch.building_count = row["building"]
    members = (
        Member.objects.filter(
            status=MemberStatus.ACTIVE,
            group__in=UnionGroup.objects.restrict(user, VIEW).filter(is_active=True),
        )
        .order_by()
        .values_list("group__workshop_id")
        .annotate(n=Count("pk"))
    )
    for workshop_id, n in members:
        if branch := branches.get(workshop_id):
            branch.member_count = n
    return OrgTree(list(branches.values()))


@dataclass
class OrgTotals:
    """The organisation page's head: the whole of the user's reach, whatever page is shown."""

    workshops: int
    groups: int
    members: int
    homes: int
    building: int

    @property
    def coverage(self) -> float | None:
        """覆盖率, as OrgTree.coverage counts it."""
        return self.homes / self.groups if self.groups else None


def org_totals(*, user) -> OrgTotals:
    """The organisation's tree counted in SQL (three queries), added up."""
    tree = org_tree(user=user, groups=False)
    return OrgTotals(
        workshops=len(tree.branches),
        groups=tree.group_count,
        members=tree.member_count,
        homes=tree.home_count,
        building=tree.building_count,
    )


def org_workshops(*, user, search: str = ""):
    """The workshop unions of the user's reach, in the organisation's order, as a queryset
    to page; `search` keeps those whose name, or one of whose active groups' names, holds it."""
    workshops = WorkshopUnion.objects.restrict(user, VIEW)
    if search:
        named = UnionGroup.objects.filter(is_active=True, name__icontains=search)
        workshops = workshops.filter(
            Q(name__icontains=search) | Q(pk__in=named.values("workshop_id"))
        )
    return workshops.order_by("sort_order", "code")


def _holds(name: str, search: str) -> bool:
    return search.casefold() in name.casefold()  # as icontains matches


def org_branches(*, user, workshops, search: str = "") -> list[WorkshopBranch]:
    """The branches of a page of workshop unions: their active groups with member counts
    and leaders (one query). With `search`, a workshop union whose own name does not hold
    it shows only the groups whose names do."""
    branches = {w.pk: WorkshopBranch(w) for w in workshops}
    groups = groups_with_counts(user=user).filter(is_active=True, workshop_id__in=list(branches))
    for group in groups:
        branch = branches[group.workshop_id]
        if search and not (_holds(branch.workshop.name, search) or _holds(group.name, search)):
            continue
        branch.add(group)
    return list(branches.values())


def workshop_detail(*, user, pk: int):
    workshop = scoped_object_or_404(WorkshopUnion.objects.all(), user, VIEW, pk=pk)
    groups = list(groups_with_counts(user=user).filter(workshop=workshop))
    return workshop, groups


@dataclass
class GroupPage:
    group: UnionGroup
    members: list[Member] | None  # None: the user may not see members (an evaluator)
    posts: list[GroupPost]
    memberships: list[GroupMembership] | None
    member_count: int


def group_detail(*, user, pk: int) -> GroupPage:
    group = scoped_object_or_404(
        UnionGroup.objects.select_related("workshop").annotate(member_count=ACTIVE_MEMBERS),
        user,
        VIEW,
        pk=pk,
    )
    # The members of this group, not just members somewhere (a user may hold several roles).
    can_see_members = allows(user, VIEW, Member(group=group))
    members = None
    memberships = None
    posts = []
    if can_see_members:
        members = list(
            Member.objects.restrict(user, VIEW)
            .filter(group=group, status=MemberStatus.ACTIVE)
            .order_by("employee_no")
        )
        # Who joined or left the group in the last year, newest first.
        since = timezone.localdate() - timedelta(days=365)
        memberships = list(
            GroupMembership.objects.filter(group=group)
            .filter(Q(started_on__gte=since) | Q(ended_on__gte=since))
            .select_related("member")
            .order_by("-started_on", "-pk")[:20]
        )
        posts = list(group.posts.select_related("member"))
    post_order = {p.value: i for i, p in enumerate(Post)}
    posts.sort(key=lambda p: post_order[p.post])
    return GroupPage(group, members, posts, memberships, group.member_count)


def member_detail(*, user, pk: int) -> Member:
    return scoped_object_or_404(
        Member.objects.select_related(
            "group__workshop",
            "ethnicity",
            "political_status",
            "education",
            "employment_type",
            "skill_grade",
            "model_worker_level",
            "user",  # the member's login: its state decides the page's login buttons
        ).prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.select_related("group__workshop", "recorded_by"),
            ),
            Prefetch("posts", queryset=GroupPost.objects.select_related("group")),
        ),
        user,
        VIEW,
        pk=pk,
    )


def member_list(*, user, params=None) -> MemberFilter:
    """The members the user can see, narrowed by the list's filters (its `.qs`), ready
    for the list and the export."""
    return MemberFilter(
        params,
        queryset=Member.objects.restrict(user, VIEW).select_related("group__workshop"),
        user=user,
    )
