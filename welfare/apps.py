from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class WelfareConfig(extensions.FeatureConfig):
    """送温暖 and 帮扶: welfare cases, the hardship archive and care visits, with the
    sensitive details shown only to those entitled and every access logged."""

    name = "welfare"
    verbose_name = _("Welfare")
    demo_seeder = "welfare.demo.seed"
    hq_permissions = (
        "welfare.view_casetype",
        "welfare.add_casetype",
        "welfare.change_casetype",
        "welfare.view_requireddocument",
        "welfare.add_requireddocument",
        "welfare.change_requireddocument",
        "welfare.delete_requireddocument",
    )
