import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Role
from accounts.scoping import CHANGE, HISTORY, HQ_ONLY, OWN_PART, VIEW, Reach, ScopedQuerySet
from groups.idnumbers import mask, validate_id_number
from groups.models import Member, UnionGroup
from unionhome.models import SingleRecord
from unionhome.validators import validate_not_in_future

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}

# Actions on welfare records beyond seeing that they exist.
DETAILS = "details"  # the sensitive details: reasons, illness, household, income, ID number
APPLY = "apply"
# The state of a case (its number, type, step and dates; never its reasons, amounts or
# notes): the member it is about follows their own applications with their login.
STATUS = "status"
# Correct an application before it is reviewed, and add papers to its file.
AMEND = "amend"
WORKSHOP_REVIEW = "workshop_review"
HQ_APPROVE = "hq_approve"
PAY = "pay"
EXPORT = "export"
ALL_ACTIONS = {
    VIEW,
    CHANGE,
    DETAILS,
    APPLY,
    AMEND,
    WORKSHOP_REVIEW,
    HQ_APPROVE,
    PAY,
    EXPORT,
    HISTORY,
}
HQ_AND_WORKSHOP = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}


class WelfareQuerySet(ScopedQuerySet):
    """Welfare rows hang off the member's current group. HQ staff without the welfare
    flag see that records exist, as a group leader does, but none of their details. The
    one who filed a case sees its details and papers (`filer_lookup`), within their reach."""

    group_lookup = "member__group"
    workshop_lookup = "member__group__workshop"
    # At HQ only the welfare staff (User.handles_welfare) take these actions.
    role_flags = {Role.HQ: "handles_welfare"}
    flagged_actions = ALL_ACTIONS - {VIEW}
    # The path to the case's filer, and the actions the filer may take on their own case.
    filer_lookup: str | None = None
    filer_actions: frozenset = frozenset()

    def _own_part(self, user):
        """Where the user works: the filer sees their own case there, whatever their role."""
        return self.scope_by(user, lambda role: OWN_PART.get(role, Reach.NONE))

    def extra_q(self, user, action):
        if action not in self.filer_actions:
            return None
        own = self.q_for(user, self._own_part(user))
        filed = Q(**{self.filer_lookup: user})
        return filed if own is None else filed & own

    def extra_allows(self, user, action, obj):
        if action not in self.filer_actions or self.filer_id(obj) != user.pk:
            return False
        return self.scope_allows(user, self._own_part(user), obj)

    def filer_id(self, obj) -> int | None:
        """Who filed the case this row belongs to (with `filer_lookup`)."""
        return None


class CaseType(models.Model):
    """A kind of assistance (特困职工救助, 职工大病互助 …): data HQ keeps in the admin site,
    with the most one case may be given without HQ deciding to go above it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    limit = models.DecimalField(
        _("limit per case (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("An approval above this needs HQ's explicit decision with a reason."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    # Eligibility (checked when applying and again when approving).
    required_classes = models.ManyToManyField(
        "HardshipClass",
        verbose_name=_("hardship classes required"),
        blank=True,
        related_name="+",
        help_text=_(
            "The member must be in the hardship archive in one of these classes; none ticked: "
            "the archive is not required."
        ),
    )
    review_within_months = models.PositiveSmallIntegerField(
        _("archive reviewed within (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "When classes are required: the archive entry's last review must be at most this "
            "many months before the application; empty: any date."
        ),
    )
    # 大病: the bills decide the amount.
    needs_medical_bills = models.BooleanField(
        _("needs the medical bills"),
        default=False,
        help_text=_(
            "The application lists the hospital bills (dates, diagnosis, total, reimbursed); "
            "the amount suggested follows the pay rule below."
        ),
    )
    bill_share = models.DecimalField(
        _("share of the out-of-pocket amount paid (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    bill_threshold = models.DecimalField(
        _("out-of-pocket amount not covered (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Only the out-of-pocket amount above this threshold counts."),
    )
    bill_cap = models.DecimalField(
        _("most paid on the bills (yuan)"), **MONEY, null=True, blank=True
    )
    # Caps per member and calendar year, and the repeat warning.
    yearly_cap_amount = models.DecimalField(
        _("most per member and year (yuan)"), **MONEY, null=True, blank=True
    )
    yearly_cap_count = models.PositiveSmallIntegerField(
        _("most cases per member and year"), null=True, blank=True
    )
    repeat_window_days = models.PositiveSmallIntegerField(
        _("warn of a repeat within (days)"),
        null=True,
        blank=True,
        help_text=_(
            "An application for the same member and type within this many days of an earlier "
            "one is warned (not refused)."
        ),
    )
    # 公示 before payment.
    needs_publicity = models.BooleanField(
        _("posted on the notice board before payment"),
        default=False,
        help_text=_(
            "An approved case is posted on the notice page (name, workshop union, type and "
            "amount only) and paid only after the notice has ended with no open objection."
        ),
    )
    publicity_days = models.PositiveSmallIntegerField(
        _("days of the notice"), default=5, validators=[MinValueValidator(1)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistance type")
        verbose_name_plural = _("assistance types")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class RequiredDocument(models.Model):
    """One paper a case of this type needs on file (手续完备)."""

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="requirements")
    name = models.CharField(_("document"), max_length=60)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "name"], name="requirement_unique"),
        ]

    def __str__(self):
        return self.name


class CaseStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    WORKSHOP_REVIEWED = "workshop_reviewed", _("Reviewed by the workshop")
    APPROVED = "approved", _("Approved by the union")
    PAID = "paid", _("Paid")
    ARCHIVED = "archived", _("Archived")
    REJECTED = "rejected", _("Rejected")


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    CASH = "cash", _("Cash")
    GOODS = "goods", _("In kind")


class WelfareCaseQuerySet(WelfareQuerySet):
    # A group leader applies for their members and sees that cases exist; the details,
    # and amending, only of the cases they filed.
    filer_lookup = "filed_by"
    filer_actions = frozenset({DETAILS, AMEND})
    member_lookup = "member"
    policy = {
        VIEW: OWN_PART,
        STATUS: {**OWN_PART, Role.MEMBER: Reach.SELF},
        DETAILS: HQ_AND_WORKSHOP,
        APPLY: OWN_PART,
        AMEND: HQ_AND_WORKSHOP,
        CHANGE: HQ_AND_WORKSHOP,
        WORKSHOP_REVIEW: HQ_AND_WORKSHOP,
        HQ_APPROVE: HQ_ONLY,
        PAY: HQ_ONLY,
        EXPORT: HQ_ONLY,
    }

    def filer_id(self, obj):
        return obj.filed_by_id


class WelfareCase(models.Model):
    """An application for assistance and its way through 申请 → 车间审核 → 工会审批 → 发放
    → 归档 (or 驳回). Money is in yuan, two decimal places."""

    number = models.CharField(_("case no."), max_length=20, unique=True)
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="welfare_cases"
    )
    case_type = models.ForeignKey(
        CaseType,
        verbose_name=_("assistance type"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    applied_on = models.DateField(_("applied on"), validators=[validate_not_in_future])
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason for applying"), max_length=2000)
    situation = models.TextField(
        _("situation"),
        blank=True,
        max_length=4000,
        help_text=_("Household, illness, income: what the reviewers need to know."),
    )
    amount_requested = models.DecimalField(_("amount requested"), **MONEY)
    amount_suggested = models.DecimalField(
        _("amount the workshop suggests"), **MONEY, null=True, blank=True
    )
    amount_approved = models.DecimalField(_("amount approved"), **MONEY, null=True, blank=True)
    amount_paid = models.DecimalField(_("amount paid"), **MONEY, null=True, blank=True)
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("fund source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="welfare_cases",
    )
    # The case's money is in exactly one payment batch (funds.PaymentLine): set when HQ
    # puts the approved case into a batch, cleared when the line is taken out.
    payment_line = models.OneToOneField(
        "funds.PaymentLine",
        verbose_name=_("payment line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="welfare_case",
    )
    over_limit_reason = models.CharField(
        _("reason for going above the limit"), max_length=200, blank=True
    )
    paid_on = models.DateField(
        _("paid on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, blank=True
    )
    voucher_no = models.CharField(_("voucher no."), max_length=40, blank=True)
    days_to_payment = models.PositiveIntegerField(_("days to payment"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.APPLIED
    )
    rejected_reason = models.TextField(_("reason for rejecting"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = WelfareCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("welfare case")
        verbose_name_plural = _("welfare cases")
        ordering = ["-applied_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "applied_on"], name="case_status_date"),
            models.Index(fields=["applied_on"], name="case_applied"),
            models.Index(fields=["paid_on"], name="case_paid"),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_paid_within_approved",
                condition=Q(amount_paid__isnull=True) | Q(amount_paid__lte=F("amount_approved")),
                violation_error_message=_("The amount paid cannot exceed the amount approved."),
            ),
            models.CheckConstraint(
                name="case_paid_has_date",
                condition=Q(amount_paid__isnull=True) | Q(paid_on__isnull=False),
            ),
            models.CheckConstraint(
                name="case_paid_after_application",
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("applied_on")),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.member.name} {self.case_type}"

    @property
    def log_target(self) -> str:
        """How the access log names this case: by its number."""
        return self.number

    @property
    def scope_ids(self):
        return self.member.group.workshop_id, self.member.group_id


class CaseEvent(models.Model):
    """A step of a case: who, when, what and a comment."""

    class Step(models.TextChoices):
        APPLIED = "applied", _("Applied")
        EDITED = "edited", _("Edited the application")
        WORKSHOP_REVIEWED = "workshop_reviewed", _("Workshop review passed")
        APPROVED = "approved", _("Approved by the union")
        PAID = "paid", _("Paid")
        ARCHIVED = "archived", _("Archived")
        REJECTED = "rejected", _("Rejected")
        DOCUMENT = "document", _("Document added")
        CHECKED = "checked", _("Paper document received")
        WAIVED = "waived", _("Paper to follow later")
        OBJECTION = "objection", _("Objection to the notice received")
        ANSWERED = "answered", _("Objection answered")
        BATCHED = "batched", _("Put into a payment batch")
        UNBATCHED = "unbatched", _("Taken out of the payment batch")

    case = models.ForeignKey(WelfareCase, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.case_id} {self.step}"


def document_path(instance, filename):
    return f"welfare/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class CaseDocumentQuerySet(WelfareQuerySet):
    group_lookup = "case__member__group"
    workshop_lookup = "case__member__group__workshop"
    policy = {VIEW: HQ_AND_WORKSHOP, DETAILS: HQ_AND_WORKSHOP}
    flagged_actions = ALL_ACTIONS
    filer_lookup = "case__filed_by"
    filer_actions = frozenset({VIEW, DETAILS})

    def filer_id(self, obj):
        return obj.case.filed_by_id


class CaseDocument(models.Model):
    """A supporting document of a case, uploaded and checked like every other upload."""

    case = models.ForeignKey(WelfareCase, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(max_length=10)
    mime = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = CaseDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @property
    def scope_ids(self):
        return self.case.member.group.workshop_id, self.case.member.group_id


class PaperReceipt(models.Model):
    """A required document received on paper (no scan), ticked by the union staff."""

    case = models.ForeignKey(WelfareCase, on_delete=models.CASCADE, related_name="receipts")
    requirement = models.ForeignKey(RequiredDocument, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "requirement"], name="receipt_once"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.requirement_id}"


class HardshipClass(models.Model):
    """A class of the hardship archive (深度困难, 相对困难, 意外致困; the older 特困/困难 kept
    for past years): data HQ keeps in the admin site, with the standard officers apply."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    standard = models.TextField(
        _("standard"),
        blank=True,
        max_length=2000,
        help_text=_("Who belongs to this class, in the words the officers apply."),
    )
    income_multiple = models.DecimalField(
        _("income limit (times the minimum living line)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "The household's monthly income per person may be at most this many times the "
            "year's local minimum living line; empty: no income test."
        ),
    )
    is_current = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Classes no longer used stay for the records of past years."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hardship class")
        verbose_name_plural = _("hardship classes")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class PovertyLine(models.Model):
    """The local minimum living line (低保标准) of a year, per person and month."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    monthly_amount = models.DecimalField(_("per person and month (yuan)"), **MONEY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minimum living line")
        verbose_name_plural = _("minimum living lines")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.monthly_amount}"

    @classmethod
    def for_year(cls, year: int):
        """The line of the year, or of the latest year before it (None if none is kept)."""
        return cls.objects.filter(year__lte=year).order_by("-year").first()


class PaperWaiver(models.Model):
    """后补: HQ welfare staff let a required paper follow later, with the reason and the
    date it is due. It closes when the paper comes in (uploaded or received on paper); the
    case cannot be archived while a paper is missing, waived or not."""

    case = models.ForeignKey(WelfareCase, on_delete=models.CASCADE, related_name="waivers")
    requirement = models.ForeignKey(
        RequiredDocument, verbose_name=_("paper"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)
    due_on = models.DateField(_("due by"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("paper in on"), null=True, blank=True)

    class Meta:
        verbose_name = _("paper to follow")
        verbose_name_plural = _("papers to follow")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "requirement"], name="waiver_once"),
        ]
        indexes = [models.Index(fields=["closed_at", "due_on"], name="waiver_open_due")]

    def __str__(self):
        return f"{self.case_id} {self.requirement_id}"


class MedicalBill(models.Model):
    """A hospital stay's bill of a 大病 case: what was spent, what insurance paid back, and
    so what the member paid out of pocket."""

    case = models.ForeignKey(WelfareCase, on_delete=models.CASCADE, related_name="bills")
    hospital = models.CharField(_("hospital"), max_length=80)
    admitted_on = models.DateField(_("admitted on"), validators=[validate_not_in_future])
    discharged_on = models.DateField(_("discharged on"), validators=[validate_not_in_future])
    diagnosis = models.CharField(_("diagnosis"), max_length=200)
    total = models.DecimalField(_("total cost (yuan)"), **MONEY)
    reimbursed = models.DecimalField(_("paid by medical insurance (yuan)"), **MONEY, default=0)

    class Meta:
        verbose_name = _("medical bill")
        verbose_name_plural = _("medical bills")
        ordering = ["admitted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="bill_reimbursed_within_total",
                condition=Q(reimbursed__lte=F("total")),
                violation_error_message=_("Insurance cannot pay back more than the total."),
            ),
            models.CheckConstraint(
                name="bill_dates_in_order",
                condition=Q(discharged_on__gte=F("admitted_on")),
                violation_error_message=_("The stay cannot end before it begins."),
            ),
        ]

    def __str__(self):
        return f"{self.hospital} {self.admitted_on}"

    @property
    def out_of_pocket(self) -> Decimal:
        return self.total - self.reimbursed


class WelfareSettings(SingleRecord):
    """The union's rules across assistance types (one record, edited by HQ in the admin
    site)."""

    yearly_cap_amount = models.DecimalField(
        _("most per member and year, all types together (yuan)"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Empty: no overall limit (each type's own limit still holds)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("welfare rules")
        verbose_name_plural = _("welfare rules")

    def __str__(self):
        return str(_("welfare rules"))


class PublicityQuerySet(ScopedQuerySet):
    # The notice board: everybody of the organisation with a login reads it (members
    # included), as they read a paper notice on the wall. It holds the name, the workshop
    # union, the type and the amount only.
    group_lookup = None
    workshop_lookup = None
    policy = {VIEW: dict.fromkeys(Role, Reach.ALL)}

    def current(self, today: date):
        return self.filter(
            starts_on__lte=today, ends_on__gte=today, case__status=CaseStatus.APPROVED
        )


class Publicity(models.Model):
    """公示: an approved case posted on the notice page from `starts_on` to `ends_on`
    (inclusive). Payment waits until it has ended with no open objection."""

    case = models.OneToOneField(WelfareCase, on_delete=models.CASCADE, related_name="publicity")
    starts_on = models.DateField(_("posted from"))
    ends_on = models.DateField(_("posted until"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PublicityQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="publicity_span")]

    def __str__(self):
        return f"{self.case_id} {self.starts_on}–{self.ends_on}"

    def has_ended(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.ends_on

    @property
    def scope_ids(self):
        return None, None


class Objection(models.Model):
    """An objection to a posted case, as received (the one who raised it may stay
    anonymous), and HQ's answer. An upheld objection rejects the case."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("received on"), validators=[validate_not_in_future])
    raised_by = models.CharField(
        _("raised by"), max_length=60, blank=True, help_text=_("Empty: anonymous.")
    )
    content = models.TextField(_("objection"), max_length=2000)
    answer = models.TextField(_("answer"), blank=True, max_length=2000)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.publicity_id} {self.received_on}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None


class HardshipCause(models.TextChoices):
    ILLNESS = "illness", _("Serious illness")
    DISABILITY = "disability", _("Disability")
    EDUCATION = "education", _("Children's education")
    UNEMPLOYMENT = "unemployment", _("Unemployment in the family")
    DISASTER = "disaster", _("Disaster or accident")
    LOW_INCOME = "low_income", _("Low income")
    OTHER = "other", _("Other")


class HardshipStatus(models.TextChoices):
    ACTIVE = "active", _("In the archive")
    EXITED = "exited", _("Left the archive")


class HardshipRecordQuerySet(WelfareQuerySet):
    # The archive is sensitive as a whole: only HQ welfare staff and the member's workshop.
    policy = {
        VIEW: HQ_AND_WORKSHOP,
        DETAILS: HQ_AND_WORKSHOP,
        CHANGE: HQ_AND_WORKSHOP,
        EXPORT: HQ_ONLY,
    }
    flagged_actions = ALL_ACTIONS

    def active(self):
        return self.filter(status=HardshipStatus.ACTIVE)

    def reviews_due(self, *, within_days: int = 30):
        """Records in the archive whose yearly review falls within the next month or is
        already late."""
        limit = timezone.localdate() + timedelta(days=within_days)
        return self.active().filter(next_review_on__lte=limit)


class HardshipRecord(models.Model):
    """困难职工档案: one stretch of a member in the hardship archive, reviewed every year
    (动态管理). Leaving the archive is a recorded step; nothing is deleted."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="hardship_records"
    )
    hardship_class = models.ForeignKey(
        HardshipClass,
        verbose_name=_("hardship class"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    id_number = models.CharField(
        _("identity number"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        db_index=True,
    )
    # Kept in step with the family members' table when it has rows (records entered
    # before the table keep the totals they were entered with).
    household_size = models.PositiveSmallIntegerField(
        _("people in the household"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    household_income = models.DecimalField(_("household income per month (yuan)"), **MONEY)
    causes = models.JSONField(_("causes"), default=list)
    household_situation = models.TextField(_("household situation"), max_length=4000)
    health = models.TextField(_("health"), blank=True, max_length=4000)
    opened_on = models.DateField(_("entered the archive on"), validators=[validate_not_in_future])
    last_reviewed_on = models.DateField(_("last reviewed on"), validators=[validate_not_in_future])
    next_review_on = models.DateField(_("next review due"))
    status = models.CharField(
        _("status"), max_length=10, choices=HardshipStatus.choices, default=HardshipStatus.ACTIVE
    )
    exited_on = models.DateField(
        _("left the archive on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    exit_reason = models.CharField(_("reason for leaving the archive"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = HardshipRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("hardship record")
        verbose_name_plural = _("hardship archive")
        ordering = ["next_review_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="active"), name="hardship_one_open_per_member"
            ),
            # One identity number on one open entry: the same person is not in the
            # archive twice under two employee records.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(status="active") & ~Q(id_number=""),
                name="hardship_id_number_once_open",
                violation_error_message=_(
                    "This identity number is already on another open archive entry."
                ),
            ),
            models.CheckConstraint(
                name="hardship_exit_has_date",
                condition=Q(status="active", exited_on__isnull=True)
                | Q(status="exited", exited_on__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.member.name} {self.hardship_class}"

    @property
    def log_target(self) -> str:
        """How the access log names this record (a case goes by its number)."""
        return f"archive-{self.pk}"

    @property
    def scope_ids(self):
        return self.member.group.workshop_id, self.member.group_id

    @property
    def masked_id_number(self) -> str:
        return mask(self.id_number)

    @property
    def income_per_person(self) -> Decimal:
        return (self.household_income / self.household_size).quantize(Decimal("0.01"))

    def cause_labels(self) -> list[str]:
        labels = dict(HardshipCause.choices)
        return [str(labels.get(code, code)) for code in self.causes]

    def income_test(self, line=None) -> "IncomeTest | None":
        """The per-capita income against the class's standard (income multiple × the 低保
        line of the year it was last reviewed); None when the class has no income test or
        no line is kept. `line`: the PovertyLine, when the caller has it."""
        multiple = self.hardship_class.income_multiple
        if multiple is None:
            return None
        if line is None:
            line = PovertyLine.for_year(self.last_reviewed_on.year)
        if line is None:
            return None
        standard = (line.monthly_amount * multiple).quantize(Decimal("0.01"))
        return IncomeTest(self.income_per_person, standard)


@dataclass(frozen=True)
class IncomeTest:
    per_person: Decimal
    standard: Decimal

    @property
    def meets(self) -> bool:
        return self.per_person <= self.standard


class FamilyMember(models.Model):
    """One person of an archive entry's household (the member included), from whom the
    household size and income per person are computed."""

    record = models.ForeignKey(HardshipRecord, on_delete=models.CASCADE, related_name="family")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    relation = models.CharField(
        _("relation"),
        max_length=20,
        help_text=_("To the member: self, spouse, child, father, mother …"),
    )
    age = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=[MaxValueValidator(130)]
    )
    health = models.CharField(_("health"), max_length=100, blank=True)
    monthly_income = models.DecimalField(_("income per month (yuan)"), **MONEY, default=0)
    school_or_work = models.CharField(_("school or work"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.relation} {self.name}"


class HardshipReview(models.Model):
    """A yearly review of an archive record (or its entry and exit): who, when, what."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Entered the archive")
        REVIEWED = "reviewed", _("Yearly review")
        EXITED = "exited", _("Left the archive")

    record = models.ForeignKey(HardshipRecord, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    reviewed_on = models.DateField(_("date"))
    hardship_class = models.ForeignKey(
        HardshipClass,
        verbose_name=_("hardship class"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_on", "pk"]

    def __str__(self):
        return f"{self.record_id} {self.kind} {self.reviewed_on}"


class VisitKind(models.TextChoices):
    SICK_VISIT = "sick_visit", _("Visit in sickness or hardship")
    BIRTHDAY = "birthday", _("Birthday greeting")
    FESTIVAL = "festival", _("Festival visit")
    FAMILY_EVENT = "family_event", _("Wedding, birth or funeral")
    TALK = "talk", _("Heart-to-heart talk")


class CareVisitQuerySet(ScopedQuerySet):
    group_lookup = "group"
    workshop_lookup = "group__workshop"
    policy = {VIEW: OWN_PART, CHANGE: OWN_PART}


class CareVisit(models.Model):
    """A care visit to a member (探望慰问, 生日祝贺, 节日慰问, 婚丧喜庆, 谈心). The group is
    the member's group when the visit is recorded, kept when the member moves later, so the
    figures stay with the group that made the visit."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="care_visits"
    )
    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        related_name="care_visits",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices)
    visited_on = models.DateField(_("date"), validators=[validate_not_in_future])
    visitors = models.CharField(_("visited by"), max_length=100)
    gift_value = models.DecimalField(_("gift or money (yuan)"), **MONEY, null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CareVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["group", "visited_on"], name="visit_group_date"),
            models.Index(fields=["member", "visited_on"], name="visit_member_date"),
        ]

    def __str__(self):
        return f"{self.visited_on} {self.member.name} {self.get_kind_display()}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id


class AccessLogQuerySet(WelfareQuerySet):
    # Read by HQ welfare staff only; append-only for everybody.
    policy = {VIEW: HQ_ONLY}
    flagged_actions = ALL_ACTIONS

    def update(self, **kwargs):
        raise PermissionError("the access log is append-only")

    def delete(self):
        raise PermissionError("the access log is append-only")


class AccessLog(models.Model):
    """Who saw or changed which sensitive welfare record, and when. Append-only: the model
    refuses updates and deletes, and database triggers refuse them too."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        DOWNLOAD = "download", _("Downloaded a document")
        PRINT = "print", _("Printed")
        EXPORT = "export", _("Exported")
        SEARCH = "search", _("Searched by identity number")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    target = models.CharField(_("record"), max_length=40)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.CharField(_("what"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = pgettext_lazy("welfare details", "access log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the access log is append-only")
