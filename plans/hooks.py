"""What the plans offer the other apps' pages (see unionhome.extensions): the menu, a
group's link to its plan, the planned activities under a creation plan, planned against
held on a monthly report, and the leader's reminder the day before a planned activity."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import CHANGE, VIEW, allows

from . import selectors, services
from .models import PlannedActivity

__all__ = ["group_links", "navigation", "record_panels", "todo_items"]


def navigation(user):
    if PlannedActivity.objects.may(user, VIEW):
        return [(gettext_lazy("Plans"), "plans:overview")]
    return []


def group_links(user, group):
    if not allows(user, VIEW, PlannedActivity(group=group)):
        return []
    year = timezone.localdate().year
    return [(gettext_lazy("Year plan"), reverse("plans:year", args=[group.pk, year]))]


def record_panels(user, page, **objects):
    if page == "homes.plan":
        return _creation_plan_panel(user, objects["plan"])
    if page == "activities.report":
        return _report_panel(user, objects["group"], objects["month"])
    return []


def _creation_plan_panel(user, plan):
    """Under a creation plan: its planned activities, which the workshop union approves
    with it (one query)."""
    probe = PlannedActivity(group=plan.group)
    if not allows(user, VIEW, probe):
        return []
    return [
        render_to_string(
            "plans/panels/creation_plan.html",
            {
                "plan": plan,
                "items": selectors.plan_items(plan.group, plan.year),
                "may_edit": services.year_items_open(plan) and allows(user, CHANGE, probe),
            },
        )
    ]


def _report_panel(user, group, month):
    """On a monthly report: planned and held, not held (with the reason), unplanned."""
    if not allows(user, VIEW, PlannedActivity(group=group)):
        return []
    summary = selectors.month_summary(group, month)
    if summary.is_empty:
        return []
    return [render_to_string("plans/panels/month_summary.html", {"summary": summary})]


def todo_items(user):
    """The day before a planned activity, its group's leader is reminded (one query, for
    users who lead a group)."""
    group_ids = PlannedActivity.objects.scope(user, CHANGE).group_ids
    if not group_ids:
        return []
    # One line per activity, opening its month's plan at it: the line counts one thing.
    return [
        (
            _("Planned activity tomorrow: %(title)s") % {"title": item.title},
            1,
            reverse("plans:month", args=[item.group_id, item.month.year, item.month.month])
            + f"#item-{item.pk}",
        )
        for item in selectors.due_tomorrow(group_ids=group_ids)
    ]
