from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class DuesConfig(extensions.FeatureConfig):
    """会费: the dues rules, base pay from payroll, the monthly ledger and its collection."""

    name = "dues"
    verbose_name = _("Union dues")
    demo_seeder = "dues.demo.seed"
    # HQ keeps the dues rules in the admin site and reads the rest there for support.
    hq_permissions = (
        "dues.view_duesrule",
        "dues.add_duesrule",
        "dues.change_duesrule",
        "dues.view_fixeddues",
        "dues.add_fixeddues",
        "dues.change_fixeddues",
        "dues.view_basepay",
        "dues.view_duescharge",
        "dues.view_duescollection",
    )
