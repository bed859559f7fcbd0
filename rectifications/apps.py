from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class RectificationsConfig(extensions.FeatureConfig):
    """整改: one tracker of rectification items raised by congress resolutions, disclosure feedback and inspection panels, closed with evidence by the one who raised them."""

    name = "rectifications"
    verbose_name = _("Rectification")
