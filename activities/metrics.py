"""Figures computed from activity records and monthly reports, offered through
unionhome.metrics to the scoring engine and the dashboards."""

from datetime import datetime, time, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import UnionGroup
from unionhome import metrics

from .models import (
    ABOVE_GROUP,
    Activity,
    ActivityGroup,
    ActivityKind,
    ActivityLevel,
    ContentArea,
    MonthlyReport,
    Participation,
)
from .periods import month_start, next_month, owing_since_before, report_deadline
from .selectors import compile_figures

# The counting rule (README): a group's own activity counts in its group; an activity
# above the group (a workshop union's, HQ's) counts once in each group with at least one
# member taking part (ActivityGroup), however many of them took part.


def _counted(group_ids, start, end, option=""):
    """(own, above): the group's own activities of the span and the links of the
    activities above the group it took part in, narrowed to an area or kind."""
    own = _narrowed(
        Activity.objects.alive().filter(
            level=ActivityLevel.GROUP,
            group_id__in=group_ids,
            held_on__gte=start,
            held_on__lte=end,
        ),
        option,
    )
    above = _narrowed(
        ActivityGroup.objects.filter(
            group_id__in=group_ids,
            activity__level__in=ABOVE_GROUP,
            activity__deleted_at__isnull=True,
            activity__held_on__gte=start,
            activity__held_on__lte=end,
        ),
        option,
        prefix="activity__",
    )
    return own, above


def _per_group(own, above, aggregate: str = "pk") -> dict:
    """{group id: distinct `aggregate` values} over both halves of `_counted`, in one
    query (a UNION, which drops the rows a join repeats)."""
    counts: dict[int, int] = {}
    theirs = "activity_id" if aggregate == "pk" else f"activity__{aggregate}"
    rows = (
        own.order_by()
        .values_list("group_id", aggregate)
        .union(above.order_by().values_list("group_id", theirs))
    )
    for group_id, _value in rows:
        counts[group_id] = counts.get(group_id, 0) + 1
    return counts


def _months(start, end):
    month = month_start(start)
    while month <= end:
        yield month
        month = next_month(month)


@metrics.register(
    name="activities.per_month",
    label=_("Activities per month"),
    definition=_(
        "Activities the group recorded in the period, and those above the group its members "
        "took part in (each once), divided by the months of the period (up to today)."
    ),
    unit="per_month",
)
def activities_per_month(*, group_ids, start, end, **_ignored):
    months = max(1, sum(1 for m in _months(start, min(end, timezone.localdate()))))
    counts = _per_group(*_counted(group_ids, start, end))
    return {gid: round(counts.get(gid, 0) / months, 4) for gid in group_ids}


@metrics.register(
    name="activities.areas_covered",
    label=_("Content areas covered"),
    definition=_("How many of the content areas the group held at least one activity in."),
    unit="count",
)
def areas_covered(*, group_ids, start, end, **_ignored):
    counts = _per_group(*_counted(group_ids, start, end), aggregate="area_id")
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
    # Owed: the group was entered before the month ended (first_owed_month, compared as
    # moments: no local time worked out twelve times for each of 4,050 groups).
    owing = {month: owing_since_before(month) for month in due}
    owed = {
        pk: {m for m in due if created_at < owing[m]}
        for pk, created_at in UnionGroup.objects.filter(pk__in=group_ids).values_list(
            "pk", "created_at"
        )
    }
    on_time = dict.fromkeys(owed, 0)
    # On time: first submitted before the local midnight that ends the deadline's day
    # (compared as moments: no local time is worked out for each of 48,000 reports).
    cutoff = {
        month: timezone.make_aware(
            datetime.combine(report_deadline(month) + timedelta(days=1), time.min)
        )
        for month in due
    }
    for group_id, month, submitted in MonthlyReport.objects.filter(
        group_id__in=group_ids, month__in=due, first_submitted_at__isnull=False
    ).values_list("group_id", "month", "first_submitted_at"):
        if month in owed[group_id] and submitted < cutoff[month]:
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
    own, above = _counted(group_ids, start, end)
    counts = _per_group(
        own.filter(kinds__counts_as_democratic=True),
        above.filter(activity__kinds__counts_as_democratic=True),
    )
    return {gid: counts.get(gid, 0) for gid in group_ids}


# Kinds of record for the measures HQ composes (unionhome.metrics.RecordSource) -----------


def _activity_options() -> list[tuple[str, str]]:
    areas = [
        (f"area:{pk}", _("content area: %(name)s") % {"name": name})
        for pk, name in ContentArea.objects.values_list("pk", "name")
    ]
    kinds = [
        (f"kind:{pk}", _("record kind: %(name)s") % {"name": name})
        for pk, name in ActivityKind.objects.values_list("pk", "name")
    ]
    return areas + kinds


def _narrowed(activities, option: str, prefix: str = ""):
    """Activities narrowed to a content area ("area:<id>") or a record kind ("kind:<id>")."""
    kind, _sep, pk = (option or "").partition(":")
    if kind == "area" and pk.isdigit():
        return activities.filter(**{f"{prefix}area_id": int(pk)})
    if kind == "kind" and pk.isdigit():
        return activities.filter(**{f"{prefix}kinds": int(pk)})
    return activities


def _activity_count(*, group_ids, start, end, option=""):
    return _per_group(*_counted(group_ids, start, end, option))


def _activity_participants(*, group_ids, start, end, option=""):
    """Distinct members of the group who took part in its activities, and in those above
    the group (a member counts for their own group)."""
    found = _narrowed(
        Participation.objects.filter(
            activity__deleted_at__isnull=True,
            activity__held_on__gte=start,
            activity__held_on__lte=end,
            member__group_id__in=group_ids,
        ).filter(
            Q(activity__level=ActivityLevel.GROUP, member__group_id=F("activity__group_id"))
            | Q(activity__level__in=ABOVE_GROUP)
        ),
        option,
        prefix="activity__",
    )
    return dict(
        found.values("member__group_id")
        .annotate(n=Count("member", distinct=True))
        .values_list("member__group_id", "n")
    )


def _activity_days(*, group_ids, start, end, span):
    """Days from holding an activity to recording it: the group's own activities only (an
    activity above the group is recorded by its host, which the group does not control)."""
    days: dict[int, list[int]] = {}
    for group_id, held_on, recorded_at in (
        Activity.objects.alive()
        .filter(
            level=ActivityLevel.GROUP,
            group_id__in=group_ids,
            held_on__gte=start,
            held_on__lte=end,
        )
        .values_list("group_id", "held_on", "recorded_at")
    ):
        days.setdefault(group_id, []).append(
            (timezone.localtime(recorded_at).date() - held_on).days
        )
    return days


metrics.register_source(
    metrics.RecordSource(
        name="activities.activity",
        label=_("Activities"),
        count=_activity_count,
        options=_activity_options,
        participants=_activity_participants,
        spans=(("held_to_recorded", _("from the day held to the day recorded")),),
        days=_activity_days,
    )
)


def _report_count(*, group_ids, start, end, option=""):
    """Monthly reports of the period's months, submitted at least once."""
    return dict(
        MonthlyReport.objects.filter(
            group_id__in=group_ids,
            month__gte=month_start(start),
            month__lte=end,
            first_submitted_at__isnull=False,
        )
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )


def _report_days(*, group_ids, start, end, span):
    """Days from the month's end to the report's first submission."""
    days: dict[int, list[int]] = {}
    for group_id, month, submitted in MonthlyReport.objects.filter(
        group_id__in=group_ids,
        month__gte=month_start(start),
        month__lte=end,
        first_submitted_at__isnull=False,
    ).values_list("group_id", "month", "first_submitted_at"):
        month_end = next_month(month) - timedelta(days=1)
        days.setdefault(group_id, []).append(
            (timezone.localtime(submitted).date() - month_end).days
        )
    return days


metrics.register_source(
    metrics.RecordSource(
        name="activities.report",
        label=_("Monthly reports"),
        count=_report_count,
        spans=(("month_end_to_submitted", _("from the month's end to the first submission")),),
        days=_report_days,
    )
)
