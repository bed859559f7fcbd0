"""What the activities app offers the other apps' pages (see unionhome.extensions)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW, allows

from .models import Activity, MonthlyReport
from .todo import todo_items

__all__ = ["group_links", "navigation", "todo_items"]


def navigation(user):
    items = []
    if Activity.objects.may(user, VIEW):
        items.append((_("Activities"), "activities:activity_list"))
    if MonthlyReport.objects.may(user, VIEW):
        items.append((_("Monthly reports"), "activities:report_list"))
    return items


def group_links(user, group):
    if not allows(user, VIEW, Activity(group=group)):
        return []
    return [
        (_("Activities"), reverse("activities:activity_list") + f"?group={group.pk}"),
        (_("Calendar"), reverse("activities:calendar", args=[group.pk])),
        (_("Monthly reports"), reverse("activities:report_list") + f"?group={group.pk}"),
    ]
