from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class CareTasksConfig(extensions.FeatureConfig):
    """Care tasks: birthdays, hospital stays and family events reported by leaders, visits due,
    each to the group with its gift standard, closed by a visit with a photo."""

    name = "caretasks"
    verbose_name = _("Care tasks")
