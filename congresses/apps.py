from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class CongressesConfig(extensions.FeatureConfig):
    """职代会 and 班组民主会: representatives per term, sessions with quorum, motions,
    resolutions followed to closure."""

    name = "congresses"
    menu_section = "democracy"
    verbose_name = _("Workers' congresses")
    demo_seeder = "congresses.demo.seed"
    # HQ keeps the congress rules (quorum, sessions a year) and the terms and their
    # delegations in the admin site.
    hq_permissions = (
        "congresses.view_congresssettings",
        "congresses.change_congresssettings",
        "congresses.view_term",
        "congresses.add_term",
        "congresses.change_term",
        "congresses.view_delegation",
        "congresses.add_delegation",
        "congresses.change_delegation",
        "congresses.delete_delegation",
    )
