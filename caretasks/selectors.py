"""What the care task pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from accounts.scoping import VIEW

from .models import OVERSEE, OVERVIEW, WORK, CareTask, TaskStatus

SOON_DAYS = 3  # a leader's to-do holds the open tasks due within three days


def task_rows(*, user, status: str, group_id=None, workshop_id=None, when="", today=None):
    """The tasks the user may see: open ones earliest due first (the late ones on top),
    closed ones newest first. HQ, with every group's tasks in reach, sees its own HQ tasks
    unless it asks for a workshop union or group. `when`: "late" (due before today) or
    "soon" (due within three days, late ones included), the to-do list's links."""
    # The to-do list's links open exactly what it counted: the tasks the user does
    # ("soon") or oversees ("late"), whatever other roles the user holds.
    action = {"soon": WORK, "late": OVERSEE}.get(when, VIEW) if status == TaskStatus.OPEN else VIEW
    tasks = CareTask.objects.restrict(user, action).select_related(
        "member", "group__workshop", "occasion", "event", "festival"
    )
    if group_id:
        tasks = tasks.filter(group_id=group_id, hq=False)
    elif workshop_id:
        tasks = tasks.filter(group__workshop_id=workshop_id, hq=False)
    elif action == VIEW and CareTask.objects.may(user, OVERVIEW):
        tasks = tasks.filter(hq=True)
    if status == TaskStatus.OPEN:
        if when == "late":
            tasks = tasks.filter(due_on__lt=today)
        elif when == "soon":
            tasks = tasks.filter(due_on__lte=today + timedelta(days=SOON_DAYS))
        return tasks.filter(status=TaskStatus.OPEN).order_by("due_on", "group_id", "pk")
    return tasks.filter(status=status).order_by("-closed_at", "-pk")


@dataclass
class OverviewRow:
    workshop_id: int
    workshop: str
    open: int
    late: int
    done_recently: int


def overview(*, user, today: date) -> list[OverviewRow]:
    """Per workshop union: open group tasks, late ones, and those done in the last 30 days
    (one query)."""
    recent = today - timedelta(days=30)
    rows = (
        CareTask.objects.restrict(user, VIEW)
        .filter(hq=False)
        .values("group__workshop_id", "group__workshop__name", "group__workshop__sort_order")
        .annotate(
            open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
            late=Count("pk", filter=Q(status=TaskStatus.OPEN, due_on__lt=today)),
            done_recently=Count(
                "pk", filter=Q(status=TaskStatus.DONE, closed_at__date__gte=recent)
            ),
        )
        .order_by("group__workshop__sort_order", "group__workshop__name")
    )
    return [
        OverviewRow(
            r["group__workshop_id"],
            r["group__workshop__name"],
            r["open"],
            r["late"],
            r["done_recently"],
        )
        for r in rows
    ]
