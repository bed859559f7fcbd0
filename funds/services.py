"""Changing the funds: budgets and income, payment batches and their lines.

A fund's money for a year is its budget plus its income; every line of a batch of that
fund and year, open or closed, is spent from it. A line that would take more than is left
is refused with the balance shown; the fund's budget row for the year is locked while the
check and the line are written, so two people adding lines at once cannot both take the
last yuan.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, require_allowed
from unionhome import uploads
from unionhome.templatetags.unionhome import yuan

from . import signals
from .models import (
    SHEET,
    BankAccount,
    BatchStatus,
    Fund,
    FundBudget,
    FundIncome,
    LineKind,
    Method,
    PaymentBatch,
    PaymentLine,
)
from .money import money
from .selectors import fund_balance


class ConcurrentChange(ValidationError):
    """Somebody else changed the batch since the page was loaded."""


def _today() -> date:
    return timezone.localdate()


# Budgets and income ---------------------------------------------------------------------


def _locked_budget(fund: Fund, year: int) -> FundBudget:
    """The fund's budget row for the year, locked until the transaction ends (created at
    zero when HQ has set none yet, so that there is always a row to lock)."""
    try:
        with transaction.atomic():
            FundBudget.objects.get_or_create(fund=fund, year=year, defaults={"amount": 0})
    except IntegrityError:  # created by somebody else at the same moment
        pass
    return FundBudget.objects.select_for_update().get(fund=fund, year=year)


def check_budget(*, fund: Fund, year: int, amount) -> None:
    """A budget may not be set below what the year's batches of the fund already hold,
    less the year's income."""
    balance = fund_balance(fund=fund, year=year)
    spent = balance.committed + balance.paid
    if money(amount) + balance.income < spent:
        raise ValidationError(
            {
                "amount": _(
                    "The batches of %(fund)s in %(year)s already hold %(spent)s; with the "
                    "income of %(income)s the budget must be at least %(least)s."
                )
                % {
                    "fund": fund.name,
                    "year": year,
                    "spent": yuan(spent),
                    "income": yuan(balance.income),
                    "least": yuan(max(spent - balance.income, Decimal(0))),
                }
            }
        )


@transaction.atomic
def budget_set(*, by, fund: Fund, year: int, amount, note: str = "") -> FundBudget:
    """Set what a fund may spend in a year. A budget below what its batches already hold
    is refused with the figures."""
    budget = FundBudget(fund=fund, year=year)
    require_allowed(by, CHANGE, budget)
    amount = money(amount)
    budget = _locked_budget(fund, year)
    check_budget(fund=fund, year=year, amount=amount)
    budget.amount = amount
    budget.note = note.strip()
    budget.full_clean()
    budget.save()
    return budget


@transaction.atomic
def record_income(
    *, by, fund: Fund, year: int, received_on: date, amount, source: str, reference: str = ""
) -> FundIncome:
    """Record money received into a fund in a year (a grant, a donation campaign)."""
    income = FundIncome(
        fund=fund,
        year=year,
        received_on=received_on,
        amount=money(amount),
        source=source.strip(),
        reference=reference.strip(),
        by=by,
    )
    require_allowed(by, CHANGE, income)
    if received_on and received_on > _today():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    if received_on and received_on.year != year:
        raise ValidationError(
            {"received_on": _("Income of %(year)s is received in %(year)s.") % {"year": year}}
        )
    income.full_clean()
    income.save()
    return income


# Batches ----------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"FF{year}-"
    last = PaymentBatch.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


@transaction.atomic
def batch_open(
    *, by, fund: Fund, method: str, title: str, workshop=None, year: int | None = None
) -> PaymentBatch:
    """Open a payment batch of one fund for a year (this year unless told)."""
    year = year or _today().year
    batch = PaymentBatch(
        fund=fund,
        year=year,
        method=method,
        title=title.strip(),
        workshop=workshop,
        created_by=by,
    )
    require_allowed(by, CHANGE, batch)
    if not fund.is_active:
        raise ValidationError({"fund": _("%(fund)s is no longer in use.") % {"fund": fund.name}})
    # Numbers are given one at a time: the fund's row serialises openings of its batches,
    # and the unique number catches two funds opening at the same instant.
    Fund.objects.select_for_update().filter(pk=fund.pk).first()
    batch.number = _next_number(year)
    batch.full_clean()
    batch.save()
    return batch


def _locked_batch(batch: PaymentBatch, version: int | None = None) -> PaymentBatch:
    batch = (
        PaymentBatch.objects.select_for_update(of=("self",))
        .select_related("fund", "workshop")
        .get(pk=batch.pk)
    )
    if version is not None and batch.version != version:
        raise ConcurrentChange(
            _("Somebody changed this batch while you were working on it; look at it again.")
        )
    if not batch.is_open:
        raise ValidationError(
            _("Batch %(number)s is closed; its lines cannot change.") % {"number": batch.number}
        )
    return batch


@transaction.atomic
def batch_add_line(
    *, by, batch: PaymentBatch, member, amount, kind: str, category: str, reference: str
) -> PaymentLine:
    """Put one payee's money into an open batch. Refused when the fund's money left for
    the batch's year (budget + income − every line of its batches of the year) is less
    than the amount; the member's bank account, if any, is copied into the line."""
    require_allowed(by, CHANGE, batch)
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if kind not in LineKind.values:
        raise ValidationError({"kind": _("Unknown kind of payment.")})
    # The budget row first, then the batch: every writer of this fund and year takes
    # the locks in that order.
    fund = batch.fund
    _locked_budget(fund, batch.year)
    batch = _locked_batch(batch)
    reference = reference.strip()
    if reference:
        taken = (
            PaymentLine.objects.filter(kind=kind, reference=reference, member=member)
            .select_related("batch")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                _("%(member)s's %(reference)s is already in batch %(number)s.")
                % {"member": member.name, "reference": reference, "number": taken.batch.number}
            )
    balance = fund_balance(fund=fund, year=batch.year)
    if amount > balance.available:
        raise ValidationError(
            {
                "amount": _(
                    "%(fund)s has a balance of %(available)s for %(year)s, not enough to pay "
                    "%(amount)s."
                )
                % {
                    "fund": fund.name,
                    "year": batch.year,
                    "available": yuan(balance.available),
                    "amount": yuan(amount),
                }
            }
        )
    member_group = member.group
    # A workshop union's batch is handed out by that union: its 签领表 holds its members.
    if batch.workshop_id and member_group.workshop_id != batch.workshop_id:
        raise ValidationError(
            _("%(member)s is not a member of %(workshop)s, whose batch this is.")
            % {"member": member.name, "workshop": batch.workshop.name}
        )
    account = BankAccount.objects.filter(member=member).first()
    line = PaymentLine(
        batch=batch,
        member=member,
        workshop_id=member_group.workshop_id,
        group_name=member_group.name,
        amount=amount,
        kind=kind,
        category=category.strip()[:60],
        reference=reference,
        account_name=account.account_name if account else "",
        account_no=account.account_no if account else "",
        bank=account.bank if account else "",
        added_by=by,
    )
    line.full_clean(exclude=["batch", "member", "workshop"])
    line.save()
    batch.version += 1
    batch.save(update_fields=["version"])
    return line


@transaction.atomic
def batch_remove_line(*, by, line: PaymentLine) -> None:
    """Take a line out of an open batch (its money goes back to the fund)."""
    line = PaymentLine.objects.select_related("batch").get(pk=line.pk)
    require_allowed(by, CHANGE, line.batch)
    batch = _locked_batch(line.batch)
    signals.line_removed.send(sender=PaymentLine, line=line, by=by)
    line.delete()
    batch.version += 1
    batch.save(update_fields=["version"])


def _check_paid_on(batch: PaymentBatch, paid_on: date | None) -> None:
    if paid_on is None:
        raise ValidationError({"paid_on": _("Enter the date the money was paid.")})
    if paid_on > _today():
        raise ValidationError({"paid_on": _("The date cannot be in the future.")})
    if paid_on < timezone.localtime(batch.created_at).date():
        raise ValidationError({"paid_on": _("The batch was opened after that date.")})
    # The batch is charged to its year's budget: its money leaves in that year, so that
    # the statement, the fund's balance and the paid cases count it in the same year.
    if paid_on.year != batch.year:
        raise ValidationError(
            {
                "paid_on": _(
                    "This batch is charged to %(year)s; it is paid on a date in %(year)s "
                    "(put next year's payments into a batch of next year)."
                )
                % {"year": batch.year}
            }
        )


def _close(batch: PaymentBatch, by, paid_on: date) -> PaymentBatch:
    lines = list(batch.lines.select_related("member", "workshop").order_by("pk"))
    if not lines:
        raise ValidationError(_("The batch has no lines to pay."))
    batch.status = BatchStatus.CLOSED
    batch.closed_on = paid_on
    batch.closed_by = by
    batch.version += 1
    batch.save()
    signals.lines_paid.send(sender=PaymentBatch, batch=batch, lines=lines, paid_on=paid_on, by=by)
    return batch


@transaction.atomic
def batch_close_by_transfer(
    *, by, batch: PaymentBatch, version: int, paid_on: date, bank_reference: str
) -> PaymentBatch:
    """Close a bank batch once the bank has made the transfer, with its reference."""
    require_allowed(by, CHANGE, batch)
    batch = _locked_batch(batch, version)
    if batch.method != Method.BANK:
        raise ValidationError(_("A cash batch is closed by uploading its signed sheet."))
    bank_reference = (bank_reference or "").strip()
    if not bank_reference:
        raise ValidationError({"bank_reference": _("Enter the bank's reference of the transfer.")})
    _check_paid_on(batch, paid_on)
    batch.bank_reference = bank_reference[:60]
    return _close(batch, by, paid_on)


@transaction.atomic
def batch_close_by_signed_sheet(
    *, by, batch: PaymentBatch, version: int, paid_on: date, uploaded
) -> PaymentBatch:
    """Close a cash batch with the scan of its 签领表 signed by every payee."""
    require_allowed(by, SHEET, batch)
    batch = _locked_batch(batch, version)
    if batch.method != Method.CASH:
        raise ValidationError(_("A bank batch is closed with the bank's transfer reference."))
    _check_paid_on(batch, paid_on)
    if uploaded is None:
        raise ValidationError({"uploaded": _("Upload the scan of the signed sheet.")})
    try:
        file_type = uploads.validate_upload(uploaded)
    except ValidationError as error:
        raise ValidationError({"uploaded": error.messages}) from error
    batch.signed_sheet.save(f"sheet.{file_type.extension}", uploaded, save=False)
    batch.signed_sheet_name = (uploaded.name or "")[:200]
    batch.signed_sheet_mime = file_type.mime
    return _close(batch, by, paid_on)


# Bank accounts ----------------------------------------------------------------------------


@transaction.atomic
def account_save(
    *, by, member, account_name: str, account_no: str, bank: str, address: str | None = None
) -> BankAccount:
    """Enter or correct the account a member's welfare money is transferred to. Lines of
    open batches take the new account; paid lines keep the one they were paid to."""
    account = BankAccount.objects.filter(member=member).first() or BankAccount(member=member)
    require_allowed(by, CHANGE, account)
    account.account_name = account_name.strip()
    account.account_no = "".join(account_no.split())
    account.bank = bank.strip()
    account.updated_by = by
    account.full_clean(exclude=["member"])
    created = account.pk is None
    account.save()
    signals.details_accessed.send(
        sender=BankAccount,
        user=by,
        action="create" if created else "change",
        record=account,
        summary=_("bank account"),
        address=address,
    )
    PaymentLine.objects.filter(member=member, batch__status=BatchStatus.OPEN).update(
        account_name=account.account_name, account_no=account.account_no, bank=account.bank
    )
    return account
