"""Joining the union (入会申请), the numbering of membership cards and transfer letters,
employee counts for 入会率, and transfers out of the organisation (会籍转移)."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Role
from accounts.scoping import CHANGE, OWN_PART, VIEW, Reach, ScopedQuerySet
from groups.idnumbers import validate_id_number
from groups.models import (
    Gender,
    HukouType,
    Member,
    MemberOption,
    OptionList,
    UnionGroup,
    WorkshopUnion,
)
from groups.validators import validate_employee_no, validate_phone
from unionhome.validators import validate_not_in_future

# Approving or returning an application, recording a transfer: the workshop union's
# decisions (HQ may take them too). A group leader files for their group's workers.
DECIDE = "decide"
WORKSHOP_AND_HQ = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}


class NumberingRule(models.Model):
    """How membership card numbers (会员证号) and transfer letter numbers are written. HQ
    keeps one rule in the admin site; the newest one is used."""

    prefix = models.CharField(
        _("card number prefix"),
        max_length=10,
        blank=True,
        default="KGH",
        help_text=_("Letters written before every card number, e.g. KGH."),
    )
    with_year = models.BooleanField(
        _("year in the card number"),
        default=True,
        help_text=_("The year the card is issued (the approval), in 4 digits, e.g. 2026."),
    )
    with_workshop_code = models.BooleanField(
        _("workshop union's code in the card number"),
        default=False,
        help_text=_(
            "The code of the member's workshop union; each workshop union then counts "
            "its own numbers."
        ),
    )
    digits = models.PositiveSmallIntegerField(
        _("digits of the sequence number"),
        default=5,
        validators=[MinValueValidator(3), MaxValueValidator(8)],
        help_text=_("The sequence starts again at 1 each year, e.g. 5 digits: 00042."),
    )
    separator = models.CharField(
        _("separator"), max_length=1, blank=True, default="-", help_text=_("e.g. - or empty.")
    )
    letter_prefix = models.CharField(
        _("transfer letter prefix"),
        max_length=10,
        blank=True,
        default="会转",
        help_text=_("Written before the number of a transfer letter, e.g. 会转2026-007."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("numbering rule")
        verbose_name_plural = _("numbering rules")

    def __str__(self):
        return str(_("Card numbers like %(example)s")) % {"example": self.example()}

    @classmethod
    def current(cls) -> "NumberingRule":
        """The newest rule, or the default one while HQ has saved none."""
        return cls.objects.order_by("-pk").first() or cls()

    def card_counter_key(self, *, year: int, workshop: WorkshopUnion) -> str:
        parts = ["card", str(year) if self.with_year else "all"]
        if self.with_workshop_code:
            parts.append(workshop.code)
        return ":".join(parts)

    def card_number(self, *, year: int, workshop_code: str, sequence: int) -> str:
        parts = [self.prefix] if self.prefix else []
        if self.with_year:
            parts.append(f"{year:04d}")
        if self.with_workshop_code:
            parts.append(workshop_code)
        parts.append(f"{sequence:0{self.digits}d}")
        return self.separator.join(parts)

    def letter_number(self, *, year: int, sequence: int) -> str:
        return f"{self.letter_prefix}{year:04d}-{sequence:03d}"

    def example(self) -> str:
        return self.card_number(year=2026, workshop_code="A01", sequence=42)


class NumberCounter(models.Model):
    """The last number given out in one sequence (card numbers of a year, transfer letters
    of a year). Read with a row lock, so two approvals never take the same number."""

    key = models.CharField(_("sequence"), max_length=60, unique=True)
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")

    def __str__(self):
        return f"{self.key}: {self.last}"


# Applications -----------------------------------------------------------------------------


class JoinLinkQuerySet(ScopedQuerySet):
    group_lookup = "group"
    workshop_lookup = "workshop"
    # A leader prints the poster of their own group's link; the workshop union makes them.
    policy = {VIEW: OWN_PART, CHANGE: WORKSHOP_AND_HQ}


def new_token() -> str:
    return secrets.token_urlsafe(12)


class JoinLink(models.Model):
    """A public address (and its QR code) through which workers of one workshop union, or
    of one of its groups, apply to join the union without an account."""

    token = models.CharField(_("token"), max_length=32, unique=True, default=new_token)
    workshop = models.ForeignKey(
        WorkshopUnion, verbose_name=_("workshop union"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the applicant chooses one of the workshop union's groups."),
    )
    expires_on = models.DateField(
        _("open until"), null=True, blank=True, help_text=_("Empty: open until closed.")
    )
    is_active = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = JoinLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("joining link")
        verbose_name_plural = _("joining links")
        ordering = ["workshop__sort_order", "workshop__code", "-created_at"]

    def __str__(self):
        return f"{self.workshop} · {self.group}" if self.group_id else str(self.workshop)

    def clean(self):
        if self.group_id and self.group.workshop_id != self.workshop_id:
            raise ValidationError({"group": _("Choose a group of this workshop union.")})

    @property
    def scope_ids(self):
        return self.workshop_id, self.group_id

    def is_open_on(self, day) -> bool:
        return self.is_active and (self.expires_on is None or day <= self.expires_on)


class ApplicationKind(models.TextChoices):
    NEW = "new", _("Joining (入会)")
    TRANSFER_IN = "transfer_in", _("Transfer in (转入)")


class ApplicationSource(models.TextChoices):
    LINK = "link", _("The applicant, through a joining link")
    LEADER = "leader", _("Entered by the group leader")
    OFFICE = "office", _("Entered by the union office")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the workshop union")
    APPROVED = "approved", _("Approved: a member")
    RETURNED = "returned", _("Returned")


class ApplicationQuerySet(ScopedQuerySet):
    group_lookup = "group"
    workshop_lookup = "group__workshop"
    # A group leader files for their group and follows its applications; the workshop
    # union decides; HQ sees and decides all.
    policy = {VIEW: OWN_PART, CHANGE: OWN_PART, DECIDE: WORKSHOP_AND_HQ}

    def waiting(self):
        return self.filter(status=ApplicationStatus.SUBMITTED)

    def with_duplicates(self):
        """Mark each application whose employee no. or identity number is already a
        member's: the office sees it (the applicant was told nothing)."""
        by_number = Member.objects.filter(employee_no=models.OuterRef("employee_no"))
        by_id = Member.objects.filter(id_number=models.OuterRef("id_number")).exclude(id_number="")
        return self.annotate(
            duplicate_no=models.Exists(by_number), duplicate_id=models.Exists(by_id)
        )


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


def digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


class Application(models.Model):
    """入会申请书: a worker's application to join the union (or to be taken in from another
    organisation's union), with the registration details of 会员实名制, decided by the
    workshop union."""

    reference = models.CharField(
        _("reference no."), max_length=12, unique=True, default=new_reference, editable=False
    )
    # Only its digest is kept: the code is shown once, to the applicant.
    check_digest = models.CharField(max_length=64, editable=False)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ApplicationKind.choices, default=ApplicationKind.NEW
    )
    source = models.CharField(_("filed by"), max_length=10, choices=ApplicationSource.choices)
    link = models.ForeignKey(
        JoinLink,
        verbose_name=_("joining link"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group where you work"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    employee_no = models.CharField(
        _("employee no."), max_length=20, validators=[validate_employee_no]
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    id_number = models.CharField(
        _("identity number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    birth_date = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_not_in_future]
    )
    ethnicity = models.ForeignKey(
        MemberOption,
        verbose_name=_("ethnic group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"option_list": OptionList.ETHNICITY},
    )
    political_status = models.ForeignKey(
        MemberOption,
        verbose_name=_("political status"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"option_list": OptionList.POLITICAL},
    )
    education = models.ForeignKey(
        MemberOption,
        verbose_name=_("education"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"option_list": OptionList.EDUCATION},
    )
    hukou_type = models.CharField(
        _("household registration"), max_length=10, choices=HukouType.choices, blank=True
    )
    employment_type = models.ForeignKey(
        MemberOption,
        verbose_name=_("form of employment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"option_list": OptionList.EMPLOYMENT},
    )
    work_started_on = models.DateField(
        _("started work on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    position = models.CharField(_("job"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    joined_union_on = models.DateField(
        _("joined the union on"),
        null=True,
        blank=True,
        validators=[validate_not_in_future],
        help_text=_("Empty: the day the workshop union approves."),
    )
    # Transfer in (转入): the union the member comes from keeps the membership continuous.
    former_organisation = models.CharField(
        _("former organisation's union"), max_length=100, blank=True
    )
    former_card_no = models.CharField(_("former membership card no."), max_length=30, blank=True)
    letter_no_received = models.CharField(
        _("transfer letter no. received"), max_length=40, blank=True
    )
    statement = models.BooleanField(
        _("I apply of my own free will to join the All-China Federation of Trade Unions"),
        default=False,
        help_text=_(
            "I accept the Constitution of the Chinese Trade Unions, will carry out the "
            "union's decisions, take part in its activities and pay my dues."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="join_applications",
    )

    history = HistoricalRecords(excluded_fields=["check_digest", "ip_address"])
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "group"], name="application_status_group")]
        constraints = [
            models.CheckConstraint(
                name="application_statement_accepted",
                condition=Q(statement=True),
                violation_error_message=_("The applicant's statement must be accepted."),
            ),
            models.CheckConstraint(
                name="application_returned_has_reason",
                condition=~Q(status=ApplicationStatus.RETURNED) | ~Q(return_reason=""),
                violation_error_message=_("Say why the application is returned."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.name}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def is_waiting(self) -> bool:
        return self.status == ApplicationStatus.SUBMITTED

    def set_check_code(self) -> str:
        code = f"{secrets.randbelow(10**6):06d}"
        self.check_digest = digest(code)
        return code

    def check_code_matches(self, code: str) -> bool:
        return bool(self.check_digest) and secrets.compare_digest(self.check_digest, digest(code))

    def member_details(self) -> dict:
        """The registration details the member is enrolled with (groups.services)."""
        return {
            "gender": self.gender,
            "id_number": self.id_number,
            "birth_date": self.birth_date,
            "ethnicity": self.ethnicity,
            "political_status": self.political_status,
            "education": self.education,
            "hukou_type": self.hukou_type,
            "employment_type": self.employment_type,
            "work_started_on": self.work_started_on,
            "position": self.position,
            "phone": self.phone,
        }

    def clean(self):
        if self.kind == ApplicationKind.TRANSFER_IN:
            errors = {}
            if not self.former_organisation.strip():
                errors["former_organisation"] = _("Name the union the member comes from.")
            if self.joined_union_on is None:
                errors["joined_union_on"] = _(
                    "Give the day the member first joined the union: the membership continues."
                )
            if errors:
                raise ValidationError(errors)
        # The member's own rules (identity number against birth date and gender, joining
        # after birth), on an unsaved member: never whether the number is already taken.
        member = Member(
            employee_no=self.employee_no,
            name=self.name,
            group_id=self.group_id,
            joined_union_on=self.joined_union_on,
            **self.member_details(),
        )
        try:
            member.full_clean(
                exclude=["employee_no", "group", "name"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            own = {k: v for k, v in error.message_dict.items() if k in _own_fields()}
            if own:
                raise ValidationError(own) from error
        self.gender, self.birth_date = member.gender, member.birth_date
        self.id_number = member.id_number


def _own_fields() -> set:
    return {f.name for f in Application._meta.get_fields()}


# Employee counts ------------------------------------------------------------------------


class EmployeeCountQuerySet(ScopedQuerySet):
    group_lookup = None
    workshop_lookup = "workshop"
    policy = {VIEW: WORKSHOP_AND_HQ, CHANGE: WORKSHOP_AND_HQ}


class EmployeeCount(models.Model):
    """职工人数: the employees of one workshop union (unit) in one month, from the
    personnel office; the denominator of 入会率."""

    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    employees = models.PositiveIntegerField(_("employees"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = EmployeeCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee count")
        verbose_name_plural = _("employee counts")
        ordering = ["-month", "workshop__sort_order", "workshop__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "month"],
                name="employee_count_one_per_month",
                violation_error_message=_("This month's count is already entered."),
            ),
            models.CheckConstraint(name="employee_count_first_of_month", condition=Q(month__day=1)),
        ]

    def __str__(self):
        return f"{self.workshop} {self.month:%Y-%m}: {self.employees}"

    @property
    def scope_ids(self):
        return self.workshop_id, None


# Transfers out ---------------------------------------------------------------------------


class TransferQuerySet(ScopedQuerySet):
    group_lookup = "member__group"
    workshop_lookup = "member__group__workshop"
    policy = {VIEW: WORKSHOP_AND_HQ, CHANGE: WORKSHOP_AND_HQ}


class Transfer(models.Model):
    """会籍转移 out: the member's union membership goes with them to another organisation;
    the introduction letter (介绍信) carries its number, and the receiving union returns
    the slip (回执)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    letter_no = models.CharField(_("letter no."), max_length=40, unique=True)
    to_organisation = models.CharField(_("receiving organisation"), max_length=100)
    to_union = models.CharField(
        _("receiving union"),
        max_length=100,
        blank=True,
        help_text=_("The union the letter is addressed to, if not the organisation's own."),
    )
    transferred_on = models.DateField(_("transferred on"), validators=[validate_not_in_future])
    reason = models.CharField(pgettext_lazy("transfer", "reason"), max_length=200)
    dues_paid_until = models.DateField(
        _("dues paid up to"),
        null=True,
        blank=True,
        help_text=_("The last month paid; empty leaves a line on the letter to fill by hand."),
    )
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
    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer out")
        verbose_name_plural = _("transfers out")
        ordering = ["-transferred_on", "-pk"]

    def __str__(self):
        return f"{self.letter_no} · {self.member}"

    @property
    def scope_ids(self):
        return self.member.scope_ids
