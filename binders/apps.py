from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class BindersConfig(extensions.FeatureConfig):
    """台账: a group's yearly binder as one PDF, a workshop union's binders as a zip, and
    the naming documents as Word files."""

    name = "binders"
    verbose_name = _("Binders")
