"""民主管理: the year of every workshop union in reach, with its star level."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhome.params import year_param

from . import selectors, services
from .models import CONFIRM, StarLevel, StarRating


@require_GET
def overview(request):
    """The section's pages the user may open, and the star ratings of the workshop unions
    in their reach (for those who read them: staff, not members)."""
    user = request.user
    if not selectors.opens_overview(user):
        raise PermissionDenied
    today = timezone.localdate()
    year = year_param(request.GET.get("year")) or today.year
    context = {"year": year, "sections": selectors.sections(user), "sees_stars": False}
    if selectors.sees_stars(user):
        rows = selectors.star_year(user=user, year=year, today=today)
        confirmed = any(row.confirmed for row in rows)
        context.update(
            sees_stars=True,
            years=sorted(
                {today.year, today.year - 1, *selectors.confirmed_years(user=user)},
                reverse=True,
            ),
            rows=rows,
            levels=StarLevel.objects.order_by("stars"),
            confirmed=confirmed,
            quarters_judged=selectors.quarters_ended(year, today),
            can_confirm=not confirmed
            and year < today.year
            and StarRating.objects.scope(user, CONFIRM).everything,
        )
    return render(request, "democracy/overview.html", context)


@require_POST
def confirm(request, year):
    if not StarRating.objects.scope(request.user, CONFIRM).everything:
        raise PermissionDenied
    if year_param(year) is None:
        raise Http404
    try:
        ratings = services.star_ratings_confirm(year=year, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The star ratings of %(year)s are confirmed for %(count)s workshop unions.")
            % {"year": year, "count": len(ratings)},
        )
    return redirect(reverse("democracy:overview") + f"?year={year}")
