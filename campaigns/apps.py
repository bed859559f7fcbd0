from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class CampaignsConfig(extensions.FeatureConfig):
    """送温暖 and 爱心捐款 campaigns: standards per hardship class or member category, the list
    proposed from the archive, confirmed by the workshop unions and paid in batches."""

    name = "campaigns"
    verbose_name = _("Campaigns")
