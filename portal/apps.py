from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class PortalConfig(extensions.FeatureConfig):
    """Members' own logins (activated with a one-time code their union prints), the
    member's home page, and the suggestions members file with their workshop union."""

    name = "portal"
    verbose_name = _("Member logins")
    demo_seeder = "portal.demo.seed"
    # HQ keeps the numbers of member logins (how long a code lasts, the lockout).
    hq_permissions = (
        "portal.view_portalsettings",
        "portal.change_portalsettings",
        "portal.view_activationcode",
        "portal.view_suggestion",
    )
