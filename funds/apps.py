from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class FundsConfig(extensions.FeatureConfig):
    """经费与发放: the welfare funds (budgets per year and source), payment batches with their bank
    workbook or signed 签领表, and the yearly fund statement."""

    name = "funds"
    verbose_name = _("Funds and payments")
