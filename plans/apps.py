from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class PlansConfig(extensions.FeatureConfig):
    """建家计划: a group's year plan approved by its workshop union, its monthly plans, and planned activities."""

    name = "plans"
    verbose_name = _("Plans")
