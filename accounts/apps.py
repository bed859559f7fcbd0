from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, their roles and the scope rule every other app restricts its data by."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import views  # noqa: F401 (larger text chosen before login is kept after it)
        from .models import RoleAssignment

        # After every app's migrations: its permissions exist only once it has migrated.
        post_migrate.connect(_sync_hq_permissions, dispatch_uid="accounts.hq_permissions")
        # However a role is given or taken, users already loaded read their roles again.
        for signal in (post_save, post_delete):
            signal.connect(_roles_changed, sender=RoleAssignment, dispatch_uid=f"accounts.{signal}")


def _roles_changed(**kwargs):
    from .scoping import grants_changed

    grants_changed()


def _sync_hq_permissions(sender, using="default", **kwargs):
    from unionhome.extensions import FeatureConfig

    from .services import hq_group_sync_permissions

    if isinstance(sender, FeatureConfig) and sender.hq_permissions:
        hq_group_sync_permissions(using=using)
