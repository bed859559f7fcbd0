from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class RectificationsConfig(extensions.FeatureConfig):
    """整改: one tracker of rectification items raised by congress resolutions, disclosure
    feedback and inspection panels, closed with evidence by the one who raised them."""

    name = "rectifications"
    menu_section = "democracy"
    verbose_name = _("Rectification")
    demo_seeder = "rectifications.demo.seed"
    # HQ reads the register of every item in the admin site (the pages change them).
    hq_permissions = (
        "rectifications.view_rectification",
        "rectifications.view_rectificationevidence",
    )
