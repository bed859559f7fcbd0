from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class DisclosuresConfig(extensions.FeatureConfig):
    """厂务公开 / 班务公开 in six steps, with the employees' feedback and its answers."""

    name = "disclosures"
    verbose_name = _("Affairs disclosure")
