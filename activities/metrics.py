"""Figures computed from activity records and monthly reports, offered through
unionhome.metrics to the scoring engine and the dashboards."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import UnionGroup
from unionhome import metrics

from .models import Activity, MonthlyReport
from .periods import first_owed_month, month_start, next_month, report_deadline
from .selectors import compile_figures


def _months(start, end):
    month = month_start(start)
    while month <= end:
        yield month
        month = next_month(month)


@metrics.register(
    name="activities.per_month",
    label=_("Activities per month"),
    definition=_(
        "Activities the group recorded in the period, divided by the months of the period "
        "(up to today)."
    ),
    unit="per_month",
)
def activities_per_month(*, group_ids, start, end, **_ignored):
    months = max(1, sum(1 for m in _months(start, min(end, timezone.localdate()))))
    counts = dict(
        Activity.objects.alive()
        .filter(group_id__in=group_ids, held_on__gte=start, held_on__lte=end)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    return {gid: round(counts.get(gid, 0) / months, 4) for gid in group_ids}


@metrics.register(
    name="activities.areas_covered",
    label=_("Content areas covered"),
    definition=_("How many of the content areas the group held at least one activity in."),
    unit="count",
)
def areas_covered(*, group_ids, start, end, **_ignored):
    counts = dict(
        Activity.objects.alive()
        .filter(group_id__in=group_ids, held_on__gte=start, held_on__lte=end)
        .values("group_id")
        .annotate(n=Count("area", distinct=True))
        .values_list("group_id", "n")
    )
    return {gid: counts.get(gid, 0) for gid in group_ids}


@metrics.register(
    name="activities.participation_rate",
    label=_("Participation rate"),
    definition=_(
        "Distinct members of the group who took part in at least one activity in the "
        "period, divided by the group's members at its end."
    ),
    unit="rate",
)
def participation_rate(*, group_ids, start, end, **_ignored):
    day = min(end, timezone.localdate())
    figures = compile_figures(group_ids=group_ids, start=start, end=end, day=day)
    return {
        gid: f["participation_rate"]
        for gid, f in figures.items()
        if f["participation_rate"] is not None
    }


@metrics.register(
    name="activities.reports_on_time",
    label=_("Monthly reports on time"),
    definition=_(
        "Of the period's months already past their deadline, the share whose monthly "
        "report was first submitted by the deadline."
    ),
    unit="rate",
)
def reports_on_time(*, group_ids, start, end, **_ignored):
    """Share of the period's months, already past their deadline and owed by the group
    (not before it was set up), whose report was first submitted by the deadline."""
    today = timezone.localdate()
    due = [m for m in _months(start, end) if report_deadline(m) < today]
    if not due:
        return {}
    owed = {
        pk: [m for m in due if m >= first_owed_month(created_at)]
        for pk, created_at in UnionGroup.objects.filter(pk__in=group_ids).values_list(
            "pk", "created_at"
        )
    }
    on_time = dict.fromkeys(owed, 0)
    for group_id, month, submitted in MonthlyReport.objects.filter(
        group_id__in=group_ids, month__in=due, first_submitted_at__isnull=False
    ).values_list("group_id", "month", "first_submitted_at"):
        if month in owed[group_id] and timezone.localtime(submitted).date() <= report_deadline(
            month
        ):
            on_time[group_id] += 1
    return {gid: round(on_time[gid] / len(months), 4) for gid, months in owed.items() if months}


@metrics.register(
    name="activities.democratic_records",
    label=_("Group meetings and democratic management"),
    definition=_(
        "Activities tagged as a group meeting, democratic management or disclosure of "
        "group affairs."
    ),
    unit="count",
)
def democratic_records(*, group_ids, start, end, **_ignored):
    counts = dict(
        Activity.objects.alive()
        .filter(
            group_id__in=group_ids,
            held_on__gte=start,
            held_on__lte=end,
            kinds__counts_as_democratic=True,
        )
        .values("group_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("group_id", "n")
    )
    return {gid: counts.get(gid, 0) for gid in group_ids}
