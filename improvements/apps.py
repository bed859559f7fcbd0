from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class ImprovementsConfig(extensions.FeatureConfig):
    """合理化建议: members' improvement suggestions, screened by the workshop union,
    carried out, awarded and listed publicly once decided."""

    name = "improvements"
    menu_section = "democracy"
    verbose_name = _("Improvement suggestions")
    demo_seeder = "improvements.demo.seed"
    hq_permissions = (
        "improvements.view_effectkind",
        "improvements.add_effectkind",
        "improvements.change_effectkind",
        "improvements.view_awardlevel",
        "improvements.add_awardlevel",
        "improvements.change_awardlevel",
        "improvements.view_improvement",
        "improvements.view_improvementsettings",
        "improvements.change_improvementsettings",
    )
