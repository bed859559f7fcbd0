from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class JobsConfig(extensions.FeatureConfig):
    """后台任务: long work (a workshop union's binders, big exports, large member imports)
    run by the worker, with progress and the file to download."""

    name = "jobs"
    verbose_name = _("Background jobs")
