"""送温暖 campaigns (a list of members from the hardship archive and the members' flags,
confirmed by each workshop union and paid in one batch per workshop union) and 爱心捐款
drives (who gave what, who was helped, and a public account)."""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from accounts.scoping import CHANGE, HQ_ONLY, OWN_PART, VIEW, Reach, ScopedQuerySet
from groups.models import Gender, Member, UnionGroup, WorkshopUnion
from welfare.models import DETAILS, EXPORT, HQ_AND_WORKSHOP, MONEY

# Actions beyond VIEW and CHANGE.
PROPOSE = "propose"  # define the standards and make the list (HQ)
APPROVE = "approve"
CONFIRM = "confirm"  # a workshop union confirms its part of the list
VISIT = "visit"  # record the festival visit of an entry
MENU = "menu"  # the donation drives in the main menu
ACTIONS = frozenset({VIEW, CHANGE, DETAILS, EXPORT, PROPOSE, APPROVE, CONFIRM, VISIT})


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign", "Draft")
    PROPOSED = "proposed", _("List made, waiting for the workshop unions")
    APPROVED = "approved", pgettext_lazy("campaign", "Approved, being paid")
    PAYING = "paying", _("Partly paid")
    CLOSED = "closed", pgettext_lazy("campaign", "Closed")


class CampaignMethod(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    CASH = "cash", _("Cash")


class MemberCategory(models.TextChoices):
    """Member categories the code knows how to find in the member records; the amounts are
    the campaign's standards (data)."""

    MODEL_WORKER = "model_worker", _("Model worker")
    RETIRED = "retired", _("Retired member")
    WOMEN = "women", _("Woman worker")


# How each category is found among the members (the mechanism; amounts are data).
CATEGORY_FILTERS = {
    MemberCategory.MODEL_WORKER: Q(is_model_worker=True) | Q(model_worker_level__isnull=False),
    MemberCategory.RETIRED: Q(is_retired=True),
    MemberCategory.WOMEN: Q(gender=Gender.FEMALE),
}


class CampaignKind(models.Model):
    """A kind of 送温暖 campaign (元旦春节送温暖, 夏季送清凉, 金秋助学): data HQ keeps in the
    admin site."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40, unique=True)
    classes_only = models.BooleanField(
        _("hardship classes only"),
        default=False,
        help_text=_(
            "Tick for a campaign given by hardship class only (金秋助学): member categories "
            "such as model workers cannot have a standard."
        ),
    )
    review_within_months = models.PositiveSmallIntegerField(
        _("archive reviewed within (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_(
            "A member in the hardship archive is on the list only if the entry was reviewed "
            "within this many months."
        ),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("campaign kind")
        verbose_name_plural = _("campaign kinds")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name


class CampaignQuerySet(ScopedQuerySet):
    """A campaign belongs to the whole organisation. HQ's welfare staff run it; a workshop
    union and a group leader see a campaign once its list is made (their part of the list
    is scoped on the entries)."""

    group_lookup = None
    workshop_lookup = None
    policy = {
        VIEW: {
            Role.HQ: Reach.ALL,
            Role.WORKSHOP: Reach.PUBLISHED,
            Role.GROUP_LEADER: Reach.PUBLISHED,
        },
        CHANGE: HQ_ONLY,
        PROPOSE: HQ_ONLY,
        APPROVE: HQ_ONLY,
        EXPORT: HQ_ONLY,
    }
    role_flags = {Role.HQ: "handles_welfare"}
    flagged_actions = ACTIONS

    def rule_q(self, user, rule):
        return ~Q(status=CampaignStatus.DRAFT)


class Campaign(models.Model):
    """One 送温暖 campaign: its standards, the list of members and their amounts."""

    number = models.CharField(_("campaign no."), max_length=20, unique=True)
    kind = models.ForeignKey(
        CampaignKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=60)
    fund = models.ForeignKey(
        "funds.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(
        _("payment method"),
        max_length=10,
        choices=CampaignMethod.choices,
        default=CampaignMethod.CASH,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    approval_note = models.CharField(_("approval note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "-pk"]

    def __str__(self):
        return self.title

    @property
    def scope_ids(self):
        return None, None

    @property
    def log_target(self) -> str:
        return f"campaign-{self.pk}"


class CampaignStandard(models.Model):
    """The amount a campaign gives for a hardship class or for a member category."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="standards")
    hardship_class = models.ForeignKey(
        "welfare.HardshipClass",
        verbose_name=_("hardship class"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(
        _("member category"), max_length=20, choices=MemberCategory.choices, blank=True
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("campaign standard")
        verbose_name_plural = _("campaign standards")
        ordering = ["-amount", "pk"]
        constraints = [
            models.CheckConstraint(
                name="standard_class_or_category",
                condition=Q(hardship_class__isnull=False, category="")
                | Q(hardship_class__isnull=True) & ~Q(category=""),
            ),
            models.UniqueConstraint(
                fields=["campaign", "hardship_class"],
                condition=Q(hardship_class__isnull=False),
                name="standard_class_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "category"],
                condition=~Q(category=""),
                name="standard_category_once",
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.amount}"

    @property
    def label(self) -> str:
        if self.hardship_class_id:
            return self.hardship_class.name
        return str(MemberCategory(self.category).label)


class CampaignWorkshopQuerySet(ScopedQuerySet):
    group_lookup = None
    workshop_lookup = "workshop"
    policy = {
        VIEW: HQ_AND_WORKSHOP,
        CONFIRM: {Role.WORKSHOP: Reach.WORKSHOP},
    }
    role_flags = {Role.HQ: "handles_welfare"}
    flagged_actions = ACTIONS


class CampaignWorkshop(models.Model):
    """A workshop union's part of a campaign: its confirmation and its payment batch."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="workshops")
    workshop = models.ForeignKey(
        WorkshopUnion, verbose_name=_("workshop union"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    batch = models.OneToOneField(
        "funds.PaymentBatch",
        verbose_name=_("payment batch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_part",
    )

    objects = CampaignWorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["workshop__sort_order", "workshop__pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "workshop"], name="campaign_workshop_once")
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.workshop_id}"

    @property
    def scope_ids(self):
        return self.workshop_id, None


class EntryQuerySet(ScopedQuerySet):
    """An entry belongs to the workshop union and group the member was in when the list was
    made. HQ's welfare staff and the workshop union see it all; the group leader sees the
    name and the amount of their group's entries (they do the visiting), never the class or
    the reasons; nobody else sees anything."""

    group_lookup = "group"
    workshop_lookup = "workshop"
    policy = {
        VIEW: OWN_PART,
        DETAILS: HQ_AND_WORKSHOP,
        CHANGE: HQ_AND_WORKSHOP,
        VISIT: OWN_PART,
    }
    role_flags = {Role.HQ: "handles_welfare"}
    flagged_actions = ACTIONS

    def listed(self):
        return self.filter(removed=False)


class CampaignEntry(models.Model):
    """One member on a campaign's list: the standard proposed, the amount given and why it
    differs, added or removed by the workshop union with a reason."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    workshop = models.ForeignKey(
        WorkshopUnion, verbose_name=_("workshop union"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    standard = models.ForeignKey(
        CampaignStandard, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What put the member on the list: the hardship class's name (data) or the category.
    basis = models.CharField(_("hardship class"), max_length=40, blank=True)
    category = models.CharField(
        _("member category"), max_length=20, choices=MemberCategory.choices, blank=True
    )
    standard_amount = models.DecimalField(_("standard"), **MONEY)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    change_reason = models.CharField(_("reason for the change"), max_length=200, blank=True)
    added = models.BooleanField(_("added by the workshop union"), default=False)
    added_reason = models.CharField(_("reason for adding"), max_length=200, blank=True)
    removed = models.BooleanField(_("removed"), default=False)
    removed_reason = models.CharField(_("reason for removing"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    payment_line = models.OneToOneField(
        "funds.PaymentLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_entry",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign entry")
        verbose_name_plural = _("campaign entries")
        ordering = ["workshop__sort_order", "workshop__pk", "group__pk", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="campaign_member_once")
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.member_id} {self.amount}"

    @property
    def scope_ids(self):
        return self.workshop_id, self.group_id

    @property
    def changed(self) -> bool:
        return self.amount != self.standard_amount

    @property
    def basis_label(self) -> str:
        return self.basis or (self.get_category_display() if self.category else "")


def visit_photo_path(instance, filename):
    return f"campaigns/{date.today():%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class CampaignVisitQuerySet(ScopedQuerySet):
    group_lookup = "entry__group"
    workshop_lookup = "entry__workshop"
    policy = {VIEW: OWN_PART}
    role_flags = {Role.HQ: "handles_welfare"}
    flagged_actions = ACTIONS


class CampaignVisit(models.Model):
    """The festival visit of an entry, with its photo (the care visit itself is welfare's)."""

    entry = models.OneToOneField(CampaignEntry, on_delete=models.CASCADE, related_name="visit")
    care_visit = models.OneToOneField(
        "welfare.CareVisit", on_delete=models.PROTECT, related_name="campaign_visit"
    )
    photo = models.FileField(_("photo"), upload_to=visit_photo_path, max_length=200)
    thumbnail = models.FileField(upload_to=visit_photo_path, max_length=200, blank=True)
    mime = models.CharField(max_length=60)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign visit")
        verbose_name_plural = _("campaign visits")

    def __str__(self):
        return f"{self.entry_id}"

    @property
    def scope_ids(self):
        return self.entry.workshop_id, self.entry.group_id


# 爱心捐款 ----------------------------------------------------------------------------------


class DriveStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("drive", "Open")
    CLOSED = "closed", pgettext_lazy("drive", "Closed")


class DriveQuerySet(ScopedQuerySet):
    """A donation drive and its public account are the organisation's: every login reads
    them (PUBLISHED); HQ's welfare staff run them."""

    group_lookup = None
    workshop_lookup = None
    policy = {
        VIEW: {
            Role.HQ: Reach.PUBLISHED,
            Role.WORKSHOP: Reach.PUBLISHED,
            Role.GROUP_LEADER: Reach.PUBLISHED,
            Role.EVALUATOR: Reach.PUBLISHED,
            Role.INSPECTOR: Reach.PUBLISHED,
            Role.MEMBER: Reach.PUBLISHED,
        },
        # The main menu's entry: the staff's menus (a member's menu stays the portal's
        # short one; the member opens the public account from a link).
        MENU: {
            Role.HQ: Reach.PUBLISHED,
            Role.WORKSHOP: Reach.PUBLISHED,
            Role.GROUP_LEADER: Reach.PUBLISHED,
            Role.EVALUATOR: Reach.PUBLISHED,
            Role.INSPECTOR: Reach.PUBLISHED,
        },
        CHANGE: HQ_ONLY,
        DETAILS: HQ_ONLY,
    }
    role_flags = {Role.HQ: "handles_welfare"}
    flagged_actions = ACTIONS - {VIEW, MENU}

    def rule_q(self, user, rule):
        return Q(pk__isnull=False)  # every drive (an empty Q would add nothing to an OR)


class DonationDrive(models.Model):
    """An 爱心捐款 drive: the donations received (funds income of the donations fund) and the
    members helped from it (paid through a funds batch)."""

    title = models.CharField(_("title"), max_length=60)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    fund = models.ForeignKey(
        "funds.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DriveStatus.choices, default=DriveStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DriveQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation drive")
        verbose_name_plural = _("donation drives")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="drive_dates", condition=Q(ends_on__gte=models.F("starts_on"))
            )
        ]

    def __str__(self):
        return self.title

    @property
    def scope_ids(self):
        return None, None


class Donation(models.Model):
    """A gift to a drive, by a member or by a unit, with its receipt."""

    drive = models.ForeignKey(DonationDrive, on_delete=models.PROTECT, related_name="donations")
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    received_on = models.DateField(_("received on"))
    receipt_no = models.CharField(_("receipt no."), max_length=40, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("The donor asked not to be named in the public account."),
    )
    income = models.OneToOneField(
        "funds.FundIncome", on_delete=models.PROTECT, related_name="donation"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="donation_member_or_unit",
                condition=Q(member__isnull=False, unit="") | Q(member__isnull=True) & ~Q(unit=""),
            ),
            models.CheckConstraint(name="donation_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return f"{self.donor} {self.amount}"

    @property
    def donor(self) -> str:
        return self.member.name if self.member_id else self.unit


class DonationGrant(models.Model):
    """A member helped from a drive: the amount and why (sensitive: HQ's welfare staff
    only), paid through a funds batch."""

    drive = models.ForeignKey(DonationDrive, on_delete=models.PROTECT, related_name="grants")
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    workshop = models.ForeignKey(WorkshopUnion, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    reason = models.CharField(_("reason"), max_length=200)
    payment_line = models.OneToOneField(
        "funds.PaymentLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donation_grant",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("donation recipient")
        verbose_name_plural = _("donation recipients")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(name="grant_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self):
        return f"{self.member_id} {self.amount}"
