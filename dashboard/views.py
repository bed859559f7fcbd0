"""The home page by role, the to-do list and the annual 建家 summary."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.scoping import CHANGE, VIEW
from activities.periods import month_start, previous_month, report_deadline
from activities.selectors import ReportRow
from groups.models import OVERSEE, UnionGroup, WorkshopUnion
from unionhome.db import reads_from_replica
from unionhome.extensions import home_page, todo_items
from unionhome.pagination import paginate
from unionhome.params import id_param, year_param

from . import figures
from .charts import bar_chart
from .summary import summary_workbook


def _year(request) -> int:
    year = year_param(request.GET.get("year"))
    this_year = timezone.localdate().year
    return year if year and 2000 <= year <= this_year else this_year


def _charts(overview):
    start, end = overview.start.isoformat(), overview.end.isoformat()
    activities_url = reverse("activities:activity_list")
    areas = bar_chart(
        [
            (area.name, count, f"{activities_url}?area={area.pk}&start={start}&end={end}")
            for area, count in overview.activities.areas
        ]
    )
    months = bar_chart(
        [
            (f"{month.month}", count, f"{activities_url}?month={month:%Y-%m}")
            for month, count in overview.activities.months
        ]
    )
    return areas, months


def _overseen(request):
    """The workshop union a dashboard or summary is about: None for the whole organisation
    (those who oversee it all, unless they chose one), else one of the user's own (the
    one chosen with ?workshop=, or their first). 403 for those who oversee none."""
    user = request.user
    scope = WorkshopUnion.objects.scope(user, OVERSEE)
    if not scope:
        raise PermissionDenied
    value = request.GET.get("workshop", "")
    workshops = WorkshopUnion.objects.restrict(user, OVERSEE)
    if id_param(value):
        return get_object_or_404(workshops, pk=id_param(value))
    return None if scope.everything else workshops.first()


@reads_from_replica
@require_GET
def home(request):
    """The home page: the dashboard of what the user oversees (the organisation or their
    workshop union), else their group's page as its leader, else a page an app offers
    (a member's own page), else the to-do list."""
    user = request.user
    if WorkshopUnion.objects.may(user, OVERSEE):
        return _dashboard(request, todo_items(user), _overseen(request))
    led = sorted(UnionGroup.objects.scope(user, CHANGE).group_ids)
    if led:
        return _leader_home(request, todo_items(user), led)
    # A member's own page (the portal app), for a member's login.
    page = home_page(request)
    if page is not None:
        return page
    return render(request, "dashboard/evaluator_home.html", {"todo": todo_items(user)})


def _dashboard(request, todo, workshop):
    user = request.user
    year = _year(request)
    workshop_id = workshop.pk if workshop else None
    overview = figures.overview(user=user, year=year, workshop_id=workshop_id)
    areas, months = _charts(overview)
    # A federation has hundreds of workshop unions: their table is paged.
    page, query = paginate(request, overview.rows)
    return render(
        request,
        "dashboard/home.html",
        {
            "o": overview,
            "todo": todo,
            "areas_chart": areas,
            "months_chart": months,
            "groups": figures.workshop_groups(user=user, overview_=overview)
            if workshop_id
            else None,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "workshop": workshop,
            "page": page,
            "query": query,
        },
    )


def _leader_home(request, todo, led):
    from activities.models import MonthlyReport
    from activities.selectors import activity_areas, returned_reports
    from scoring.selectors import latest_assessment
    from welfare.selectors import care_page

    user = request.user
    chosen = request.GET.get("group", "")
    group_pk = id_param(chosen) if id_param(chosen) in led else led[0]
    group = UnionGroup.objects.select_related("workshop").get(pk=group_pk)
    this_month = month_start(timezone.localdate())
    due_month = previous_month(this_month)
    reports = {
        r.month: r
        for r in MonthlyReport.objects.restrict(user, VIEW).filter(
            group=group, month__in=[due_month, this_month]
        )
    }
    returned = returned_reports(user=user, group=group)
    start, end = figures.year_span(timezone.localdate().year)
    care = care_page(group=group)
    assessment = latest_assessment(user=user)
    areas = activity_areas(user=user, start=start, end=end)
    return render(
        request,
        "dashboard/leader_home.html",
        {
            "group": group,
            "todo": todo,
            "returned": returned,
            "care": care,
            "due": ReportRow(group, due_month, reports.get(due_month)),
            "current": ReportRow(group, this_month, reports.get(this_month)),
            "deadline": report_deadline(due_month),
            "areas_chart": bar_chart(
                [
                    (
                        area.name,
                        count,
                        reverse("activities:activity_list")
                        + f"?area={area.pk}&start={start}&end={end}",
                    )
                    for area, count in areas
                ]
            ),
            "areas": areas,
            "assessment": assessment,
            "result": assessment.by_group.get(group.pk),
        },
    )


@require_GET
def todo(request):
    return render(request, "dashboard/todo.html", {"todo": todo_items(request.user)})


@reads_from_replica
@require_GET
def summary(request):
    workshop = _overseen(request)
    year = _year(request)
    # A workshop union's register fits on paper; the whole organisation's is in the workbook.
    data = figures.annual_summary(
        user=request.user, year=year, workshop=workshop, register=workshop is not None
    )
    return render(
        request,
        "dashboard/summary.html",
        {
            "s": data,
            "workshop": workshop,
            "whole_organisation": WorkshopUnion.objects.scope(request.user, OVERSEE).everything,
            "workshops": WorkshopUnion.objects.restrict(request.user, OVERSEE),
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        },
    )


@reads_from_replica
@require_GET
def summary_export(request):
    workshop = _overseen(request)
    data = figures.annual_summary(user=request.user, year=_year(request), workshop=workshop)
    return summary_workbook(data)
