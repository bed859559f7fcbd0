"""The home page by role, the to-do list and the annual 建家 summary."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Role
from activities.periods import month_start, previous_month, report_deadline
from activities.selectors import ReportRow
from groups.models import UnionGroup, WorkshopUnion
from unionhome.db import reads_from_replica
from unionhome.extensions import todo_items

from . import figures
from .charts import bar_chart, column_chart
from .summary import summary_workbook


def _year(request) -> int:
    value = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(value) if value.isdigit() and 2000 <= int(value) <= this_year else this_year


def _charts(overview):
    start, end = overview.start.isoformat(), overview.end.isoformat()
    activities_url = reverse("activities:activity_list")
    areas = bar_chart(
        [
            (area.name, count, f"{activities_url}?area={area.pk}&start={start}&end={end}")
            for area, count in overview.activities.areas
        ]
    )
    months = column_chart(
        [
            (f"{month.month}", count, f"{activities_url}?month={month:%Y-%m}")
            for month, count in overview.activities.months
        ]
    )
    return areas, months


@reads_from_replica
@require_GET
def home(request):
    user = request.user
    todo = todo_items(user)
    if user.role == Role.GROUP_LEADER:
        return _leader_home(request, todo)
    if user.role == Role.EVALUATOR:
        return render(request, "dashboard/evaluator_home.html", {"todo": todo})
    if not (user.is_superuser or user.role in (Role.HQ, Role.WORKSHOP)):
        return render(request, "dashboard/evaluator_home.html", {"todo": todo})
    year = _year(request)
    workshop_id = user.workshop_id if user.role == Role.WORKSHOP else None
    overview = figures.overview(user=user, year=year, workshop_id=workshop_id)
    areas, months = _charts(overview)
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
            "is_workshop": bool(workshop_id),
        },
    )


def _leader_home(request, todo):
    from activities.models import MonthlyReport
    from activities.selectors import activity_year
    from scoring.selectors import latest_assessment
    from welfare.selectors import care_page

    user = request.user
    group = UnionGroup.objects.select_related("workshop").get(pk=user.group_id)
    this_month = month_start(timezone.localdate())
    due_month = previous_month(this_month)
    reports = {
        r.month: r
        for r in MonthlyReport.objects.filter(group=group, month__in=[due_month, this_month])
    }
    start, end = figures.year_span(timezone.localdate().year)
    care = care_page(group=group)
    assessment = latest_assessment(user=user)
    areas = activity_year(user=user, start=start, end=end).areas
    return render(
        request,
        "dashboard/leader_home.html",
        {
            "group": group,
            "todo": todo,
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


def _summary_scope(request):
    """HQ summarises the whole organisation or one workshop union; a workshop its own."""
    user = request.user
    if user.role == Role.WORKSHOP:
        return user.workshop
    if not (user.is_superuser or user.role == Role.HQ):
        raise PermissionDenied
    value = request.GET.get("workshop", "")
    return WorkshopUnion.objects.filter(pk=value).first() if value.isdigit() else None


@reads_from_replica
@require_GET
def summary(request):
    workshop = _summary_scope(request)
    year = _year(request)
    data = figures.annual_summary(user=request.user, year=year, workshop=workshop)
    return render(
        request,
        "dashboard/summary.html",
        {
            "s": data,
            "workshop": workshop,
            "workshops": WorkshopUnion.objects.restrict(request.user),
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        },
    )


@reads_from_replica
@require_GET
def summary_export(request):
    workshop = _summary_scope(request)
    data = figures.annual_summary(user=request.user, year=_year(request), workshop=workshop)
    return summary_workbook(data)
