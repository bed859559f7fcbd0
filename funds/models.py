"""The welfare funds: what each fund source has for a year (budget and income), and the
payment batches through which its money leaves, one line per payee.

A line belongs to exactly one batch; a batch is paid out either by a bank batch transfer
(the bank's workbook) or in cash against a signed 签领表, and is closed with the
transfer's reference or the signed sheet's scan. Bank accounts are welfare details: only
HQ welfare staff and the member's workshop union see them, masked except in the bank's
workbook.
"""

import uuid
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from accounts.scoping import CHANGE, HISTORY, VIEW, Reach, ScopedQuerySet
from groups.models import Member, WorkshopUnion

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]

# Printing a batch's 签领表 and uploading its signed scan (which closes a cash batch).
SHEET = "sheet"
# Reading and changing members' bank accounts.
DETAILS = "details"

HQ = {Role.HQ: Reach.ALL}
HQ_AND_WORKSHOP = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}


class FundsQuerySet(ScopedQuerySet):
    """Funds rows are welfare money: at HQ only the welfare staff (User.handles_welfare)
    reach them, whatever the action; a workshop union reaches its own part where the
    policy says so; group leaders, evaluators and members nothing."""

    group_lookup = None
    workshop_lookup = None
    role_flags = {Role.HQ: "handles_welfare"}
    flagged_actions = frozenset({VIEW, CHANGE, SHEET, DETAILS, HISTORY})
    policy = {VIEW: HQ, CHANGE: HQ}


class Fund(models.Model):
    """A fund source the welfare money comes from (上级补助, 本级经费 …): data HQ keeps."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class FundBudget(models.Model):
    """What a fund may spend in a year (its budget), set by HQ."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveIntegerField(_("year"))
    amount = models.DecimalField(_("budget (yuan)"), **MONEY, validators=NOT_NEGATIVE)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FundsQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund budget")
        verbose_name_plural = _("fund budgets")
        ordering = ["-year", "fund__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="fund_budget_once_a_year"),
            models.CheckConstraint(name="fund_budget_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self):
        return f"{self.fund} {self.year}"

    @property
    def scope_ids(self):
        return None, None


class FundIncome(models.Model):
    """Money received into a fund during the year (a grant from the higher union, a
    donation campaign's takings), on top of its budget."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveIntegerField(_("year"))
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY, validators=POSITIVE)
    source = models.CharField(_("source of the money"), max_length=100)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = FundsQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund income")
        verbose_name_plural = _("fund incomes")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="fund_income_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return f"{self.fund} {self.received_on} {self.amount}"

    @property
    def scope_ids(self):
        return None, None


class Method(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    CASH = "cash", _("Cash against signatures")


class BatchStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("batch", "Open")
    CLOSED = "closed", pgettext_lazy("batch", "Paid and closed")


class LineKind(models.TextChoices):
    CASE = "case", _("Welfare case")
    CAMPAIGN = "campaign", _("Campaign")
    DONATION = "donation", _("Donation")


class BatchQuerySet(FundsQuerySet):
    """HQ welfare staff handle every batch; a workshop union sees its own batches (a
    campaign's batch for its members), prints their 签领表 and uploads the signed scan."""

    workshop_lookup = "workshop"
    policy = {VIEW: HQ_AND_WORKSHOP, SHEET: HQ_AND_WORKSHOP, CHANGE: HQ}

    def open(self):
        return self.filter(status=BatchStatus.OPEN)


def sheet_path(instance, filename):
    return f"funds/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class PaymentBatch(models.Model):
    """One payment run from one fund: a bank batch transfer or cash against a 签领表."""

    number = models.CharField(_("batch no."), max_length=20, unique=True)
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="batches"
    )
    year = models.PositiveIntegerField(_("year"))
    method = models.CharField(_("payment method"), max_length=10, choices=Method.choices)
    title = models.CharField(_("title"), max_length=100)
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For one workshop union's batch, which that union hands out."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_on = models.DateField(_("paid on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    signed_sheet = models.FileField(upload_to=sheet_path, max_length=200, blank=True)
    signed_sheet_name = models.CharField(_("file name"), max_length=200, blank=True)
    signed_sheet_mime = models.CharField(max_length=120, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["fund", "year"], name="batch_fund_year")]
        constraints = [
            models.CheckConstraint(
                name="batch_closed_has_date",
                condition=Q(status="open") | Q(closed_on__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def scope_ids(self):
        return self.workshop_id, None

    @property
    def is_open(self) -> bool:
        return self.status == BatchStatus.OPEN

    @property
    def is_bank(self) -> bool:
        return self.method == Method.BANK

    @property
    def log_target(self) -> str:
        return self.number


class LineQuerySet(FundsQuerySet):
    workshop_lookup = "batch__workshop"
    policy = {VIEW: HQ_AND_WORKSHOP, SHEET: HQ_AND_WORKSHOP, CHANGE: HQ}


class PaymentLine(models.Model):
    """One payee's money in one batch: a case's approved amount, a campaign's standard."""

    batch = models.ForeignKey(
        PaymentBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="lines"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="payment_lines"
    )
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    group_name = models.CharField(_("union group"), max_length=60, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY, validators=POSITIVE)
    kind = models.CharField(_("kind"), max_length=10, choices=LineKind.choices)
    category = models.CharField(_("item"), max_length=60)
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    account_name = models.CharField(_("account holder"), max_length=50, blank=True)
    account_no = models.CharField(_("account no."), max_length=40, blank=True)
    bank = models.CharField(_("bank"), max_length=60, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = LineQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(name="line_amount_positive", condition=Q(amount__gt=0)),
            # One case's (one campaign's) money for a member is in one line of one batch.
            models.UniqueConstraint(
                fields=["kind", "reference", "member"],
                condition=~Q(reference=""),
                name="line_paid_once",
            ),
        ]

    def __str__(self):
        return f"{self.batch_id} {self.member_id} {self.amount}"

    @property
    def scope_ids(self):
        return self.batch.workshop_id, None


class PaidQuerySet(FundsQuerySet):
    """Money paid to members, counted for the workshop union of the member when paid (the
    annual figures): HQ welfare staff all of it, a workshop union its own members'."""

    workshop_lookup = "workshop"
    policy = {VIEW: HQ_AND_WORKSHOP}

    def paid_between(self, start, end):
        return self.filter(
            batch__status=BatchStatus.CLOSED, batch__closed_on__gte=start, batch__closed_on__lte=end
        )


class PaidLine(PaymentLine):
    """A payment line read as money a workshop union's member received (a line's own
    scope is its batch's: the 签领表 a workshop union holds)."""

    objects = PaidQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")

    @property
    def scope_ids(self):
        return self.workshop_id, None


class LayoutField(models.TextChoices):
    SEQUENCE = "sequence", _("No.")
    ACCOUNT_NAME = "account_name", _("Account holder")
    ACCOUNT_NO = "account_no", _("Account no.")
    AMOUNT = "amount", _("Amount")
    BANK = "bank", _("Bank")
    REMARK = "remark", _("Remark (batch title and item)")
    MEMBER_NAME = "member_name", _("Member's name")
    EMPLOYEE_NO = "employee_no", _("Employee no.")
    WORKSHOP = "workshop", _("Workshop union")


class BankLayout(models.Model):
    """How the bank wants its batch-transfer workbook: which columns, in which order, under
    which headings (data HQ keeps in the admin site when the bank changes its template)."""

    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60, unique=True)
    sheet_title = models.CharField(_("sheet title"), max_length=31, default="批量代发")
    is_default = models.BooleanField(
        _("in use"), default=True, help_text=_("The layout the workbooks are written in.")
    )

    class Meta:
        verbose_name = _("bank workbook layout")
        verbose_name_plural = _("bank workbook layouts")
        ordering = ["-is_default", "pk"]

    def __str__(self):
        return self.name


class BankLayoutColumn(models.Model):
    layout = models.ForeignKey(BankLayout, on_delete=models.CASCADE, related_name="columns")
    field = models.CharField(_("content"), max_length=20, choices=LayoutField.choices)
    header = models.CharField(_("heading"), max_length=30)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("workbook column")
        verbose_name_plural = _("workbook columns")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.header


class AccountQuerySet(FundsQuerySet):
    """A member's bank account is a welfare detail: HQ welfare staff and the member's
    workshop union."""

    group_lookup = "member__group"
    workshop_lookup = "member__group__workshop"
    policy = {VIEW: HQ_AND_WORKSHOP, CHANGE: HQ_AND_WORKSHOP}


validate_account_no = RegexValidator(r"^[0-9]{8,30}$", _("An account number is 8 to 30 digits."))


class BankAccount(models.Model):
    """The account a member's welfare money is transferred to."""

    member = models.OneToOneField(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="bank_account"
    )
    account_name = models.CharField(_("account holder"), max_length=50)
    account_no = models.CharField(_("account no."), max_length=30, validators=[validate_account_no])
    bank = models.CharField(_("bank"), max_length=60)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self):
        return f"{self.account_name} {self.masked_no}"

    @property
    def scope_ids(self):
        return self.member.group.workshop_id, self.member.group_id

    @property
    def masked_no(self) -> str:
        return mask_account(self.account_no)

    @property
    def log_target(self) -> str:
        """How the access log names this account: never by its whole number."""
        return f"{_('bank account')} {self.masked_no}"


def mask_account(number: str) -> str:
    """An account number as pages show it: only its last four digits."""
    return f"**** {number[-4:]}" if number else ""
