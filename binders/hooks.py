"""What the binders offer the other apps' pages (see unionhome.extensions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows
from groups.models import UnionGroup

__all__ = ["group_links", "navigation"]


def navigation(user):
    if UnionGroup.objects.may(user, VIEW):
        return [(_("Records binders"), "binders:index")]
    return []


def group_links(user, group):
    if not allows(user, VIEW, group):
        return []
    return [(_("Records binder"), reverse("binders:index") + f"?group={group.pk}")]
