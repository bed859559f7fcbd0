"""会费: the dues rules (data), members' fixed amounts, base pay imported from payroll,
the monthly charge per member and the collections a workshop union records.

Months are the first day of the month, as the monthly reports keep them. Money is
`Decimal` yuan with two places.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Role
from accounts.scoping import CHANGE, OWN_PART, VIEW, Reach, ScopedQuerySet
from groups.models import Member, UnionGroup, WorkshopUnion
from unionhome.dates import month_label
from unionhome.validators import validate_not_in_future

CENT = Decimal("0.01")
MONEY = {"max_digits": 12, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]
# Reading base pay, and how a charge came from it (rate × base): a sensitive figure, for HQ
# and the member's workshop union only; a group leader sees the dues amount, not the pay.
PAY = "pay"
# 会费收缴率 and the finance office's workbook: HQ for everybody, a workshop union its own.
OVERSEE = "oversee"
WORKSHOP_AND_HQ = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}


def validate_first_of_month(value):
    if value is not None and value.day != 1:
        raise ValidationError(_("A month is given by its first day."))


class Rounding(models.TextChoices):
    """What the dues are rounded to, half up (四舍五入)."""

    FEN = "fen", _("to the fen (0.01 yuan)")
    JIAO = "jiao", _("to the jiao (0.10 yuan)")


ROUNDING_UNITS = {Rounding.FEN: Decimal("0.01"), Rounding.JIAO: Decimal("0.1")}


class DuesRuleQuerySet(models.QuerySet):
    def for_month(self, month):
        """The rule in force in `month`: the latest one starting on or before it."""
        return self.filter(starts_on__lte=month).order_by("-starts_on").first()


class DuesRule(models.Model):
    """会费标准: the rate HQ sets, from a month on. A new rate is a new rule from its first
    month, so that the months before keep the rule they were computed by; a rule already
    used by a computed month is not changed (the admin site shows it read-only)."""

    starts_on = models.DateField(
        _("applies from"),
        unique=True,
        validators=[validate_first_of_month],
        help_text=_("The first day of the first month the rule applies to."),
    )
    rate_percent = models.DecimalField(
        _("rate (per cent of base pay)"),
        max_digits=5,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("10"))],
        help_text=_("0.5 means half a per cent of the month's base pay."),
    )
    rounding = models.CharField(
        _("rounded to"), max_length=4, choices=Rounding.choices, default=Rounding.FEN
    )
    minimum = models.DecimalField(
        _("minimum a month (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("Dues below it are raised to it; empty for no minimum."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = DuesRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues rule")
        verbose_name_plural = _("dues rules")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(name="dues_rule_first_of_month", condition=Q(starts_on__day=1)),
            models.CheckConstraint(name="dues_rule_rate_positive", condition=Q(rate_percent__gt=0)),
        ]

    def __str__(self):
        return _("%(rate)s %% from %(month)s") % {
            "rate": self.rate_text,
            "month": month_label(self.starts_on),
        }

    @property
    def rate_text(self) -> str:
        return f"{self.rate_percent.normalize():f}"

    def dues_for(self, base: Decimal) -> Decimal:
        """base × rate, rounded half up to the rule's unit, at least the minimum."""
        unit = ROUNDING_UNITS[Rounding(self.rounding)]
        due = (base * self.rate_percent / 100).quantize(unit, rounding=ROUND_HALF_UP)
        if self.minimum is not None and due < self.minimum:
            due = Decimal(self.minimum)
        return due.quantize(CENT)


class MemberScopedQuerySet(ScopedQuerySet):
    group_lookup = "member__group"
    workshop_lookup = "member__group__workshop"


class FixedDuesQuerySet(MemberScopedQuerySet):
    # A group leader sees the amount (it is the dues, not the pay); the workshop union sets it.
    policy = {VIEW: OWN_PART, CHANGE: WORKSHOP_AND_HQ}

    def for_month(self, month):
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=month), starts_on__lte=month)


class FixedDues(models.Model):
    """定额会费: a member who pays a fixed amount instead of the rate (退休返聘, or those the
    union sets by rule), from a month, until a month or for good. 0 means exempt."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="fixed_dues"
    )
    amount = models.DecimalField(
        _("amount a month (yuan)"),
        **MONEY,
        validators=[*NOT_NEGATIVE, MaxValueValidator(Decimal("10000"))],
    )
    starts_on = models.DateField(_("from month"), validators=[validate_first_of_month])
    ends_on = models.DateField(
        _("until month"),
        null=True,
        blank=True,
        validators=[validate_first_of_month],
        help_text=_("The last month it applies to; empty while it holds."),
    )
    reason = models.CharField(_("reason"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = FixedDuesQuerySet.as_manager()

    class Meta:
        verbose_name = _("fixed dues")
        verbose_name_plural = _("fixed dues")
        ordering = ["member", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="fixed_dues_months",
                condition=Q(starts_on__day=1)
                & (Q(ends_on__isnull=True) | (Q(ends_on__day=1) & Q(ends_on__gte=F("starts_on")))),
                violation_error_message=_("The last month cannot come before the first."),
            ),
            models.CheckConstraint(name="fixed_dues_not_negative", condition=Q(amount__gte=0)),
            models.UniqueConstraint(fields=["member", "starts_on"], name="fixed_dues_one_start"),
        ]

    def __str__(self):
        return f"{self.member.name} · ¥{self.amount}"

    @property
    def scope_ids(self):
        return self.member.scope_ids

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last month cannot come before the first.")})
        if self.member_id and self.starts_on:
            others = FixedDues.objects.filter(member_id=self.member_id).exclude(pk=self.pk)
            overlap = others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on))
            if self.ends_on:
                overlap = overlap.filter(starts_on__lte=self.ends_on)
            if overlap.exists():
                raise ValidationError(
                    {"starts_on": _("The member has a fixed amount for some of these months.")}
                )


class BasePayQuerySet(MemberScopedQuerySet):
    policy = {VIEW: WORKSHOP_AND_HQ, CHANGE: WORKSHOP_AND_HQ}


class BasePay(models.Model):
    """缴费基数: a member's base pay for a month, as the payroll workbook gives it."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="base_pay"
    )
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    amount = models.DecimalField(
        _("base pay (yuan)"),
        **MONEY,
        validators=[*NOT_NEGATIVE, MaxValueValidator(Decimal("1000000"))],
    )
    source = models.CharField(_("file"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["imported_at"])
    objects = BasePayQuerySet.as_manager()

    class Meta:
        verbose_name = _("base pay")
        verbose_name_plural = _("base pay")
        ordering = ["-month", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="base_pay_one_per_month"),
            models.CheckConstraint(name="base_pay_first_of_month", condition=Q(month__day=1)),
        ]

    def __str__(self):
        return f"{self.member.name} · {month_label(self.month)}"

    @property
    def scope_ids(self):
        return self.member.scope_ids


class PaymentMethod(models.TextChoices):
    PAYROLL = "payroll", _("Payroll deduction (工资代扣)")
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")


class CollectionQuerySet(ScopedQuerySet):
    group_lookup = None
    workshop_lookup = "workshop"
    policy = {VIEW: WORKSHOP_AND_HQ, CHANGE: WORKSHOP_AND_HQ}


class DuesCollection(models.Model):
    """One recording of dues collected: a workshop union's month, the members marked paid
    at once (the whole workshop union but a few, or a payment workbook)."""

    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        related_name="dues_collections",
    )
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    paid_on = models.DateField(_("date paid"), validators=[validate_not_in_future])
    method = models.CharField(
        _("how"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.PAYROLL
    )
    charges = models.PositiveIntegerField(_("members"), default=0)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY, default=Decimal("0"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues collection")
        verbose_name_plural = _("dues collections")
        ordering = ["-month", "-recorded_at"]
        constraints = [
            models.CheckConstraint(name="collection_first_of_month", condition=Q(month__day=1)),
        ]

    def __str__(self):
        return f"{self.workshop} · {month_label(self.month)}"

    @property
    def scope_ids(self):
        return self.workshop_id, None


class Basis(models.TextChoices):
    RATE = "rate", _("Rate × base pay")
    FIXED = "fixed", _("Fixed amount")


class ChargeQuerySet(ScopedQuerySet):
    """A charge belongs to the group the member was in when it was computed: its workshop
    union collects it. A group leader reads their group's ledger (to remind those behind),
    without the pay it came from, and records nothing."""

    group_lookup = "group"
    workshop_lookup = "group__workshop"
    policy = {
        VIEW: OWN_PART,
        CHANGE: WORKSHOP_AND_HQ,
        PAY: WORKSHOP_AND_HQ,
        OVERSEE: WORKSHOP_AND_HQ,
    }

    def unpaid(self):
        return self.filter(paid__lt=F("due"))


class DuesCharge(models.Model):
    """One member's dues for one month: what is due and how it was computed, and what was
    paid, when and recorded by whom. A charge with anything paid is never recomputed."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_charges"
    )
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField(_("computed as"), max_length=5, choices=Basis.choices)
    base_pay = models.DecimalField(_("base pay (yuan)"), **MONEY, null=True, blank=True)
    rate_percent = models.DecimalField(
        _("rate (per cent of base pay)"), max_digits=5, decimal_places=3, null=True, blank=True
    )
    rule = models.ForeignKey(
        DuesRule,
        verbose_name=_("dues rule"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
    )
    fixed = models.ForeignKey(
        FixedDues,
        verbose_name=_("fixed dues"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due = models.DecimalField(_("due (yuan)"), **MONEY, validators=NOT_NEGATIVE)
    paid = models.DecimalField(
        _("paid (yuan)"), **MONEY, default=Decimal("0"), validators=NOT_NEGATIVE
    )
    paid_on = models.DateField(
        _("date paid"), null=True, blank=True, validators=[validate_not_in_future]
    )
    collection = models.ForeignKey(
        DuesCollection,
        verbose_name=_("dues collection"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="paid_charges",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["computed_at"])
    objects = ChargeQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues charge")
        verbose_name_plural = _("dues charges")
        ordering = ["-month", "group", "member"]
        indexes = [
            models.Index(fields=["month", "group"], name="dues_charge_month_group"),
            models.Index(fields=["member", "month"], name="dues_charge_member_month"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_charge_one_per_month"),
            models.CheckConstraint(name="dues_charge_first_of_month", condition=Q(month__day=1)),
            models.CheckConstraint(
                name="dues_charge_paid_within_due",
                condition=Q(paid__gte=0) & Q(paid__lte=F("due")),
                violation_error_message=_("More than is due cannot be paid."),
            ),
            models.CheckConstraint(
                name="dues_charge_paid_has_date",
                condition=Q(paid=0, paid_on__isnull=True) | Q(paid__gt=0, paid_on__isnull=False),
                violation_error_message=_("A payment needs the day it was paid."),
            ),
            models.CheckConstraint(
                name="dues_charge_basis_complete",
                condition=Q(basis=Basis.FIXED)
                | Q(basis=Basis.RATE, base_pay__isnull=False, rate_percent__isnull=False),
                violation_error_message=_("Dues by rate need the base pay and the rate."),
            ),
        ]

    def __str__(self):
        return f"{self.member.name} · {month_label(self.month)}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def rate_text(self) -> str:
        return f"{self.rate_percent.normalize():f}" if self.rate_percent is not None else ""

    @property
    def owed(self) -> Decimal:
        return self.due - self.paid

    @property
    def is_settled(self) -> bool:
        return self.paid >= self.due

    @property
    def status(self) -> str:
        if self.paid >= self.due:
            return "paid"
        return "partly" if self.paid > 0 else "unpaid"
