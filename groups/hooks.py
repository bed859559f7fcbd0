"""What the organisation app offers the other apps' pages (see unionhome.extensions)."""

from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW

from .models import Member, WorkshopUnion


def navigation(user):
    items = []
    if WorkshopUnion.objects.may(user, VIEW):
        items.append((_("Organisation"), "groups:org_tree"))
    if Member.objects.may(user, VIEW):
        items.append((_("Members"), "groups:member_list"))
    return items
