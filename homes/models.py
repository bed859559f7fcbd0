"""职工小家创建: the process by which a union group's small home is planned, declared,
recommended, inspected, publicly noticed, named and re-checked every year. Every step is a
service (homes/services.py); the group's stage and title on UnionGroup are their summary."""

import uuid
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Role
from accounts.scoping import (
    CHANGE,
    HQ_ONLY,
    OWN_PART,
    RECORDS_READERS,
    VIEW,
    Reach,
    ScopedQuerySet,
)
from groups.models import HomeLevel, UnionGroup, WorkshopUnion
from scoring.models import Level, RubricVersion
from unionhome.dates import day_label

POINTS = {"max_digits": 6, "decimal_places": 2}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}

# The steps beyond seeing and changing, and who takes them.
REVIEW = "review"  # the workshop union: approve a plan, recommend or return a declaration
ASSIGN = "assign"  # HQ: form panels and give them declarations
INSPECT = "inspect"  # a panel member: inspect the groups assigned to the panel
SIGN_OFF = "sign_off"  # the panel's leader: sign off the panel's result
CONFIRM = "confirm"  # HQ: publish the notice, answer objections, name, decide re-checks
WORKSHOP_REVIEW = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}


class CreationYear(models.Model):
    """What HQ sets for a year of 小家 creation: when groups may declare, the points a
    panel's result needs for each title, how long the public notice runs, what 模范 needs,
    how long a step may wait before it is flagged, and the year's targets."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    declarations_open = models.DateField(_("declarations open on"))
    declarations_close = models.DateField(_("declarations close on"))
    rubric = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="+",
        blank=True,
        help_text=_(
            "Declarations are made on it, and a panel's points reach a title by its "
            "thresholds. Empty: the rubric of this year."
        ),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("days the public notice runs"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    model_needs_advanced_years = models.PositiveSmallIntegerField(
        _("a model title needs an advanced or model title within the years before"),
        default=1,
        validators=[MaxValueValidator(10)],
        help_text=_("0: no earlier title is needed."),
    )
    stale_after_days = models.PositiveSmallIntegerField(
        _("flag a step waiting longer than (days)"),
        default=14,
        validators=[MinValueValidator(1)],
    )
    coverage_target = models.DecimalField(_("target: coverage (%)"), **PERCENT, default=100)
    qualified_target = models.DecimalField(
        _("target: small homes qualified or above (%)"), **PERCENT, default=100
    )
    advanced_target = models.DecimalField(
        _("target: small homes advanced or above (%)"), **PERCENT, default=30
    )
    model_target = models.DecimalField(_("target: model small homes (%)"), **PERCENT, default=10)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("creation year")
        verbose_name_plural = _("creation years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                name="creation_year_window_in_order",
                condition=Q(declarations_close__gte=F("declarations_open")),
                violation_error_message=_("Declarations close on or after the day they open."),
            ),
        ]

    def __str__(self):
        return _("%(year)s creation year") % {"year": self.year}

    def save(self, *args, **kwargs):
        if not self.rubric_id and self.year:
            self.rubric = RubricVersion.objects.for_year(self.year)
        super().save(*args, **kwargs)

    def clean(self):
        for field in ("declarations_open", "declarations_close"):
            day = getattr(self, field)
            if day and self.year and day.year != self.year:
                raise ValidationError({field: _("Choose a day of %(year)s.") % {"year": self.year}})
        if not self.rubric_id and self.year:
            self.rubric = RubricVersion.objects.for_year(self.year)
            if self.rubric is None:
                raise ValidationError({"rubric": _("Prepare a rubric for this year first.")})

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)

    def level_for(self, points: Decimal) -> str:
        """The title a panel's result reaches by the rubric's thresholds ("" below 合格)."""
        level = self.rubric.level_for(points)
        return "" if level == Level.FAILED else level


class RecommendationQuota(models.Model):
    """How many of a workshop union's groups it may recommend for a title in a year: a
    share of its active groups for every workshop union, or a number for one of them."""

    year = models.ForeignKey(
        CreationYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="quotas"
    )
    level = models.CharField(
        pgettext_lazy("small home title", "title"), max_length=10, choices=HomeLevel.choices
    )
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: every workshop union."),
    )
    share = models.DecimalField(
        _("at most (per cent of its groups)"), **PERCENT, null=True, blank=True
    )
    count = models.PositiveIntegerField(_("at most (groups)"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation quota")
        verbose_name_plural = _("recommendation quotas")
        constraints = [
            models.CheckConstraint(
                name="quota_share_or_count",
                condition=Q(share__isnull=False, count__isnull=True)
                | Q(share__isnull=True, count__isnull=False),
                violation_error_message=_("Give either a share of the groups or a number."),
            ),
            models.UniqueConstraint(
                fields=["year", "level", "workshop"],
                name="quota_once_per_workshop",
                violation_error_message=_("There is already a quota for this title here."),
            ),
            models.UniqueConstraint(
                fields=["year", "level"],
                condition=Q(workshop__isnull=True),
                name="quota_once_for_all",
                violation_error_message=_("There is already a quota for this title."),
            ),
        ]

    def __str__(self):
        amount = f"{self.share}%" if self.share is not None else str(self.count)
        return f"{self.get_level_display()} ≤ {amount}"


class ChecklistItem(models.Model):
    """One line of the 台账 checklist a panel member ticks on site: for the acceptance or
    the (lighter) yearly re-check. A must-pass item, failed, bars the 模范 title."""

    class Use(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Acceptance inspection")
        RECHECK = "recheck", _("Yearly re-check")

    use = models.CharField(_("used in"), max_length=12, choices=Use.choices)
    name = models.CharField(_("what to look at"), max_length=100)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)
    must_pass = models.BooleanField(
        _("must pass for a model title"),
        default=False,
        help_text=_("A model title needs every panel member to tick it as passed."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("台账 checklist")
        ordering = ["use", "sort_order", "pk"]

    def __str__(self):
        return self.name


# Plans ----------------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for the workshop union")
    APPROVED = "approved", pgettext_lazy("plan", "Approved")
    RETURNED = "returned", _("Returned")


class PlanQuerySet(ScopedQuerySet):
    policy = {VIEW: RECORDS_READERS, CHANGE: OWN_PART, REVIEW: WORKSHOP_REVIEW}


def plan_file_path(instance, filename):
    return f"homes/plans/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class CreationPlan(models.Model):
    """创建方案: the group's plan for building its 小家 in a year, approved by its workshop
    union. `measures` holds one line per content area, `core` the 骨干 with their posts."""

    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveIntegerField(_("year"))
    target_level = models.CharField(
        _("target title"), max_length=10, choices=HomeLevel.choices, default=HomeLevel.QUALIFIED
    )
    rules = models.TextField(
        _("working rules (工作制度)"),
        blank=True,  # a draft may be incomplete; plan_submit asks for it
        max_length=5000,
        help_text=_("The group's rules: meetings, disclosure of group affairs, care, study …"),
    )
    rules_file = models.FileField(
        _("rules as a file"), upload_to=plan_file_path, blank=True, max_length=200
    )
    rules_file_name = models.CharField(max_length=200, blank=True)
    # [{"member": id, "name", "post"}] and {content area code: text}
    core = models.JSONField(_("core members"), default=list, blank=True)
    measures = models.JSONField(_("measures"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("creation plan")
        verbose_name_plural = _("creation plans")
        ordering = ["-year", "group"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="plan_once_per_year"),
        ]

    def __str__(self):
        return f"{self.group} {self.year}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


# Declarations, inspections, notices -----------------------------------------------------


class DeclarationKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Declaration for acceptance")
    RECHECK = "recheck", _("Yearly re-check")


class DeclarationStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessment")
    DECLARED = "declared", _("Declared")
    RECOMMENDED = "recommended", _("Recommended by the workshop union")
    INSPECTING = "inspecting", _("Acceptance inspection")
    ACCEPTED = "accepted", _("Accepted, awaiting the public notice")
    IN_NOTICE = "in_notice", _("In public notice")
    NAMED = "named", _("Named")
    SIGNED_OFF = "signed_off", _("Signed off by the panel, waiting for HQ's decision")
    DECIDED = "decided", _("Re-check decided")


class RecheckOutcome(models.TextChoices):
    KEEP = "keep", _("Keeps the title")
    DOWNGRADE = "downgrade", _("Downgraded")
    WITHDRAW = "withdraw", _("Title withdrawn")


class PanelRule(models.TextChoices):
    MEAN = "mean", _("The mean of the members' totals")
    TRIMMED = "trimmed", _("The mean without the highest and the lowest (5 or more scored)")


class InspectionPanelQuerySet(ScopedQuerySet):
    """HQ forms the panels and sees them all; an inspector the panels they sit on."""

    group_lookup = None
    workshop_lookup = None
    policy = {VIEW: {Role.HQ: Reach.ALL, Role.INSPECTOR: Reach.ASSIGNED}, ASSIGN: HQ_ONLY}

    def rule_q(self, user, rule):
        through = InspectionPanel.members.through
        return Q(pk__in=through.objects.filter(user=user).values("inspectionpanel_id"))


class InspectionPanel(models.Model):
    """考评小组: a year's inspection panel. Its members may be any users (often chairs of
    other workshop unions); nobody inspects a group of their own workshop union."""

    year = models.ForeignKey(
        CreationYear, verbose_name=_("year"), on_delete=models.PROTECT, related_name="panels"
    )
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("panel leader"),
        on_delete=models.PROTECT,
        related_name="led_panels",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="inspection_panels"
    )
    rule = models.CharField(
        _("how the panel's result is worked out"),
        max_length=10,
        choices=PanelRule.choices,
        default=PanelRule.MEAN,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[members])
    objects = InspectionPanelQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection panel")
        verbose_name_plural = _("inspection panels")
        ordering = ["-year__year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="panel_name_once_a_year"),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_ids(self):
        return None, None


class DeclarationQuerySet(ScopedQuerySet):
    """Panel members reach the groups of their panel (their inspector role); the panel's
    leader signs off the declarations the panel holds (`extra_q`)."""

    policy = {
        VIEW: RECORDS_READERS,
        CHANGE: OWN_PART,
        REVIEW: WORKSHOP_REVIEW,
        ASSIGN: HQ_ONLY,
        INSPECT: {Role.INSPECTOR: Reach.GROUP},
        CONFIRM: HQ_ONLY,
    }

    def extra_q(self, user, action):
        if action == SIGN_OFF:
            return Q(panel__leader=user)
        return None

    def extra_allows(self, user, action, obj):
        return action == SIGN_OFF and obj.panel_id is not None and obj.panel.leader_id == user.pk


class DeclarationFileQuerySet(ScopedQuerySet):
    group_lookup = "declaration__group"
    workshop_lookup = "declaration__group__workshop"
    policy = {VIEW: RECORDS_READERS}


def declaration_file_path(instance, filename):
    return f"homes/evidence/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class Declaration(models.Model):
    """A group's 自评申报 for a title in a year, and its way through the workshop union's
    recommendation, the panel's acceptance, the public notice and the naming; or a yearly
    re-check of a named group by a panel.

    `scheme` is the rubric as it was when the declaration was opened (criteria and
    indicators, with each line's maximum), `lines` the group's self-assessment and the
    workshop union's comments per line: {indicator code: {self, comment, evidence,
    workshop_comment, computed}}."""

    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        related_name="home_declarations",
    )
    year = models.ForeignKey(
        CreationYear, verbose_name=_("year"), on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=DeclarationKind.choices,
        default=DeclarationKind.ACCEPTANCE,
    )
    plan = models.ForeignKey(
        CreationPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="declarations"
    )
    target_level = models.CharField(
        _("title applied for"), max_length=10, choices=HomeLevel.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.DRAFT,
    )
    rubric = models.ForeignKey(
        RubricVersion,
        verbose_name=_("rubric version"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    scheme = models.JSONField(_("rubric used"), default=list)
    lines = models.JSONField(_("lines"), default=dict)
    summary = models.TextField(_("summary of the work (事迹)"), blank=True, max_length=5000)
    self_total = models.DecimalField(_("self-assessed points"), **POINTS, null=True, blank=True)
    recommended_level = models.CharField(
        _("title recommended"), max_length=10, choices=HomeLevel.choices, blank=True
    )
    workshop_opinion = models.TextField(_("the workshop union's opinion"), blank=True)
    panel = models.ForeignKey(
        InspectionPanel,
        verbose_name=_("inspection panel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
    )
    panel_total = models.DecimalField(_("the panel's result"), **POINTS, null=True, blank=True)
    proposed_level = models.CharField(
        _("title proposed"), max_length=10, choices=HomeLevel.choices, blank=True
    )
    panel_opinion = models.TextField(_("the panel's opinion"), blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    recheck_reason = models.CharField(_("why re-checked"), max_length=200, blank=True)
    outcome = models.CharField(
        _("re-check outcome"), max_length=10, choices=RecheckOutcome.choices, blank=True
    )
    outcome_level = models.CharField(
        _("title after the re-check"), max_length=10, choices=HomeLevel.choices, blank=True
    )
    outcome_reason = models.TextField(_("reason"), blank=True)
    last_step_at = models.DateTimeField(_("last step at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["version", "lines", "scheme", "last_step_at"])
    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        ordering = ["-year__year", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "year", "kind"], name="declaration_once_a_year"
            ),
        ]
        indexes = [models.Index(fields=["status", "last_step_at"], name="declaration_waiting")]

    def __str__(self):
        return f"{self.group} {self.year.year} {self.get_kind_display()}"

    @property
    def rubric_used(self):
        """The rubric the declaration was made on (the year's for one made before
        rubric versions)."""
        return self.rubric or self.year.rubric

    def level_for(self, points: Decimal) -> str:
        """The title a panel's points reach by the declaration's own rubric ("" below 合格)."""
        level = self.rubric_used.level_for(points)
        return "" if level == Level.FAILED else level

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def is_recheck(self) -> bool:
        return self.kind == DeclarationKind.RECHECK

    @property
    def status_label(self) -> str:
        """The status as a re-check's reader understands it too."""
        if self.is_recheck and self.status == DeclarationStatus.RECOMMENDED:
            return str(_("Waiting for an inspection panel"))
        return self.get_status_display()

    @property
    def is_editable(self) -> bool:
        return self.status == DeclarationStatus.DRAFT and not self.is_recheck

    def indicators(self):
        """The rubric's lines in order: (criterion, indicator) of the scheme."""
        for criterion in self.scheme:
            for indicator in criterion["indicators"]:
                yield criterion, indicator


class DeclarationFile(models.Model):
    """A photo or document the group adds to its declaration as evidence."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=declaration_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(max_length=10)
    mime = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DeclarationFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class InspectionQuerySet(ScopedQuerySet):
    """Each panel member scores on their own: they see their own inspections, the panel's
    leader every inspection of the panel, and HQ all. The group sees the panel's result."""

    group_lookup = "declaration__group"
    workshop_lookup = "declaration__group__workshop"
    policy = {VIEW: HQ_ONLY}

    def extra_q(self, user, action):
        if action != VIEW:
            return None
        return Q(inspector=user) | Q(declaration__panel__leader=user)

    def extra_allows(self, user, action, obj):
        return action == VIEW and (
            obj.inspector_id == user.pk or obj.declaration.panel.leader_id == user.pk
        )


class Inspection(models.Model):
    """One panel member's on-site inspection of a declared group: the checklist, points
    per line of the rubric, remarks and photos."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="inspections"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # {indicator code: "points"} and {checklist item id: {"passed", "note"}}
    scores = models.JSONField(_("points"), default=dict, blank=True)
    checks = models.JSONField(_("checklist"), default=dict, blank=True)
    remarks = models.TextField(_("remarks"), blank=True, max_length=3000)
    total = models.DecimalField(_("total"), **POINTS, null=True, blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["scores", "checks"])
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["declaration", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "inspector"], name="inspection_once_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.declaration} · {self.inspector}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class InspectionPhotoQuerySet(ScopedQuerySet):
    """A photo goes with its inspection: its inspector, the panel's leader, HQ."""

    group_lookup = "inspection__declaration__group"
    workshop_lookup = "inspection__declaration__group__workshop"
    policy = {VIEW: HQ_ONLY}

    def extra_q(self, user, action):
        if action != VIEW:
            return None
        return Q(inspection__inspector=user) | Q(inspection__declaration__panel__leader=user)


def inspection_photo_path(instance, filename):
    return f"homes/inspections/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=inspection_photo_path, max_length=200)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)
    mime = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = InspectionPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class NoticeQuerySet(ScopedQuerySet):
    # Everybody of the organisation with a role reads a public notice.
    group_lookup = None
    workshop_lookup = None
    policy = {VIEW: dict.fromkeys(Role, Reach.ALL), CONFIRM: HQ_ONLY}


class Notice(models.Model):
    """公示: the titles HQ proposes, published for a number of days so that anybody may
    object before the naming."""

    year = models.ForeignKey(
        CreationYear, verbose_name=_("year"), on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), blank=True, max_length=3000)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    declarations = models.ManyToManyField(
        Declaration, verbose_name=_("declarations"), related_name="notices"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="notice_ends_after_start", condition=Q(ends_on__gte=F("starts_on"))
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def scope_ids(self):
        return None, None

    def is_running(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class ObjectionQuerySet(ScopedQuerySet):
    """The objector is known to HQ only; each objector also sees their own objections."""

    group_lookup = "declaration__group"
    workshop_lookup = "declaration__group__workshop"
    policy = {VIEW: HQ_ONLY, CONFIRM: HQ_ONLY}

    def extra_q(self, user, action):
        return Q(filed_by=user) if action == VIEW else None

    def extra_allows(self, user, action, obj):
        return action == VIEW and obj.filed_by_id == user.pk


class Objection(models.Model):
    """An objection to a proposed title, filed while the notice runs and answered by HQ
    before the naming. Upheld, the declaration goes back to the panel's step."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("about"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    text = models.TextField(_("objection"), max_length=3000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, max_length=3000)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["filed_at", "pk"]

    def __str__(self):
        return f"{self.declaration} · {day_label(self.filed_at)}"

    @property
    def scope_ids(self):
        return self.declaration.group.workshop_id, self.declaration.group_id

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


# Titles -----------------------------------------------------------------------------------


class NamingDocumentQuerySet(ScopedQuerySet):
    # A naming is a public decision: everybody of the organisation reads it.
    group_lookup = None
    workshop_lookup = None
    policy = {VIEW: dict.fromkeys(Role, Reach.ALL)}


class NamingDocument(models.Model):
    """命名文件: HQ's decision naming the small homes of a notice, under its 文号."""

    year = models.ForeignKey(
        CreationYear, verbose_name=_("year"), on_delete=models.PROTECT, related_name="namings"
    )
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="namings"
    )
    document_no = models.CharField(_("document no. (文号)"), max_length=60, unique=True)
    named_on = models.DateField(_("named on"))
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = NamingDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("naming document")
        verbose_name_plural = _("naming documents")
        ordering = ["-named_on", "-pk"]

    def __str__(self):
        return self.document_no

    @property
    def scope_ids(self):
        return None, None


class TitleEnd(models.TextChoices):
    SUPERSEDED = "superseded", _("Followed by a higher title")
    DOWNGRADED = "downgraded", _("Downgraded at the re-check")
    WITHDRAWN = "withdrawn", _("Withdrawn after a check (责令摘牌)")
    GIVEN_UP = "given_up", _("Given up or dissolved (自动摘牌)")
    LAPSED = "lapsed", _("Lapsed at the end of its term (自然摘牌)")


class TitleQuerySet(ScopedQuerySet):
    # Titles are public honours: everybody of the organisation reads them; HQ ends them.
    policy = {VIEW: dict.fromkeys(Role, Reach.ALL), CONFIRM: HQ_ONLY}

    def current(self):
        return self.filter(ended_on__isnull=True)


class HomeTitle(models.Model):
    """A title a group held or holds (合格 / 先进 / 模范职工小家): from a naming, or from a
    re-check that downgraded the one before. Ending a title is a recorded step."""

    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="titles"
    )
    level = models.CharField(
        pgettext_lazy("small home title", "title"), max_length=10, choices=HomeLevel.choices
    )
    year = models.PositiveIntegerField(_("year"))
    document = models.ForeignKey(
        NamingDocument,
        verbose_name=_("document no. (文号)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="titles",
    )
    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, null=True, blank=True, related_name="titles"
    )
    certificate_no = models.CharField(_("certificate no."), max_length=40, unique=True)
    named_on = models.DateField(_("named on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end = models.CharField(_("how it ended"), max_length=12, choices=TitleEnd.choices, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = TitleQuerySet.as_manager()

    class Meta:
        verbose_name = _("small home title")
        verbose_name_plural = _("small home titles")
        ordering = ["-named_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(ended_on__isnull=True), name="title_one_current"
            ),
            models.CheckConstraint(
                name="title_end_has_reason",
                condition=Q(ended_on__isnull=True, end="")
                | (Q(ended_on__isnull=False) & ~Q(end="")),
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.get_level_display()} {self.year}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class HomeStep(models.TextChoices):
    """The steps of a group's timeline. A label may name the title, the points or the
    detail of the step; HomeEvent.text fills them in the reader's language."""

    PLAN_DRAFTED = "plan_drafted", _("Plan drafted")
    PLAN_SUBMITTED = "plan_submitted", _("Plan submitted to the workshop union")
    PLAN_APPROVED = "plan_approved", _("Plan approved; the small home is being built")
    PLAN_RETURNED = "plan_returned", _("Plan returned to the group")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment started")
    DECLARED = "declared", _("Declared to the workshop union")
    RECOMMENDED = "recommended", _("Recommended for %(level)s by the workshop union")
    SENT_BACK = "sent_back", _("Sent back: %(step)s")
    ASSIGNED = "assigned", _("Given to the inspection panel %(panel)s")
    INSPECTED = "inspected", _("Inspected on site by %(who)s")
    RECHECK_SIGNED_OFF = (
        "recheck_signed_off",
        _("Re-check signed off by the panel: %(points)s points"),
    )
    ACCEPTED = "accepted", _("Accepted by the panel: %(points)s points, %(level)s proposed")
    IN_NOTICE = "in_notice", _("In public notice until %(day)s")
    OBJECTION_UPHELD = (
        "objection_upheld",
        _("An objection was upheld; back to the panel's inspection"),
    )
    NAMED = "named", _("Named %(level)s small home (%(document)s)")
    RECHECK_OPENED = "recheck_opened", _("Re-check opened")
    RECHECK_DECIDED = "recheck_decided", _("Re-check: %(outcome)s")
    TITLE_ENDED = "title_ended", _("Title ended: %(end)s")


class HomeEvent(models.Model):
    """One step of a group's 小家, for its timeline: who, when, what, why. The step is
    stored as a code with its particulars, so each reader sees it in their language."""

    group = models.ForeignKey(UnionGroup, on_delete=models.CASCADE, related_name="home_events")
    step = models.CharField(_("step"), max_length=20, choices=HomeStep.choices)
    level = models.CharField(max_length=10, choices=HomeLevel.choices, blank=True)
    points = models.DecimalField(**POINTS, null=True, blank=True)
    # The panel's name, a date, a document number or the code of a status, by step.
    detail = models.CharField(max_length=100, blank=True)
    stage = models.CharField(max_length=20, blank=True)  # the group's stage after the step
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField(auto_now_add=True)
    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    plan = models.ForeignKey(
        CreationPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )

    class Meta:
        verbose_name = _("small home step")
        verbose_name_plural = _("small home steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["group", "at"], name="home_event_group_at")]

    def __str__(self):
        return f"{self.group_id} {self.step}"

    @property
    def text(self) -> str:
        """The step in the reader's language (`by` should be selected with it)."""

        def label(choices, code):
            return str(choices(code).label) if code in choices.values else code

        return str(self.get_step_display()) % {
            "level": label(HomeLevel, self.level) if self.level else "—",
            "points": self.points,
            "panel": self.detail,
            "day": self.detail,
            "document": self.detail,
            "step": label(DeclarationStatus, self.detail),
            "outcome": label(RecheckOutcome, self.detail),
            "end": label(TitleEnd, self.detail),
            "who": (self.by.name or self.by.username) if self.by_id else "",
        }
