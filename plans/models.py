"""建家计划: the planned activities by month of a group's year plan, and its monthly plans.

The year plan itself is the group's 创建方案 (homes.CreationPlan: goals per content area,
approved by the workshop union). Its planned activities are written while that plan is a
draft (or returned) and go to the workshop union with it (年计划); once it is approved the
leader adds the month's own arrangements and extra items (月安排、月落实). A planned
activity is held when an activity is recorded for it (with participants and photos), or
not held with a reason.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE, OWN_PART, RECORDS_READERS, VIEW, ScopedQuerySet
from activities.models import Activity, ContentArea
from groups.models import UnionGroup
from unionhome.dates import day_label


class PlannedActivityQuerySet(ScopedQuerySet):
    """Read as the group's records are (its own part, evaluators, its inspection panel);
    written by its own part, like the creation plan they belong to."""

    policy = {VIEW: RECORDS_READERS, CHANGE: OWN_PART}


class PlannedActivity(models.Model):
    """One activity a group plans for a day of a month (dated ahead)."""

    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        related_name="planned_activities",
    )
    year = models.PositiveIntegerField(_("year"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    planned_on = models.DateField(_("planned date"))
    area = models.ForeignKey(
        ContentArea,
        verbose_name=_("content area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=100)
    place = models.CharField(_("place"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A ForeignKey, not one-to-one: an activity above the group is held once for each
    # group that took part, so each of those groups' plans may claim it (once per group).
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity held"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_as",
    )
    reason_not_held = models.TextField(_("reason it was not held"), blank=True, max_length=500)
    added_after_approval = models.BooleanField(
        _("added to the month's plan"),
        default=False,
        help_text=_("Added after the year plan was approved (月落实)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlannedActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["planned_on", "pk"]
        indexes = [
            models.Index(fields=["group", "year"], name="planned_group_year"),
            models.Index(fields=["planned_on"], name="planned_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "group"],
                condition=models.Q(activity__isnull=False),
                name="planned_activity_once_per_group",
            ),
        ]

    def __str__(self):
        return f"{day_label(self.planned_on, 'short')} {self.title}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id

    @property
    def is_held(self) -> bool:
        """Held: tied to an activity that still stands (a deleted one holds nothing)."""
        return self.activity_id is not None and self.activity.deleted_at is None

    def clean(self):
        if self.planned_on:
            if self.year and self.planned_on.year != self.year:
                raise ValidationError(
                    {"planned_on": _("Choose a day of %(year)s.") % {"year": self.year}}
                )
            if self.month and self.planned_on.replace(day=1) != self.month:
                raise ValidationError({"planned_on": _("Choose a day of the item's month.")})


class MonthPlanQuerySet(ScopedQuerySet):
    policy = {VIEW: RECORDS_READERS, CHANGE: OWN_PART}


class MonthPlan(models.Model):
    """月安排: what the group arranges for a month, in the leader's words."""

    group = models.ForeignKey(
        UnionGroup,
        verbose_name=_("union group"),
        on_delete=models.PROTECT,
        related_name="month_plans",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    arrangements = models.TextField(_("arrangements of the month"), max_length=3000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MonthPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly plan")
        verbose_name_plural = _("monthly plans")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="month_plan_once"),
        ]

    def __str__(self):
        return f"{self.group} {day_label(self.month, 'month')}"

    @property
    def scope_ids(self):
        return self.group.workshop_id, self.group_id
