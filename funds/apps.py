from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class FundsConfig(extensions.FeatureConfig):
    """经费与发放: the welfare funds (budgets per year and source), payment batches with their bank
    workbook or signed 签领表, and the yearly fund statement."""

    name = "funds"
    verbose_name = _("Funds and payments")
    demo_seeder = "funds.demo.seed"
    hq_permissions = (
        "funds.view_fund",
        "funds.add_fund",
        "funds.change_fund",
        "funds.view_banklayout",
        "funds.add_banklayout",
        "funds.change_banklayout",
        "funds.view_banklayoutcolumn",
        "funds.add_banklayoutcolumn",
        "funds.change_banklayoutcolumn",
        "funds.delete_banklayoutcolumn",
        "funds.view_fundbudget",
    )
