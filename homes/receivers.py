"""Steps other apps set off without knowing this one."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from scoring.models import Veto

from .models import CreationYear, Declaration, DeclarationKind


@receiver(post_save, sender=Veto, dispatch_uid="homes.recheck_on_veto")
def recheck_on_veto(sender, instance: Veto, created: bool, raw: bool = False, **kwargs):
    """A veto (一票否决) against a group that holds a title opens its re-check at once, in
    the creation year of the day it happened (else the latest one HQ opened)."""
    from .services import recheck_open

    if not created or raw or not instance.group.home_level:
        return
    year = (
        CreationYear.objects.filter(year=instance.happened_on.year).first()
        or CreationYear.objects.order_by("-year").first()
    )
    if year is None:
        return
    if Declaration.objects.filter(
        group=instance.group, year=year, kind=DeclarationKind.RECHECK
    ).exists():
        return
    recheck_open(
        group=instance.group,
        year=year.year,
        by=instance.recorded_by,
        reason=_("Veto: %(reason)s") % {"reason": instance.reason},
    )
