from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role, User

# The auth group every HQ user belongs to; it carries the admin-site permissions that
# the apps declare in their AppConfig as `hq_permissions` ("app_label.codename").
HQ_GROUP_NAME = "工会干事"


def hq_group_sync_permissions(*, using: str = "default") -> Group:
    """Give the HQ group exactly the admin-site permissions the apps declare for HQ."""
    wanted = set()
    for config in django_apps.get_app_configs():
        wanted.update(getattr(config, "hq_permissions", ()))
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


def user_sync_access(*, user: User) -> None:
    """HQ staff work in the admin site too (criteria, areas, types); nobody else does."""
    hq_group = Group.objects.filter(name=HQ_GROUP_NAME).first() or hq_group_sync_permissions()
    is_hq = user.role == Role.HQ
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
    email: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        name=name,
        role=role,
        workshop=workshop,
        group=group,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user_sync_access(user=user)
    return user
