from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class LearningConfig(extensions.FeatureConfig):
    """学习与竞赛: competitions with results and awards per member, and members' learning
    records."""

    name = "learning"
    verbose_name = _("Learning and competitions")
