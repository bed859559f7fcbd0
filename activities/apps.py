from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """What each 职工小家 does (activities under the content areas) and the monthly reports."""

    name = "activities"
    verbose_name = _("Activities")
    demo_seeder = "activities.demo.seed"
    hq_permissions = (
        "activities.view_contentarea",
        "activities.add_contentarea",
        "activities.change_contentarea",
        "activities.view_activitykind",
        "activities.add_activitykind",
        "activities.change_activitykind",
    )

    def ready(self):
        from . import metrics

        metrics.register_all()

    def navigation(self, user):
        from accounts.scoping import VIEW, Reach

        from .models import Activity, MonthlyReport

        items = []
        if Activity.objects.reach(user, VIEW) is not Reach.NONE:
            items.append((_("Activities"), "activities:activity_list"))
        if MonthlyReport.objects.reach(user, VIEW) is not Reach.NONE:
            items.append((_("Monthly reports"), "activities:report_list"))
        return items

    def group_links(self, user, group):
        from django.urls import reverse

        from accounts.scoping import VIEW, Reach, allows

        from .models import Activity

        if Activity.objects.reach(user, VIEW) is Reach.NONE or not allows(user, VIEW, group):
            return []
        return [
            (_("Activities"), reverse("activities:activity_list") + f"?group={group.pk}"),
            (_("Calendar"), reverse("activities:calendar", args=[group.pk])),
            (_("Monthly reports"), reverse("activities:report_list") + f"?group={group.pk}"),
        ]

    def todo_items(self, user):
        from .todo import items

        return items(user)
