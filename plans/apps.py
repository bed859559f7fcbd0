from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class PlansConfig(extensions.FeatureConfig):
    """建家计划: the planned activities by month of a group's year plan (its 创建方案 in
    homes), its monthly plans, and planned against held in the monthly report."""

    name = "plans"
    verbose_name = _("Plans")
    demo_seeder = "plans.demo.seed"
