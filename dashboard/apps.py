from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class DashboardConfig(extensions.FeatureConfig):
    """The home page by role, the to-do list and its reminders, and the annual 建家 summary.
    It reads the other apps through their selectors and never writes their records."""

    name = "dashboard"
    verbose_name = _("Dashboard")
    hq_permissions = (
        "dashboard.view_reminderchannel",
        "dashboard.add_reminderchannel",
        "dashboard.change_reminderchannel",
        "dashboard.delete_reminderchannel",
        "dashboard.view_reminderdelivery",
    )

    def ready(self):
        super().ready()
        from .cache import connect_signals

        connect_signals()
