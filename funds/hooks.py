"""What the funds app offers the other apps' pages (see unionhome.extensions)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE, VIEW, allows

from .models import SHEET, BankAccount, FundBudget, PaymentBatch, PaymentLine

__all__ = ["member_links", "navigation", "todo_items"]


def navigation(user):
    if not PaymentBatch.objects.may(user, VIEW):
        return []
    # HQ welfare staff start from the funds of the year; a workshop union from its batches.
    if FundBudget.objects.may(user, VIEW):
        return [(_("Funds and payments"), "funds:overview")]
    return [(_("Funds and payments"), "funds:batch_list")]


def todo_items(user):
    """Open batches with lines that wait for this user to close them: HQ welfare staff
    every one, a workshop union its own cash batches (the signed sheet to upload)."""
    if not PaymentBatch.objects.may(user, SHEET):
        return []
    batches = PaymentBatch.objects.open().filter(
        Exists(PaymentLine.objects.filter(batch=OuterRef("pk")))
    )
    if PaymentBatch.objects.may(user, CHANGE):
        waiting = batches.restrict(user, CHANGE)
    else:
        waiting = batches.restrict(user, SHEET).filter(method="cash")
    count = waiting.count()
    if not count:
        return []
    return [(_("Payment batches to close"), count, reverse("funds:batch_list") + "?status=open")]


def member_links(user, member):
    if not allows(user, CHANGE, BankAccount(member=member)):
        return []
    return [(_("Bank account"), reverse("funds:account", args=[member.pk]))]
