from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.models import WorkshopUnion

from .webhooks import url_problem


class ReminderChannel(models.Model):
    """A 企业微信 or 钉钉 group robot that gets a daily digest of the to-do lists of a
    workshop union's people (or of HQ's, when no workshop union is named)."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    url = models.URLField(_("webhook URL"), max_length=500)
    workshop = models.ForeignKey(
        WorkshopUnion,
        verbose_name=_("workshop union"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: HQ's to-do lists."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reminder channel")
        verbose_name_plural = _("reminder channels")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        problem = url_problem(self.url or "")
        if problem:
            raise ValidationError({"url": problem})


class ReminderDelivery(models.Model):
    """One day's digest to one user's e-mail or one channel: sent, or failed with the
    reason. A failed one is tried again at the next run; a sent one is not sent twice."""

    day = models.DateField(_("day"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.ForeignKey(
        ReminderChannel,
        verbose_name=_("reminder channel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    sent = models.BooleanField(_("sent"), default=False)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "user"],
                condition=models.Q(user__isnull=False),
                name="delivery_once_per_user_day",
            ),
            models.UniqueConstraint(
                fields=["day", "channel"],
                condition=models.Q(channel__isnull=False),
                name="delivery_once_per_channel_day",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.user_id or self.channel_id} {'ok' if self.sent else 'failed'}"


class FiguresVersion(models.Model):
    """One row whose token changes after every committed change to the records the
    dashboard counts. Cached figures are keyed by it, so every application server sees
    a change at once, whatever cache each one keeps (see dashboard/cache.py)."""

    key = models.CharField(max_length=20, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("figures version")

    def __str__(self):
        return f"{self.key}: {self.token}"
