from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class HomesConfig(extensions.FeatureConfig):
    """职工小家创建: plans, declarations, the workshop unions' recommendations, inspection
    panels, public notices and objections, naming, titles and the yearly re-check."""

    name = "homes"
    verbose_name = _("Small home creation")
    demo_seeder = "homes.demo.seed"
    hq_permissions = (
        "homes.view_creationyear",
        "homes.add_creationyear",
        "homes.change_creationyear",
        "homes.view_recommendationquota",
        "homes.add_recommendationquota",
        "homes.change_recommendationquota",
        "homes.delete_recommendationquota",
        "homes.view_checklistitem",
        "homes.add_checklistitem",
        "homes.change_checklistitem",
    )

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401 (connects the re-check on a veto)
