from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class ImprovementsConfig(extensions.FeatureConfig):
    """合理化建议: members' improvement suggestions, screened by the workshop union, implemented and awarded."""

    name = "improvements"
    verbose_name = _("Improvement suggestions")
