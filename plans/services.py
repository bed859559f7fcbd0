"""The steps on planned activities and monthly plans. Each checks the acting user with the
scope rule, takes its place in the year plan's life (homes.CreationPlan) and writes in one
transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, require_allowed
from activities import services as activity_services
from activities.models import Activity, ContentArea, MonthlyReport, ReportStatus
from activities.periods import month_end, month_start
from groups.models import UnionGroup
from homes.models import CreationPlan, PlanStatus
from unionhome.dates import month_label

from .models import MonthPlan, PlannedActivity

# What may be written when ----------------------------------------------------------------


def plan_of(group: UnionGroup, year: int, *, lock: bool = False) -> CreationPlan | None:
    """The group's creation plan of the year (locked for a change: a submission waits)."""
    plans = CreationPlan.objects.filter(group=group, year=year)
    if lock:
        plans = plans.select_for_update()
    return plans.first()


def year_items_open(plan: CreationPlan | None) -> bool:
    """The year plan's items are written while its creation plan is a draft or returned:
    what the workshop union approves is what it read."""
    return plan is not None and plan.is_editable


def additions_open(plan: CreationPlan | None) -> bool:
    """Once the year plan is approved, the month's additions (月落实) are written."""
    return plan is not None and plan.status == PlanStatus.APPROVED


def addition_month_open(month: date, today: date | None = None) -> bool:
    """An addition goes into the current month or a month to come, never one gone by."""
    return month >= month_start(today or timezone.localdate())


def item_editable(item: PlannedActivity, plan: CreationPlan | None) -> bool:
    """An item of the year plan is changed with its plan (draft, returned); an addition
    while it is not held and its month has not gone by."""
    if item.is_held:
        return False
    if item.added_after_approval:
        return additions_open(plan) and addition_month_open(item.month)
    return year_items_open(plan)


def item_closable(item: PlannedActivity, today: date | None = None) -> bool:
    """Held or not held is said of an item whose month has begun."""
    return item.month <= month_start(today or timezone.localdate())


def report_closed(group_id: int, month: date) -> bool:
    """The group's monthly report of the month is submitted or approved: planned against
    held is part of it and stays as reported (one query)."""
    return (
        MonthlyReport.objects.filter(group_id=group_id, month=month_start(month))
        .exclude(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
        .exists()
    )


def refuse_reported(group_id: int, month: date) -> None:
    if report_closed(group_id, month):
        raise ValidationError(
            _(
                "The monthly report of %(month)s is submitted: its planned activities stay "
                "as reported unless the workshop union returns it."
            )
            % {"month": month_label(month_start(month))}
        )


def _refuse_past(planned_on: date | None) -> None:
    if planned_on and planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("Plan for today or a day to come.")})


def refuse_closed(plan: CreationPlan | None, year: int) -> None:
    if plan is None:
        raise ValidationError(
            _("Write the group's creation plan for %(year)s first; its activities go with it.")
            % {"year": year}
        )
    if plan.status == PlanStatus.SUBMITTED:
        raise ValidationError(
            _(
                "The plan is with the workshop union: its activities cannot change until it "
                "is returned or approved."
            )
        )


# Planned activities -----------------------------------------------------------------------


def _check_area(area: ContentArea, old: PlannedActivity | None = None) -> None:
    if not area.is_active and (old is None or old.area_id != area.pk):
        raise ValidationError({"area": _("This content area is retired; choose another.")})


@transaction.atomic
def item_add(
    *,
    by,
    group: UnionGroup,
    year: int,
    planned_on: date,
    area: ContentArea,
    title: str,
    place: str = "",
    note: str = "",
) -> PlannedActivity:
    """Plan an activity. While the creation plan is a draft (or returned) it joins the year
    plan the workshop union approves; once approved, it is an addition to a month's plan
    (the current month or one to come)."""
    item = PlannedActivity(group=group, year=year, created_by=by)
    require_allowed(by, CHANGE, item)
    _refuse_past(planned_on)
    plan = plan_of(group, year, lock=True)
    if year_items_open(plan):
        item.added_after_approval = False
    elif additions_open(plan):
        item.added_after_approval = True
        if planned_on and planned_on.year == year and not addition_month_open(planned_on):
            raise ValidationError(
                {"planned_on": _("Add to the plan of this month or of a month to come.")}
            )
    else:
        refuse_closed(plan, year)
    _check_area(area)
    return _write(item, by, planned_on=planned_on, area=area, title=title, place=place, note=note)


@transaction.atomic
def item_change(
    *,
    by,
    item: PlannedActivity,
    planned_on: date,
    area: ContentArea,
    title: str,
    place: str = "",
    note: str = "",
) -> PlannedActivity:
    item = (
        PlannedActivity.objects.select_for_update(of=("self",))
        .select_related("group", "activity")
        .get(pk=item.pk)
    )
    require_allowed(by, CHANGE, item)
    plan = plan_of(item.group, item.year, lock=True)
    if not item_editable(item, plan):
        raise ValidationError(_("This planned activity can no longer be changed."))
    if planned_on != item.planned_on:
        _refuse_past(planned_on)
    if item.added_after_approval and not addition_month_open(month_start(planned_on)):
        raise ValidationError(
            {"planned_on": _("Add to the plan of this month or of a month to come.")}
        )
    _check_area(area, item)
    return _write(item, by, planned_on=planned_on, area=area, title=title, place=place, note=note)


def _write(item, by, *, planned_on, area, title, place, note) -> PlannedActivity:
    item.planned_on = planned_on
    item.month = month_start(planned_on)
    item.area = area
    item.title = title.strip()
    item.place = place.strip()
    item.note = note.strip()
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_remove(*, by, item: PlannedActivity) -> None:
    item = (
        PlannedActivity.objects.select_for_update(of=("self",))
        .select_related("group", "activity")
        .get(pk=item.pk)
    )
    require_allowed(by, CHANGE, item)
    if not item_editable(item, plan_of(item.group, item.year, lock=True)):
        raise ValidationError(_("This planned activity can no longer be changed."))
    item.delete()


def _open_to_close(item_pk: int, by) -> PlannedActivity:
    item = (
        PlannedActivity.objects.select_for_update(of=("self",))
        .select_related("group", "activity")
        .get(pk=item_pk)
    )
    require_allowed(by, CHANGE, item)
    if item.is_held:
        raise ValidationError(_("This planned activity is held already."))
    if not item_closable(item):
        raise ValidationError(_("Its month has not begun yet."))
    refuse_reported(item.group_id, item.month)
    return item


@transaction.atomic
def item_hold(*, by, item: PlannedActivity, attachments=(), **activity) -> Activity:
    """The planned activity is held: its activity is recorded (participants, photos, with
    activities' own rules) and tied to it, together or not at all."""
    item = _open_to_close(item.pk, by)
    held_on = activity.get("held_on")
    if held_on and not item.month <= held_on <= month_end(item.month):
        raise ValidationError(
            {
                "held_on": _("Choose a day of %(month)s, the month it was planned for.")
                % {"month": month_label(item.month)}
            }
        )
    held = activity_services.activity_create(
        by=by, group=item.group, attachments=attachments, **activity
    )
    item.activity = held
    item.reason_not_held = ""
    item.save(update_fields=["activity", "reason_not_held", "updated_at"])
    return held


def tie_choices(item: PlannedActivity):
    """The activities of the item's month the group took part in (its own, and those above
    the group its members joined) that no other planned activity of the group claims yet."""
    return (
        Activity.objects.alive()
        .of_groups([item.group_id])
        .filter(held_on__gte=item.month, held_on__lte=month_end(item.month))
        .exclude(planned_as__group=item.group_id)
        .select_related("area")
        .order_by("held_on", "pk")
    )


@transaction.atomic
def item_tie(*, by, item: PlannedActivity, activity: Activity) -> PlannedActivity:
    """The planned activity was held as an activity recorded that month."""
    item = _open_to_close(item.pk, by)
    if not tie_choices(item).filter(pk=activity.pk).exists():
        raise ValidationError(
            {
                "activity": _(
                    "Choose an activity of the group in %(month)s that no other planned "
                    "activity is tied to."
                )
                % {"month": month_label(item.month)}
            }
        )
    item.activity = activity
    item.reason_not_held = ""
    item.save(update_fields=["activity", "reason_not_held", "updated_at"])
    return item


@transaction.atomic
def item_not_held(*, by, item: PlannedActivity, reason: str) -> PlannedActivity:
    """The planned activity was not held (or will not be): the reason is recorded."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it was not held.")})
    item = _open_to_close(item.pk, by)
    item.reason_not_held = reason.strip()
    item.full_clean()
    item.save(update_fields=["reason_not_held", "updated_at"])
    return item


# Monthly plans ----------------------------------------------------------------------------


@transaction.atomic
def month_plan_save(*, by, group: UnionGroup, month: date, arrangements: str) -> MonthPlan:
    """Write the month's arrangements (月安排), for the current month or one to come."""
    month = month_start(month)
    # The group's row is locked first: two first saves of the month wait for each other
    # instead of one failing on the month's unique constraint.
    UnionGroup.objects.select_for_update().filter(pk=group.pk).first()
    plan = MonthPlan.objects.select_for_update().filter(group=group, month=month).first()
    plan = plan or MonthPlan(group=group, month=month)
    require_allowed(by, CHANGE, plan)
    if not addition_month_open(month):
        raise ValidationError(_("A month gone by keeps the plan it had."))
    refuse_reported(group.pk, month)
    if not arrangements.strip():
        raise ValidationError({"arrangements": _("Write the month's arrangements.")})
    plan.arrangements = arrangements.strip()
    plan.updated_by = by
    plan.full_clean()
    plan.save()
    return plan
