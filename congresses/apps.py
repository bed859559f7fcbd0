from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class CongressesConfig(extensions.FeatureConfig):
    """职代会 and 班组民主会: representatives per term, sessions with quorum, motions, resolutions followed to closure."""

    name = "congresses"
    verbose_name = _("Workers' congresses")
