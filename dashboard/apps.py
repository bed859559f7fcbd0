from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
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
        from .cache import connect_signals

        connect_signals()
