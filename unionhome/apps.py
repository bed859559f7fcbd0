from django.utils.translation import gettext_lazy as _

from unionhome import extensions


class UnionhomeConfig(extensions.FeatureConfig):
    """The project package: shared template tags, helpers, the demo command, and the
    organisation's own record (its name and emblem), which HQ keeps in the admin site."""

    name = "unionhome"
    verbose_name = _("Union home")
    demo_seeder = "unionhome.demo.seed"
    hq_permissions = (
        "unionhome.view_organisation",
        "unionhome.add_organisation",
        "unionhome.change_organisation",
    )

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save

        from .identity import forget
        from .models import Organisation

        post_save.connect(forget, sender=Organisation, dispatch_uid="identity-saved")
        post_delete.connect(forget, sender=Organisation, dispatch_uid="identity-deleted")
