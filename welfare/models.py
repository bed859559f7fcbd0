import uuid
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


class FundSource(models.TextChoices):
    UNION_FUNDS = "union_funds", _("Union funds")
    ASSISTANCE_FUND = "assistance_fund", _("Assistance fund")
    MUTUAL_AID = "mutual_aid", _("Serious illness mutual aid fund")
    HIGHER_UNION = "higher_union", _("Grant from the higher union")
    DONATIONS = "donations", _("Donations")


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
    fund_source = models.CharField(
        _("fund source"), max_length=20, choices=FundSource.choices, blank=True
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


class HardshipLevel(models.TextChoices):
    SEVERE = "severe", _("Extreme hardship")
    HARDSHIP = "hardship", _("Hardship")


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
    level = models.CharField(_("level"), max_length=10, choices=HardshipLevel.choices)
    id_number = models.CharField(
        _("identity number"),
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        db_index=True,
    )
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
            models.CheckConstraint(
                name="hardship_exit_has_date",
                condition=Q(status="active", exited_on__isnull=True)
                | Q(status="exited", exited_on__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.member.name} {self.get_level_display()}"

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


class HardshipReview(models.Model):
    """A yearly review of an archive record (or its entry and exit): who, when, what."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Entered the archive")
        REVIEWED = "reviewed", _("Yearly review")
        EXITED = "exited", _("Left the archive")

    record = models.ForeignKey(HardshipRecord, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    reviewed_on = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=10, choices=HardshipLevel.choices)
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
