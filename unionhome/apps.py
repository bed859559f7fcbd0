from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionhomeConfig(AppConfig):
    """The project package: shared templates tags, helpers and the demo command."""

    name = "unionhome"
    verbose_name = _("Union home")
