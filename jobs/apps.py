from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class JobsConfig(extensions.FeatureConfig):
    """后台任务: long work (a workshop union's binders, big exports, large member imports)
    run by the worker, with progress and the file to download."""

    name = "jobs"
    verbose_name = _("Background jobs")
    # HQ sets how long finished files are kept and the sizes that go to the background.
    hq_permissions = ("jobs.view_jobsettings", "jobs.change_jobsettings")

    def ready(self):
        super().ready()
        from .registry import autodiscover

        autodiscover()
