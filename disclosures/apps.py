from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class DisclosuresConfig(extensions.FeatureConfig):
    """厂务公开 / 班务公开 in six steps, with the employees' feedback and its answers."""

    name = "disclosures"
    menu_section = "democracy"
    verbose_name = _("Affairs disclosure")
    demo_seeder = "disclosures.demo.seed"
    # HQ keeps the categories and the rule's numbers in the admin site, and reads the log of
    # who looked up a feedback's author.
    hq_permissions = (
        "disclosures.view_disclosurecategory",
        "disclosures.add_disclosurecategory",
        "disclosures.change_disclosurecategory",
        "disclosures.view_disclosuresettings",
        "disclosures.change_disclosuresettings",
        "disclosures.view_identitylook",
    )
