from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class CampaignsConfig(extensions.FeatureConfig):
    """送温暖 and 爱心捐款 campaigns: standards per hardship class or member category, the list
    proposed from the archive, confirmed by the workshop unions and paid in batches."""

    name = "campaigns"
    verbose_name = _("Campaigns")
    demo_seeder = "campaigns.demo.seed"
    hq_permissions = (
        "campaigns.view_campaignkind",
        "campaigns.add_campaignkind",
        "campaigns.change_campaignkind",
    )

    def ready(self):
        super().ready()
        from funds.signals import line_removed, lines_paid

        from . import receivers

        lines_paid.connect(receivers.on_lines_paid, dispatch_uid="campaigns.lines_paid")
        line_removed.connect(receivers.on_line_removed, dispatch_uid="campaigns.line_removed")
