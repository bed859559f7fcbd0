from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, their roles and the scope rule every other app restricts its data by."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        post_migrate.connect(_sync_hq_permissions, sender=self)


def _sync_hq_permissions(sender, using="default", **kwargs):
    from .services import hq_group_sync_permissions

    hq_group_sync_permissions(using=using)
