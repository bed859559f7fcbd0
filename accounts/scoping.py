"""The one place that decides what a user may see and change.

Every model whose rows belong to part of the organisation uses a ScopedQuerySet and
states a policy: for each action, how far each role reaches. A user holds any number of
roles (accounts.models.RoleAssignment), each with its place in the organisation; what they
reach is the union of what their roles reach. Lists, detail pages, exports, file
downloads, form choices and services all go through `Model.objects.restrict(user,
action)`; `allows(user, action, obj)` answers the same question for one loaded object; a
view never filters by hand, and no code outside this app compares roles.

A member with an activated login holds the member role (granted by the `portal` app
through the `role_grants` hook, never assigned by hand). Its grant names the member's union
group, so `Reach.GROUP` gives a member their own group's rows (its activities and
calendar), and the member's own record, so `Reach.SELF` gives the rows about the member
themselves: their Member record, their own welfare cases. A queryset says how its rows
reach a member in `member_lookup` ("pk" for Member itself, "member" for a welfare case);
a model without one gives SELF nothing. A policy that names no member reach gives a member
nothing: the member role reaches only what a policy grants it by name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Role


class Reach(Enum):
    NONE = "none"
    GROUP = "group"  # rows of the union group the role names
    WORKSHOP = "workshop"  # rows of the workshop union the role names
    ALL = "all"
    # Rows the model's own rule gives the user: the assessment periods an evaluator is
    # assigned to, their own manual scores. The queryset says how (`rule_q`).
    ASSIGNED = "assigned"
    # Rows published to everybody holding the role (periods with published results).
    PUBLISHED = "published"
    # Rows about the member themselves (the member role): the queryset's `member_lookup`.
    SELF = "self"


VIEW = "view"
CHANGE = "change"
# Reading a record's change history (who changed what, before and after).
HISTORY = "history"

# The reach most organisation data uses: HQ everything, a workshop its own, a leader their group.
OWN_PART = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP, Role.GROUP_LEADER: Reach.GROUP}
# Who reads a group's structure and records (台账): its own part, evaluators everywhere (they
# assess every group), inspection panel members the groups assigned to their panel.
RECORDS_READERS = {**OWN_PART, Role.EVALUATOR: Reach.ALL, Role.INSPECTOR: Reach.GROUP}
HQ_ONLY = {Role.HQ: Reach.ALL}
# Actions every scoped model answers the same way unless its policy says otherwise.
COMMON_POLICY = {HISTORY: HQ_ONLY}
RULES = (Reach.ASSIGNED, Reach.PUBLISHED)


@dataclass(frozen=True)
class Grant:
    """One role a user holds now, with its place: (role, workshop union, union group)."""

    role: str
    workshop_id: int | None = None
    group_id: int | None = None
    group_workshop_id: int | None = None
    member_id: int | None = None  # the member role: the member's own record
    place: str = ""  # the workshop union or "workshop · group", for the page header

    @property
    def label(self) -> str:
        return self.place or str(Role(self.role).label)


_epoch = [0]


def grants_changed() -> None:
    """Somebody's roles changed in this process (an assignment, a panel's groups): users
    loaded earlier read theirs again. A web request loads its user afresh anyway."""
    _epoch[0] += 1


def grants_epoch() -> int:
    return _epoch[0]


def load_grants(user) -> tuple[Grant, ...]:
    """The user's stored roles (one query) and the roles other apps grant for what the
    user takes part in (an inspection panel: one query)."""
    from unionhome.extensions import role_grants

    from .models import RoleAssignment

    if user.pk is None:
        return ()
    grants = []
    for assignment in RoleAssignment.objects.filter(user=user).select_related(
        "workshop", "group__workshop"
    ):
        if assignment.group_id:
            group = assignment.group
            grants.append(
                Grant(
                    assignment.role,
                    group_id=group.pk,
                    group_workshop_id=group.workshop_id,
                    place=f"{group.workshop.name} · {group.name}",
                )
            )
        elif assignment.workshop_id:
            grants.append(
                Grant(
                    assignment.role,
                    workshop_id=assignment.workshop_id,
                    place=assignment.workshop.name,
                )
            )
        else:
            grants.append(Grant(assignment.role))
    grants.extend(role_grants(user))
    return tuple(grants)


@dataclass(frozen=True)
class Scope:
    """What one user reaches for one action on one model."""

    everything: bool = False
    workshop_ids: frozenset = frozenset()
    group_ids: frozenset = frozenset()
    group_workshop_ids: frozenset = frozenset()  # the workshop unions of `group_ids`
    rules: frozenset = frozenset()  # Reach.ASSIGNED / Reach.PUBLISHED
    member_ids: frozenset = frozenset()  # Reach.SELF: the members themselves

    def __bool__(self) -> bool:
        return self.everything or bool(
            self.workshop_ids or self.group_ids or self.rules or self.member_ids
        )

    @property
    def beyond_self(self) -> bool:
        """Whether the scope holds rows of anybody but the user themselves: a page listing
        people (the member list) opens only then."""
        return self.everything or bool(self.workshop_ids or self.group_ids or self.rules)

    @property
    def only_group_id(self) -> int | None:
        """The one union group the user reaches, when that is all they reach (a group
        leader's own group): pages open straight on it."""
        if (
            self.everything
            or self.workshop_ids
            or self.rules
            or self.member_ids
            or len(self.group_ids) != 1
        ):
            return None
        return next(iter(self.group_ids))


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its rows hang off the organisation.

    Subclasses set `group_lookup` and `workshop_lookup` (paths from the model to the union
    group and workshop union ids; `group_lookup = None` for a workshop union itself, which
    a group's role reaches as its group's workshop union), `member_lookup` where a member
    reaches rows about themselves (the path to groups.Member: "pk", "member") and `policy`
    (action -> role -> Reach). A model whose policy uses ASSIGNED or PUBLISHED says what
    they mean in `rule_q`; one that adds rows by a rule of its own (the filer of a welfare
    case sees its details) says so in `extra_q` and `extra_allows`.
    """

    group_lookup: str | None = "group"
    workshop_lookup: str | None = "group__workshop"
    member_lookup: str | None = None
    policy: dict[str, dict[str, Reach]] = {VIEW: OWN_PART, CHANGE: OWN_PART}
    # Roles that take `flagged_actions` only when the user also carries a flag: at HQ only
    # the welfare staff (User.handles_welfare) see and handle sensitive welfare records.
    role_flags: dict[str, str] = {}
    flagged_actions: frozenset = frozenset()

    # What a role reaches -------------------------------------------------------------

    def role_reach(self, user, role: str, action: str) -> Reach:
        flag = self.role_flags.get(role)
        if flag and action in self.flagged_actions and not getattr(user, flag):
            return Reach.NONE
        policy = self.policy.get(action)
        if policy is None:
            policy = COMMON_POLICY.get(action, {})
        return policy.get(role, Reach.NONE)

    def scope(self, user, action: str = VIEW) -> Scope:
        return self.scope_by(user, lambda role: self.role_reach(user, role, action))

    def scope_by(self, user, reach_of_role) -> Scope:
        """The union of what each of the user's roles reaches, `reach_of_role(role)`."""
        if not _active(user):
            return Scope()
        if user.is_superuser:
            return Scope(everything=True)
        workshops, groups, group_workshops, rules = set(), set(), set(), set()
        members = set()
        for grant in user.grants:
            reach = reach_of_role(grant.role)
            if reach is Reach.ALL:
                return Scope(everything=True)
            if reach is Reach.WORKSHOP:
                workshop = grant.workshop_id or grant.group_workshop_id
                if workshop:
                    workshops.add(workshop)
            elif reach is Reach.GROUP and grant.group_id:
                groups.add(grant.group_id)
                group_workshops.add(grant.group_workshop_id)
            elif reach is Reach.SELF and grant.member_id:
                members.add(grant.member_id)
            elif reach in RULES:
                rules.add(reach)
        return Scope(
            False,
            frozenset(workshops),
            frozenset(groups),
            frozenset(group_workshops),
            frozenset(rules),
            frozenset(members),
        )

    def may(self, user, action: str = VIEW, *, others: bool = False) -> bool:
        """Whether any of the user's roles may take the action on some rows: the gate
        between a page a role never opens (403) and a row out of reach (404). With
        `others`, rows of anybody but the user themselves (Reach.SELF aside): a member's
        login opens their own record, never a list of members."""
        scope = self.scope(user, action)
        return scope.beyond_self if others else bool(scope)

    # The rows -------------------------------------------------------------------------

    def rule_q(self, user, rule: Reach) -> Q:
        raise NotImplementedError(f"{self.model.__name__} does not say what {rule} reaches")

    def extra_q(self, user, action: str) -> Q | None:
        return None

    def extra_allows(self, user, action: str, obj) -> bool:
        return False

    def scope_q(self, user, action: str = VIEW) -> Q | None:
        """The rows the user reaches as a filter; None for every row."""
        q = self.q_for(user, self.scope(user, action))
        if q is not None and _active(user):
            extra = self.extra_q(user, action)
            if extra is not None:
                q |= extra
        return q

    def q_for(self, user, scope: Scope) -> Q | None:
        if scope.everything:
            return None
        q = Q(pk__in=[])
        if scope.workshop_ids and self.workshop_lookup:
            q |= Q(**{f"{self.workshop_lookup}__in": sorted(scope.workshop_ids)})
        if scope.group_ids:
            if self.group_lookup:
                q |= Q(**{f"{self.group_lookup}__in": sorted(scope.group_ids)})
            elif self.workshop_lookup:
                q |= Q(**{f"{self.workshop_lookup}__in": sorted(scope.group_workshop_ids)})
        if scope.member_ids and self.member_lookup:
            q |= Q(**{f"{self.member_lookup}__in": sorted(scope.member_ids)})
        for rule in sorted(scope.rules, key=lambda r: r.value):
            q |= self.rule_q(user, rule)
        return q

    def member_id_of(self, obj) -> int | None:
        """The member a loaded object is about, by `member_lookup`, without a query where
        the object holds the id ("member" reads `obj.member_id`)."""
        if self.member_lookup is None:
            return None
        *path, last = self.member_lookup.split("__")
        for step in path:
            obj = getattr(obj, step, None)
            if obj is None:
                return None
        if last == "pk":
            return obj.pk
        return getattr(obj, f"{last}_id", None)

    def restrict(self, user, action: str = VIEW):
        q = self.scope_q(user, action)
        return self.all() if q is None else self.filter(q)

    def groups_in_reach(self, user, action: str = VIEW):
        """The union groups in which the user may take `action` on this model's rows: a
        page about one group's rows of this model (its calendar, its care work) finds its
        group here, so that it opens exactly where the rows are in reach."""
        union_group = apps.get_model("groups", "UnionGroup")
        scope = self.scope(user, action)
        if scope.everything:
            return union_group.objects.all()
        q = Q(pk__in=[])
        if scope.workshop_ids:
            q |= Q(workshop__in=sorted(scope.workshop_ids))
        if scope.group_ids:
            q |= Q(pk__in=sorted(scope.group_ids))
        return union_group.objects.filter(q)

    def allows(self, user, action: str, obj) -> bool:
        """`restrict` for one loaded object, without a query where the place decides."""
        if self.scope_allows(user, self.scope(user, action), obj):
            return True
        return _active(user) and self.extra_allows(user, action, obj)

    def scope_allows(self, user, scope: Scope, obj) -> bool:
        if scope.everything:
            return True
        workshop_id, group_id = obj.scope_ids
        if workshop_id is not None and workshop_id in scope.workshop_ids:
            return True
        if group_id is None:
            if workshop_id in scope.group_workshop_ids:
                return True
        elif group_id in scope.group_ids:
            return True
        if scope.member_ids and self.member_id_of(obj) in scope.member_ids:
            return True
        return any(
            obj.pk is not None
            and self.model._default_manager.filter(self.rule_q(user, rule), pk=obj.pk).exists()
            for rule in scope.rules
        )


def allows(user, action: str, obj) -> bool:
    """Whether `user` may take `action` on one loaded (or unsaved) object, by its model's
    policy. The object provides `scope_ids` -> (workshop_id, group_id); a workshop-level
    object has no group id."""
    return type(obj)._default_manager.get_queryset().allows(user, action, obj)


def require_allowed(user, action: str, obj) -> None:
    """A service's check of the acting user (PermissionDenied if they may not). `user=None`
    is the system itself: a management command run by the operator."""
    if user is not None and not allows(user, action, obj):
        raise PermissionDenied


def scoped_object_or_404(queryset, user, action: str = VIEW, **lookup):
    """The object the user asked for, within their reach.

    A user none of whose roles may ever take the action gets 403; an object outside their
    part of the organisation gets 404, so that its existence is not given away.
    """
    if not queryset.may(user, action):
        raise PermissionDenied
    return get_object_or_404(queryset.restrict(user, action), **lookup)


def require_reach(queryset, user, action: str = VIEW, *, others: bool = False) -> None:
    """403 for a page none of the user's roles may open (a list, a create form); with
    `others`, a page about other people (the member list), which the rows of the user
    themselves (Reach.SELF) do not open."""
    if not queryset.may(user, action, others=others):
        raise PermissionDenied


def user_workshops(user) -> list[int]:
    """The workshop unions the user works in through a role with a place (their own, or
    their group's): where their daily reminders go. Being a member is not working there."""
    return sorted(
        {
            g.workshop_id or g.group_workshop_id
            for g in user.grants
            if (g.workshop_id or g.group_id) and g.role != Role.MEMBER
        }
    )


def scope_key(user) -> str:
    """Everything that decides what `user` reaches, as a short text for cache keys: two
    users with the same key see the same rows."""
    if not _active(user):
        return "anonymous"
    grants = ".".join(
        sorted(
            f"{g.role}-{g.workshop_id or 0}-{g.group_id or 0}-{g.member_id or 0}"
            for g in user.grants
        )
    )
    # A panel member may inspect hundreds of groups: a digest keeps the key short.
    digest = hashlib.sha256(grants.encode()).hexdigest()[:32]
    return f"u{user.pk}-{int(user.is_superuser)}{int(user.handles_welfare)}-{digest}"
