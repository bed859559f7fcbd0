"""整改: one tracker of rectification items, whatever raised them — a congress resolution
(决议落实), a disclosure's feedback (公开意见整改), an inspection panel's remarks (检查整改) or
the union office itself. Each item has an owner (a department, and the login that reports
on it), a due date and a status; the owner reports completion with evidence, and the one
who raised it (or HQ) closes it (销号) or returns it."""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Role
from accounts.scoping import CHANGE, HQ_ONLY, VIEW, Reach, ScopedQuerySet
from groups.models import UnionGroup, WorkshopUnion

# Actions beyond VIEW and CHANGE (CHANGE: raising an item).
# Report completion with evidence: the owner's login; the office in scope only on items
# that name no owner login (it reports for the department then).
REPORT = "report"
CLOSE = "close"  # close (销号) or return an item: the raiser, or HQ

READERS = {
    Role.HQ: Reach.ALL,
    Role.WORKSHOP: Reach.WORKSHOP,
    Role.GROUP_LEADER: Reach.GROUP,
    Role.INSPECTOR: Reach.GROUP,
    Role.EVALUATOR: Reach.ALL,
}
OFFICES = {Role.HQ: Reach.ALL, Role.WORKSHOP: Reach.WORKSHOP}


class Kind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution follow-up")
    FEEDBACK = "feedback", _("Disclosure feedback")
    INSPECTION = "inspection", _("Inspection remarks")
    OTHER = "other", pgettext_lazy("rectification kind", "Other")


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("rectification", "In progress")
    SUBMITTED = "submitted", pgettext_lazy("rectification", "Awaiting acceptance")
    RETURNED = "returned", pgettext_lazy("rectification", "Returned")
    CLOSED = "closed", pgettext_lazy("rectification", "Closed")


# The statuses in which the owner still has to report.
TO_REPORT = (Status.OPEN, Status.RETURNED)


class RectificationQuerySet(ScopedQuerySet):
    """The item's own part of the organisation reads it (a workshop-level item, group
    null, reaches its workshop union and HQ); the inspection panel members read their
    groups' items, evaluators all. The owner's login and the raiser reach their own items
    whatever their roles. An item naming an owner login is reported by that login alone;
    the office in scope reports only those naming none."""

    group_lookup = "group"
    workshop_lookup = "workshop"
    policy = {
        VIEW: READERS,
        CHANGE: OFFICES,  # raise an item
        REPORT: OFFICES,  # on items naming no owner login: see scope_q and allows
        CLOSE: HQ_ONLY,
    }

    def scope_q(self, user, action=VIEW):
        if action != REPORT:
            return super().scope_q(user, action)
        office = self.q_for(user, self.scope(user, action))
        unowned = Q(owner_user__isnull=True)
        q = unowned if office is None else office & unowned
        if user is not None and user.is_authenticated and user.is_active:
            q |= self.extra_q(user, action)
        return q

    def allows(self, user, action, obj):
        if action == REPORT and obj.owner_user_id is not None:
            active = user is not None and user.is_authenticated and user.is_active
            return active and self.extra_allows(user, action, obj)
        return super().allows(user, action, obj)

    def workshops_in_reach(self, user, action=VIEW):
        """The workshop unions in which the user may take `action` on items, by this
        policy (as `groups_in_reach` gives the groups): the list's filter, the raise form's
        choices."""
        workshops = WorkshopUnion.objects.all()
        q = workshops.q_for(user, self.scope(user, action))
        return workshops if q is None else workshops.filter(q)

    def extra_q(self, user, action):
        if action == VIEW:
            return Q(owner_user=user) | Q(raised_by=user)
        if action == REPORT:
            return Q(owner_user=user)
        if action == CLOSE:
            return Q(raised_by=user)
        return None

    def extra_allows(self, user, action, obj):
        if action == VIEW:
            return user.pk in (obj.owner_user_id, obj.raised_by_id)
        if action == REPORT:
            return obj.owner_user_id is not None and obj.owner_user_id == user.pk
        if action == CLOSE:
            return obj.raised_by_id is not None and obj.raised_by_id == user.pk
        return False

    def may(self, user, action=VIEW, *, others=False):
        """A login whose roles reach no items may still own or have raised some (a
        department head named as the owner): their pages open on those (one query)."""
        if super().may(user, action, others=others):
            return True
        if not (user is not None and user.is_authenticated and user.is_active):
            return False
        extra = self.extra_q(user, action)
        return extra is not None and self.model._default_manager.filter(extra).exists()

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def not_closed(self):
        return self.exclude(status=Status.CLOSED)

    def overdue(self, today: date | None = None):
        return self.not_closed().filter(due_on__lt=today or timezone.localdate())

    def submitted(self):
        return self.filter(status=Status.SUBMITTED)

    # Closed on time: closed (销号) with completion by the due date — the one rule, for
    # filters and Count(filter=...); Rectification.closed_on_time is its per-item form.
    ON_TIME_Q = Q(status=Status.CLOSED, completed_on__isnull=False) & Q(
        completed_on__lte=models.F("due_on")
    )

    def closed_on_time(self):
        return self.filter(self.ON_TIME_Q)


class Rectification(models.Model):
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        related_name="rectifications",
        null=True,
        blank=True,
        help_text=_("Empty for an item of the workshop union or the enterprise."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what is to be put right"), blank=True, max_length=3000)
    owner_department = models.CharField(
        _("responsible department"),
        max_length=80,
        help_text=_("The department or person answerable for the item, e.g. 综采一队."),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by (login)"),
        on_delete=models.PROTECT,
        related_name="rectifications_owned",
        null=True,
        blank=True,
        help_text=_("The login that reports completion; empty: the raising office reports."),
    )
    due_on = models.DateField(_("due on"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="rectifications_raised",
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    report = models.TextField(_("completion report"), blank=True, max_length=3000)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True, max_length=1000)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("rectification", "closed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="rect_source"),
            models.Index(fields=["status", "due_on"], name="rect_status_due"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("rectifications:detail", args=[self.pk])

    def clean(self):
        if self.group_id and self.workshop_id and self.group.workshop_id != self.workshop_id:
            raise ValidationError(
                {"group": _("The union group is not of the item's workshop union.")}
            )

    @property
    def scope_ids(self):
        return self.workshop_id, self.group_id

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def is_overdue(self) -> bool:
        return not self.is_closed and self.due_on < timezone.localdate()

    @property
    def closed_on_time(self) -> bool:
        return self.is_closed and self.completed_on is not None and self.completed_on <= self.due_on

    @property
    def awaits_report(self) -> bool:
        return self.status in TO_REPORT

    @property
    def status_badge(self) -> str:
        return {
            Status.OPEN: "info",
            Status.SUBMITTED: "warn",
            Status.RETURNED: "danger",
            Status.CLOSED: "ok",
        }.get(self.status, "")


def evidence_path(instance, filename):
    return (
        f"rectifications/evidence/{date.today():%Y/%m}/{uuid.uuid4().hex}"
        f"{PurePath(filename).suffix}"
    )


class EvidenceQuerySet(ScopedQuerySet):
    """Evidence goes with its item: whoever reads the item reads its files."""

    group_lookup = "rectification__group"
    workshop_lookup = "rectification__workshop"
    policy = {VIEW: READERS}

    def extra_q(self, user, action):
        if action != VIEW:
            return None
        return Q(rectification__owner_user=user) | Q(rectification__raised_by=user)


class RectificationEvidence(models.Model):
    """A photo or document the owner attaches to the completion report."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(max_length=10)
    mime = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @property
    def scope_ids(self):
        return self.rectification.workshop_id, self.rectification.group_id

    @property
    def is_image(self) -> bool:
        return self.kind == "image"
