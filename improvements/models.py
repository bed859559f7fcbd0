"""合理化建议: a member's improvement suggestion (filed by the member's own login or by their
leader or workshop union on their behalf), screened by the member's workshop union (采纳,
不采纳 with a reason, 转为提案), implemented with its effect recorded, awarded, and listed to
the organisation's members once decided (公示).

The kinds of effect and the award levels with their default amounts are data HQ keeps in
the admin site."""

import uuid
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from accounts.scoping import OWN_PART, VIEW, Reach, ScopedQuerySet
from groups.models import Member, UnionGroup, WorkshopUnion
from unionhome.models import SingleRecord

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}

# Actions beyond VIEW.
FILE = "file"  # file a suggestion for a member (the member themselves or on their behalf)
SCREEN = "screen"  # 采纳 / 不采纳 / 转为提案: the member's workshop union, HQ
IMPLEMENT = "implement"  # record the implementation and its effect
AWARD = "award"
PUBLISH = "publish"  # the 公示 flag
EXPORT = "export"  # the register (台账) as a workbook
PUBLIC = "public"  # the public list of decided suggestions (every login of the organisation)

HQ_AND_WORKSHOP = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}
EVERY_ROLE = [r.value for r in Role]


class ImprovementSettings(SingleRecord):
    """One record, edited by HQ in the admin site: how the union numbers its suggestions."""

    number_prefix = models.CharField(
        _("suggestion number prefix"),
        max_length=8,
        default="HL",
        validators=[
            RegexValidator(r"^[A-Za-z0-9]+$", _("Letters and digits only, e.g. HL or JY."))
        ],
        help_text=_(
            "Put before the year and the sequence of each new suggestion's number: HL gives "
            "HL2026-0001. Numbers already given are kept."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion rules")
        verbose_name_plural = _("suggestion rules")

    def __str__(self):
        return str(_("suggestion rules"))


class EffectKind(models.Model):
    """A kind of effect a suggestion had (降本增效, 安全生产, 提高效率 …): data HQ keeps."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("kind of effect")
        verbose_name_plural = _("kinds of effect")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class AwardLevel(models.Model):
    """An award level for suggestions (一等奖 …) and its default amount: data HQ keeps; the
    amount awarded may differ from the default."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    amount = models.DecimalField(_("default amount (yuan)"), **MONEY)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("award level")
        verbose_name_plural = _("award levels")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for screening")
    ADOPTED = "adopted", pgettext_lazy("suggestion", "Adopted")
    REJECTED = "rejected", pgettext_lazy("suggestion", "Not adopted")
    MOTION = "motion", _("Turned into a motion")


DECIDED = (Status.ADOPTED, Status.REJECTED, Status.MOTION)
TAKEN_UP = (Status.ADOPTED, Status.MOTION)


class ImprovementQuerySet(ScopedQuerySet):
    """A suggestion belongs to the group and workshop union of its member when filed. The
    member reads and files their own (SELF); the group leader files for and reads their
    group's; the workshop union screens its own; HQ everything. Decided suggestions marked
    public are listed to every login of the organisation (PUBLIC)."""

    group_lookup = "group"
    workshop_lookup = "workshop"
    member_lookup = "member"
    policy = {
        VIEW: {**OWN_PART, Role.MEMBER: Reach.SELF},
        FILE: {**OWN_PART, Role.MEMBER: Reach.SELF},
        SCREEN: HQ_AND_WORKSHOP,
        IMPLEMENT: HQ_AND_WORKSHOP,
        AWARD: HQ_AND_WORKSHOP,
        PUBLISH: HQ_AND_WORKSHOP,
        EXPORT: OWN_PART,
        PUBLIC: dict.fromkeys(EVERY_ROLE, Reach.PUBLISHED),
    }

    def rule_q(self, user, rule):
        return Q(is_public=True, status__in=DECIDED)


class Improvement(models.Model):
    """One 合理化建议 and what became of it."""

    number = models.CharField(_("suggestion no."), max_length=20, unique=True)
    member = models.ForeignKey(
        Member, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="improvements"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf = models.BooleanField(_("filed on the member's behalf"), default=False)
    filed_on = models.DateField(_("date proposed"))
    filed_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    title = models.CharField(_("title"), max_length=100)
    problem = models.TextField(_("the problem"))
    proposal = models.TextField(_("the proposal"))
    expected_effect = models.TextField(_("expected effect"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("screened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reject_reason = models.TextField(_("reason for not adopting"), blank=True)
    screening_note = models.TextField(_("screening note"), blank=True)
    responsible = models.CharField(
        _("responsible department or person"), max_length=100, blank=True
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    implementation = models.TextField(_("implementation"), blank=True)
    yuan_saved = models.DecimalField(_("yuan saved"), null=True, blank=True, **MONEY)
    effect_kinds = models.ManyToManyField(
        EffectKind, verbose_name=_("effects"), blank=True, related_name="+"
    )
    award_level = models.ForeignKey(
        AwardLevel,
        verbose_name=_("award level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    award_amount = models.DecimalField(_("award (yuan)"), null=True, blank=True, **MONEY)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_public = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("Decided suggestions marked public are listed to every member."),
    )

    objects = ImprovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement suggestion")
        verbose_name_plural = _("improvement suggestions")
        ordering = ["-filed_on", "-pk"]
        indexes = [
            models.Index(fields=["workshop", "status"], name="improvement_workshop_status"),
            models.Index(fields=["group", "filed_on"], name="improvement_group_filed"),
        ]
        constraints = [
            models.CheckConstraint(
                name="improvement_award_has_level",
                condition=Q(award_amount__isnull=True) | Q(award_level__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def scope_ids(self):
        return self.workshop_id, self.group_id

    @property
    def year(self) -> int:
        return self.filed_on.year

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED

    @property
    def is_implemented(self) -> bool:
        return self.implemented_on is not None

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == Status.ADOPTED
            and self.implemented_on is None
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


def attachment_path(instance, filename):
    return f"improvements/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class ImprovementFileQuerySet(ScopedQuerySet):
    group_lookup = "improvement__group"
    workshop_lookup = "improvement__workshop"
    member_lookup = "improvement__member"
    policy = {VIEW: {**OWN_PART, Role.MEMBER: Reach.SELF}}


class ImprovementFile(models.Model):
    """A file attached to a suggestion (a sketch, a photo of the spot, a calculation)."""

    improvement = models.ForeignKey(
        Improvement, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    mime = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ImprovementFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @property
    def scope_ids(self):
        return self.improvement.workshop_id, self.improvement.group_id
