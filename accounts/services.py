from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from unionhome.extensions import feature_configs

from .models import Role, RoleAssignment, User
from .scoping import grants_changed

# The auth group every HQ user belongs to; it carries the admin-site permissions that
# the apps declare in their AppConfig as `hq_permissions` ("app_label.codename").
HQ_GROUP_NAME = "工会干事"


def hq_group_sync_permissions(*, using: str = "default") -> Group:
    """Give the HQ group exactly the admin-site permissions the apps declare for HQ."""
    wanted = set()
    for config in feature_configs():
        wanted.update(config.hq_permissions)
    group, _ = Group.objects.using(using).get_or_create(name=HQ_GROUP_NAME)
    perms = []
    for dotted in sorted(wanted):
        app_label, codename = dotted.split(".", 1)
        perm = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if perm is not None:
            perms.append(perm)
    group.permissions.set(perms)
    return group


def users_of_workshops(workshop_ids=None):
    """Active logins of union HQ and of the workshop unions `workshop_ids` (their office,
    their groups' leaders); of every workshop union when None. The people another app lets
    a user name as answerable for a task (a rectification's owner login)."""
    place = Q(role_assignments__workshop__isnull=False) | Q(role_assignments__group__isnull=False)
    if workshop_ids is not None:
        place = Q(role_assignments__workshop__in=workshop_ids) | Q(
            role_assignments__group__workshop__in=workshop_ids
        )
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role_assignments__role=Role.HQ) | place)
        .distinct()
        .order_by("name", "pk")
    )


def user_sync_access(*, user: User) -> None:
    """HQ staff work in the admin site too (criteria, areas, types); nobody else does."""
    hq_group = Group.objects.filter(name=HQ_GROUP_NAME).first() or hq_group_sync_permissions()
    grants_changed()
    is_hq = user.holds(Role.HQ)
    wanted_staff = user.is_superuser or is_hq
    if user.is_staff != wanted_staff:
        user.is_staff = wanted_staff
        user.save(update_fields=["is_staff"])
    if is_hq:
        user.groups.add(hq_group)
    else:
        user.groups.remove(hq_group)


@transaction.atomic
def user_create(
    *,
    username: str,
    name: str,
    password: str,
    role: str = "",
    workshop=None,
    group=None,
    roles: tuple = (),
    email: str = "",
    is_superuser: bool = False,
    handles_welfare: bool = False,
) -> User:
    """A login with its roles: `role` (with its workshop union or group) for the usual one
    role, `roles` as (role, workshop, group) for more."""
    user = User(
        username=username,
        name=name,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
        handles_welfare=handles_welfare,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    wanted = ([(role, workshop, group)] if role else []) + list(roles)
    for each_role, each_workshop, each_group in wanted:
        role_assign(user=user, role=each_role, workshop=each_workshop, group=each_group)
    user_sync_access(user=user)
    return user


@transaction.atomic
def role_assign(*, user: User, role: str, workshop=None, group=None) -> RoleAssignment:
    """Give a user one more role, at its place in the organisation."""
    assignment = RoleAssignment(user=user, role=role, workshop=workshop, group=group)
    assignment.full_clean()
    assignment.save()
    user_sync_access(user=user)
    return assignment


@transaction.atomic
def role_remove(*, assignment: RoleAssignment) -> None:
    user = assignment.user
    assignment.delete()
    user_sync_access(user=user)
