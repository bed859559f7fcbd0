"""Confirming a year's star ratings: kept as they were, whatever later changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhome.params import FIRST_YEAR

from .models import CONFIRM, StarRating
from .selectors import star_year


@transaction.atomic
def star_ratings_confirm(*, year: int, by) -> list[StarRating]:
    """HQ confirms the star rating of every workshop union for a year that has ended."""
    if not StarRating.objects.scope(by, CONFIRM).everything:
        raise PermissionDenied
    if not FIRST_YEAR <= year < timezone.localdate().year:
        raise ValidationError(
            {"year": _("A year's star ratings are confirmed once the year is over.")}
        )
    if StarRating.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("The star ratings of %(year)s are already confirmed.") % {"year": year}}
        )
    now = timezone.now()
    ratings = [
        StarRating(
            workshop=row.workshop,
            year=year,
            stars=row.stars,
            level_name=row.level.name if row.level else "",
            sessions_held=row.sessions_held,
            sessions_target=row.sessions_target,
            resolutions_due=row.resolutions_due,
            resolutions_on_time=row.resolutions_on_time,
            fewest_disclosures=row.fewest_disclosures,
            feedback_total=row.feedback_total,
            feedback_on_time=row.feedback_on_time,
            suggestions_filed=row.suggestions_filed,
            suggestions_adopted=row.suggestions_adopted,
            confirmed_by=by,
            confirmed_at=now,
        )
        for row in star_year(user=by, year=year)
    ]
    try:
        with transaction.atomic():
            return StarRating.objects.bulk_create(ratings)
    except IntegrityError:  # somebody at HQ confirmed the same year a moment ago
        raise ValidationError(
            {"year": _("The star ratings of %(year)s are already confirmed.") % {"year": year}}
        ) from None
