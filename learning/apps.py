from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class LearningConfig(extensions.FeatureConfig):
    """学习与竞赛: competitions with results and awards per member, and members' learning
    records."""

    name = "learning"
    verbose_name = _("Learning and competitions")
    demo_seeder = "learning.demo.seed"
    # HQ keeps the kinds, the award levels and the targets in the admin site.
    hq_permissions = (
        "learning.add_competitionkind",
        "learning.change_competitionkind",
        "learning.view_competitionkind",
        "learning.add_awardlevel",
        "learning.change_awardlevel",
        "learning.view_awardlevel",
        "learning.add_learningkind",
        "learning.change_learningkind",
        "learning.view_learningkind",
        "learning.add_learningsettings",
        "learning.change_learningsettings",
        "learning.view_learningsettings",
        "learning.view_competition",
    )
