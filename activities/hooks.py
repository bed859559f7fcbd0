"""What the activities app offers the other apps' pages (see unionhome.extensions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows
from unionhome.dates import day_label, month_label

from .models import Activity, MonthlyReport
from .todo import todo_items

__all__ = ["group_links", "group_records", "navigation", "todo_items"]


def navigation(user):
    items = []
    if Activity.objects.may(user, VIEW):
        items.append((_("Activities"), "activities:activity_list"))
    if MonthlyReport.objects.may(user, VIEW):
        items.append((_("Monthly reports"), "activities:report_list"))
    return items


def group_records(user, group, start, end):
    """The group's activities (those above the group it took part in too) and monthly
    reports of the span, as evidence to cite."""
    records = [
        (
            f"activity:{activity.pk}",
            f"{day_label(activity.held_on, 'short')} {activity.title}",
            reverse("activities:activity_detail", args=[activity.pk]),
        )
        for activity in Activity.objects.restrict(user, VIEW)
        .of_groups([group.pk])
        .in_period(start, end)
        .order_by("held_on", "pk")
    ]
    for report in MonthlyReport.objects.restrict(user, VIEW).filter(
        group=group, month__gte=start, month__lte=end
    ):
        records.append(
            (
                f"report:{report.pk}",
                str(_("Monthly report %(month)s") % {"month": month_label(report.month)}),
                reverse(
                    "activities:report_detail",
                    args=[group.pk, report.month.year, report.month.month],
                ),
            )
        )
    return records


def group_links(user, group):
    if not allows(user, VIEW, Activity(group=group)):
        return []
    return [
        (_("Activities"), reverse("activities:activity_list") + f"?group={group.pk}"),
        (_("Calendar"), reverse("activities:calendar", args=[group.pk])),
        (_("Monthly reports"), reverse("activities:report_list") + f"?group={group.pk}"),
    ]
