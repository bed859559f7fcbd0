"""Care tasks (关怀任务): what the union's rules ask a group to do for a member, and when.

The occasions (birthdays, hospital stays, weddings, births, bereavements, members not
visited for long, festival visits to the hardship archive) and the festivals' dates are data
HQ keeps in the admin site; the code only knows how each occasion finds its members.
"""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from accounts.scoping import CHANGE, HQ_ONLY, OWN_PART, VIEW, Reach, ScopedQuerySet
from groups.models import Member, UnionGroup
from welfare.models import CareVisit, VisitKind

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
DAYS = [MaxValueValidator(366)]

# Whose to-do list holds a task: the group leader does their group's tasks, the workshop
# union watches its groups' late ones, HQ does the HQ tasks (劳模 birthdays).
WORK = "work"
OVERSEE = "oversee"
# The per-workshop overview of every group's tasks.
OVERVIEW = "overview"


class Trigger(models.TextChoices):
    """How an occasion finds its members: the mechanism behind each row of CareOccasion."""

    BIRTHDAY = "birthday", _("Birthday")
    HOSPITAL = "hospital", _("Hospital stay")
    WEDDING = "wedding", _("Wedding")
    BIRTH = "birth", _("Birth of a child")
    BEREAVEMENT = "bereavement", _("Bereavement")
    NOT_VISITED = "not_visited", _("Not visited for a long time")
    FESTIVAL = "festival", _("Festival visit to archive members")


# What a leader reports (the others the system finds by itself).
EVENT_TRIGGERS = (Trigger.HOSPITAL, Trigger.WEDDING, Trigger.BIRTH, Trigger.BEREAVEMENT)


class EventKind(models.TextChoices):
    HOSPITAL = Trigger.HOSPITAL.value, Trigger.HOSPITAL.label
    WEDDING = Trigger.WEDDING.value, Trigger.WEDDING.label
    BIRTH = Trigger.BIRTH.value, Trigger.BIRTH.label
    BEREAVEMENT = Trigger.BEREAVEMENT.value, Trigger.BEREAVEMENT.label


class CareOccasion(models.Model):
    """One occasion the union marks (生日、住院、婚丧喜庆 …): when its task is due, the gift
    standard and who does it. HQ edits them; the kinds themselves are fixed."""

    code = models.CharField(_("occasion"), max_length=20, choices=Trigger.choices, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=40)
    visit_kind = models.CharField(
        _("recorded as visit of kind"), max_length=20, choices=VisitKind.choices
    )
    lead_days = models.PositiveSmallIntegerField(
        _("task appears days before"),
        default=0,
        validators=DAYS,
        help_text=_(
            "How many days before the date (the birthday, the day the festival visits are "
            "due) the task appears on the list."
        ),
    )
    due_days = models.PositiveSmallIntegerField(
        _("due days after"),
        default=0,
        validators=DAYS,
        help_text=_(
            "The visit is due this many days after the date (0: on the day). For a reported "
            "event, counted from the day it is reported if that is later."
        ),
    )
    gift_standard = models.DecimalField(_("gift standard (yuan)"), **MONEY, null=True, blank=True)
    gift_description = models.CharField(
        _("gift"),
        max_length=100,
        blank=True,
        help_text=_("In words, e.g. one birthday cake voucher."),
    )
    hq_for_model_workers = models.BooleanField(
        _("also an HQ task for model workers"),
        default=False,
        help_text=_("Model workers get a second task for union HQ (birthdays)."),
    )
    hq_gift_standard = models.DecimalField(
        _("HQ gift standard (yuan)"), **MONEY, null=True, blank=True
    )
    hq_gift_description = models.CharField(_("HQ gift"), max_length=100, blank=True)
    interval_days = models.PositiveSmallIntegerField(
        _("not visited for days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(7), MaxValueValidator(3660)],
        help_text=_("Only for members not visited for long: the days without a visit."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("care occasion")
        verbose_name_plural = _("care occasions")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.code == Trigger.NOT_VISITED and not self.interval_days:
            raise ValidationError(
                {"interval_days": _("Say after how many days without a visit the task is made.")}
            )


class Festival(models.Model):
    """A festival on its date in one year (lunar festivals move, so every year is data):
    the archive members' visits are due some days before it."""

    name = models.CharField(pgettext_lazy("thing", "name"), max_length=20)
    date = models.DateField(_("date"))
    visit_days_before = models.PositiveSmallIntegerField(
        _("visits due days before"),
        default=7,
        validators=DAYS,
        help_text=_("The archive members' visits are due this many days before the festival."),
    )

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "date"],
                name="festival_once_a_day",
                violation_error_message=_("This festival is already on that date."),
            )
        ]

    def __str__(self):
        return f"{self.date.year}年{self.name}"

    @property
    def visits_due_on(self) -> date:
        return self.date - timedelta(days=self.visit_days_before)


class LifeEventQuerySet(ScopedQuerySet):
    group_lookup = "group"
    workshop_lookup = "group__workshop"
    policy = {VIEW: OWN_PART, CHANGE: OWN_PART}


class LifeEvent(models.Model):
    """A hospital stay, wedding, birth or bereavement a leader (or the workshop union)
    reports for a member of the group. The note stays short: what a hospital stay is for
    is the member's own, read only within the group, its workshop union and HQ."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="life_events"
    )
    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    happened_on = models.DateField(_("date"))
    note = models.CharField(
        _("note"),
        max_length=60,
        blank=True,
        help_text=_("A few words (e.g. the hospital and ward); no diagnosis."),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    objects = LifeEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported life event")
        verbose_name_plural = _("reported life events")
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "happened_on"],
                name="lifeevent_once",
                violation_error_message=_("This is already reported for the member on that day."),
            )
        ]

    def __str__(self):
        return f"{self.happened_on} {self.member.name} {self.get_kind_display()}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("care task", "Open")
    DONE = "done", pgettext_lazy("care task", "Done")
    CANCELLED = "cancelled", pgettext_lazy("care task", "Cancelled")


class CareTaskQuerySet(ScopedQuerySet):
    """A group's tasks reach its own part of the organisation; an HQ task (劳模 birthday)
    reaches HQ alone, whatever group the member is in."""

    group_lookup = "group"
    workshop_lookup = "group__workshop"
    policy = {
        VIEW: OWN_PART,
        CHANGE: OWN_PART,
        WORK: {Role.GROUP_LEADER: Reach.GROUP},
        OVERSEE: {Role.WORKSHOP: Reach.WORKSHOP},
    }
    # What reaches the HQ tasks, action by action.
    hq_policy = {VIEW: HQ_ONLY, CHANGE: HQ_ONLY, WORK: HQ_ONLY, OVERVIEW: HQ_ONLY}

    def hq_reach(self, user, action: str) -> bool:
        return self.scope_by(
            user, lambda role: self.hq_policy.get(action, {}).get(role, Reach.NONE)
        ).everything

    def scope_q(self, user, action: str = VIEW) -> Q:
        group_rows = super().scope_q(user, action)
        q = Q(hq=False) if group_rows is None else Q(hq=False) & group_rows
        return q | Q(hq=True) if self.hq_reach(user, action) else q

    def may(self, user, action: str = VIEW, *, others: bool = False) -> bool:
        return super().may(user, action, others=others) or self.hq_reach(user, action)

    def allows(self, user, action: str, obj) -> bool:
        if obj.hq:
            return self.hq_reach(user, action)
        return super().allows(user, action, obj)

    def open(self):
        return self.filter(status=TaskStatus.OPEN)


def photo_path(instance, filename):
    return f"caretasks/{date.today():%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


def thumb_path(instance, filename):
    return f"caretasks/thumbs/{date.today():%Y/%m}/{uuid.uuid4().hex}.jpg"


class CareTask(models.Model):
    """One visit the union owes a member on an occasion: the group's (or, for a model
    worker's birthday, also HQ's), due on a day, with the gift standard of the day it was
    made. Closed by a visit record with a photo; made once per occasion, member and date."""

    group = models.ForeignKey(
        UnionGroup, verbose_name=_("union group"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="care_tasks"
    )
    occasion = models.ForeignKey(
        CareOccasion, verbose_name=_("occasion"), on_delete=models.PROTECT, related_name="tasks"
    )
    event = models.ForeignKey(
        LifeEvent,
        verbose_name=_("reported event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    festival = models.ForeignKey(
        Festival,
        verbose_name=_("festival"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    for_date = models.DateField(_("date of the occasion"))
    due_on = models.DateField(_("due on"))
    hq = models.BooleanField(_("HQ task"), default=False)
    assignee = models.CharField(_("assigned to"), max_length=50, blank=True)
    gift_standard = models.DecimalField(_("gift standard (yuan)"), **MONEY, null=True, blank=True)
    gift_description = models.CharField(_("gift"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    visit = models.OneToOneField(
        CareVisit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_task",
    )
    photo = models.FileField(upload_to=photo_path, blank=True, max_length=200)
    photo_mime = models.CharField(max_length=40, blank=True)
    photo_thumb = models.FileField(upload_to=thumb_path, blank=True, max_length=200)

    objects = CareTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("care task")
        verbose_name_plural = _("care tasks")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="caretask_status_due"),
            models.Index(fields=["group", "status", "due_on"], name="caretask_group_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "member", "for_date", "hq"], name="caretask_once"
            ),
            models.CheckConstraint(
                name="caretask_done_has_visit",
                condition=~Q(status="done") | Q(visit__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.due_on} {self.member.name} {self.occasion.name}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    def is_late(self, today: date) -> bool:
        return self.status == TaskStatus.OPEN and self.due_on < today
