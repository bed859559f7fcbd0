from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class ActivitiesConfig(extensions.FeatureConfig):
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
