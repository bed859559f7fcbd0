from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class WelfareConfig(extensions.FeatureConfig):
    """送温暖 and 帮扶: welfare cases, the hardship archive and care visits, with the
    sensitive details shown only to those entitled and every access logged."""

    name = "welfare"
    verbose_name = _("Welfare")
    demo_seeder = "welfare.demo.seed"

    def ready(self):
        super().ready()
        from . import receivers

        receivers.connect()

    hq_permissions = (
        "welfare.view_casetype",
        "welfare.add_casetype",
        "welfare.change_casetype",
        "welfare.view_requireddocument",
        "welfare.add_requireddocument",
        "welfare.change_requireddocument",
        "welfare.delete_requireddocument",
        "welfare.view_hardshipclass",
        "welfare.add_hardshipclass",
        "welfare.change_hardshipclass",
        "welfare.view_povertyline",
        "welfare.add_povertyline",
        "welfare.change_povertyline",
        "welfare.view_welfaresettings",
        "welfare.change_welfaresettings",
    )
