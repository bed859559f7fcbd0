"""What the campaigns app offers the other apps' pages (see unionhome.extensions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE, VIEW, allows

from . import selectors
from .models import (
    APPROVE,
    CONFIRM,
    MENU,
    VISIT,
    Campaign,
    CampaignEntry,
    CampaignWorkshop,
    DonationDrive,
)

__all__ = ["group_links", "navigation", "todo_items"]


def navigation(user):
    # HQ's welfare staff and the workshop unions run campaigns; a group leader opens them
    # from the to-do list and the campaign page for the visits, not from the menu.
    if Campaign.objects.may(user, CHANGE) or CampaignWorkshop.objects.may(user, CONFIRM):
        items = [(_("Campaigns"), "campaigns:list")]
    else:
        items = []
    # The donation drives' public accounts are for everybody in the organisation.
    if DonationDrive.objects.may(user, MENU):
        items.append((_("Donations"), "campaigns:drive_list"))
    return items


def group_links(user, group):
    """The group leader does the festival visits: the campaigns page lists their group's
    members on each campaign's list (name and amount only)."""
    entry = CampaignEntry(workshop_id=group.workshop_id, group=group)
    if allows(user, VISIT, entry) and Campaign.objects.may(user, VIEW):
        return [(_("Campaigns"), reverse("campaigns:list"))]
    return []


def todo_items(user):
    """A workshop union: its lists waiting for its confirmation; HQ: campaigns whose
    every workshop union has confirmed, ready for approval (one query each)."""
    found = []
    if CampaignWorkshop.objects.may(user, CONFIRM):
        waiting = selectors.waiting_for_confirmation(user).count()
        if waiting:
            found.append(
                (
                    _("Campaign lists to confirm"),
                    waiting,
                    reverse("campaigns:list") + "?waiting=confirm",
                )
            )
    if Campaign.objects.may(user, APPROVE):
        ready = selectors.ready_for_approval(user).count()
        if ready:
            found.append(
                (
                    _("Campaigns ready for approval"),
                    ready,
                    reverse("campaigns:list") + "?waiting=approve",
                )
            )
    return found
