"""The organisation this installation serves, as it signs its pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SingleRecord(models.Model):
    """A model of one record HQ edits in the admin site (settings in plain words): it is
    always saved as record 1, and read with its defaults while HQ has saved none."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = 1  # one record
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first() or cls()


class Organisation(SingleRecord):
    """One record, edited by HQ in the admin site: the union's name on the login page, the
    footer, notices and certificates, and its emblem beside it."""

    name = models.CharField(
        _("name"),
        max_length=60,
        help_text=_("As the union signs its documents, e.g. 某某矿业集团工会."),
    )
    emblem = models.ImageField(
        _("emblem"),
        upload_to="organisation/",
        blank=True,
        help_text=_(
            "A PNG or JPEG of the union's emblem, square, at least 200 × 200 pixels; "
            "shown on the login page and the printed certificates."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")

    def __str__(self):
        return self.name
