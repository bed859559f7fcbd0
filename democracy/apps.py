from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class DemocracyConfig(extensions.FeatureConfig):
    """民主管理: the overview of the democratic-management apps and the yearly star rating
    of each workshop union."""

    name = "democracy"
    verbose_name = _("Democratic management")
    demo_seeder = "democracy.demo.seed"
    hq_permissions = (
        "democracy.view_starlevel",
        "democracy.add_starlevel",
        "democracy.change_starlevel",
        "democracy.delete_starlevel",
        "democracy.view_starrating",
    )
