"""Figures computed from welfare records, offered through unionhome.metrics."""

from django.db.models import Count

from unionhome import metrics


def care_visits(*, group_ids, start, end):
    """Care visits made by each group in the period (by the group at the time of the visit)."""
    from .models import CareVisit

    rows = (
        CareVisit.objects.filter(group_id__in=group_ids, visited_on__gte=start, visited_on__lte=end)
        .values("group_id")
        .annotate(n=Count("pk"))
    )
    return {row["group_id"]: row["n"] for row in rows}


def register_all():
    metrics.register(
        metrics.Metric(
            name="welfare.care_visits",
            label="care visits",
            definition="Care visits recorded for the group's members in the period.",
            unit="visits",
            compute=care_visits,
        )
    )
