"""The one place that decides what a user may see and change.

Every model whose rows belong to part of the organisation uses a ScopedQuerySet and
states a policy: for each action, how far each role reaches. Lists, detail pages,
exports and form fields all go through `Model.objects.restrict(user, action)`; a view
never filters by hand. `allows(user, action, obj)` answers the same question for one
loaded object without a query (for showing or hiding a button).
"""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from .models import Role


class Reach(Enum):
    NONE = "none"
    GROUP = "group"  # rows of the user's own union group
    WORKSHOP = "workshop"  # rows of the user's own workshop union
    ALL = "all"


VIEW = "view"
CHANGE = "change"

# The reach most organisation data uses: HQ everything, a workshop its own, a leader their group.
OWN_PART = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP, Role.GROUP_LEADER: Reach.GROUP}


def reach_of(user, policy: dict[str, dict[str, Reach]], action: str) -> Reach:
    if user is None or not user.is_authenticated or not user.is_active:
        return Reach.NONE
    if user.is_superuser:
        return Reach.ALL
    reach = policy.get(action, {}).get(user.role, Reach.NONE)
    # A scoped role without its stored scope reaches nothing rather than everything.
    if reach is Reach.WORKSHOP and not user.workshop_id:
        return Reach.NONE
    if reach is Reach.GROUP and not user.group_id:
        return Reach.NONE
    return reach


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its rows hang off the organisation.

    Subclasses set `group_lookup` and `workshop_lookup` (paths from the model to the union
    group and workshop union ids) and `policy` (action -> role -> Reach).
    """

    group_lookup = "group"
    workshop_lookup = "group__workshop"
    policy: dict[str, dict[str, Reach]] = {VIEW: OWN_PART, CHANGE: OWN_PART}

    def reach(self, user, action: str = VIEW) -> Reach:
        return reach_of(user, self.policy, action)

    def restrict(self, user, action: str = VIEW):
        reach = self.reach(user, action)
        if reach is Reach.ALL:
            return self.all()
        if reach is Reach.WORKSHOP:
            return self.filter(**{self.workshop_lookup: user.workshop_id})
        if reach is Reach.GROUP:
            return self.filter(**{self.group_lookup: user.group_id})
        return self.none()


def allows(user, action: str, obj) -> bool:
    """Whether `user` may take `action` on one loaded object, by the object's model policy.

    The object provides `scope_ids` -> (workshop_id, group_id); for a workshop union the
    group id is None and a group leader reaches it when it is their group's workshop.
    """
    queryset = type(obj)._default_manager.get_queryset()
    reach = queryset.reach(user, action)
    if reach is Reach.ALL:
        return True
    workshop_id, group_id = obj.scope_ids
    if reach is Reach.WORKSHOP:
        return workshop_id == user.workshop_id
    if reach is Reach.GROUP:
        if group_id is None:
            return user.group is not None and user.group.workshop_id == workshop_id
        return group_id == user.group_id
    return False


def scoped_object_or_404(queryset, user, action: str = VIEW, **lookup):
    """The object the user asked for, within their reach.

    A role that may never take the action gets 403; an object outside the user's part of
    the organisation gets 404, so that its existence is not given away.
    """
    if queryset.reach(user, action) is Reach.NONE:
        raise PermissionDenied
    return get_object_or_404(queryset.restrict(user, action), **lookup)


def require_reach(queryset, user, action: str = VIEW) -> None:
    """403 for a page the user's role may not open at all (a list, a create form)."""
    if queryset.reach(user, action) is Reach.NONE:
        raise PermissionDenied
