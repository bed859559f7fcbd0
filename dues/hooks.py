"""What the dues app offers the other apps' pages (see unionhome.extensions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW

from .models import DuesCharge


def navigation(user):
    if DuesCharge.objects.may(user, VIEW):
        return [(_("Dues"), "dues:ledger")]
    return []


def member_links(user, member):
    """The member's dues (months, amounts, arrears) for those who read their group's ledger."""
    if DuesCharge.objects.allows(user, VIEW, DuesCharge(member=member, group=member.group)):
        return [(_("Dues"), reverse("dues:member", args=[member.pk]))]
    return []
