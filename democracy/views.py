"""民主管理: the year of every workshop union in reach, with its star level."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import VIEW, require_reach
from unionhome.params import year_param

from . import selectors, services
from .models import CONFIRM, StarLevel, StarRating


@require_GET
def overview(request):
    require_reach(StarRating.objects.all(), request.user, VIEW)
    today = timezone.localdate()
    year = year_param(request.GET.get("year")) or today.year
    rows = selectors.star_year(user=request.user, year=year, today=today)
    confirmed = any(row.confirmed for row in rows)
    return render(
        request,
        "democracy/overview.html",
        {
            "year": year,
            "years": sorted(
                {today.year, today.year - 1, *selectors.confirmed_years(user=request.user)},
                reverse=True,
            ),
            "rows": rows,
            "levels": StarLevel.objects.order_by("stars"),
            "confirmed": confirmed,
            "quarters_judged": selectors.quarters_ended(year, today),
            "can_confirm": not confirmed
            and year < today.year
            and StarRating.objects.scope(request.user, CONFIRM).everything,
        },
    )


@require_POST
def confirm(request, year):
    if not StarRating.objects.scope(request.user, CONFIRM).everything:
        raise PermissionDenied
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
