from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, their roles and the scope rule every other app restricts its data by."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # After every app's migrations: its permissions exist only once it has migrated.
        post_migrate.connect(_sync_hq_permissions, dispatch_uid="accounts.hq_permissions")


def _sync_hq_permissions(sender, using="default", **kwargs):
    from unionhome.extensions import FeatureConfig

    from .services import hq_group_sync_permissions

    if isinstance(sender, FeatureConfig) and sender.hq_permissions:
        hq_group_sync_permissions(using=using)
