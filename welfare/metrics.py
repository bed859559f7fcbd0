"""Figures computed from welfare records, offered through unionhome.metrics."""

from statistics import median

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from groups.models import Member, MemberStatus
from unionhome import metrics

from .models import CareVisit, WelfareCase


@metrics.register(
    name="welfare.care_visits",
    label=_("Care visits"),
    definition=_("Care visits recorded for the group's members in the period."),
    unit="count",
)
def care_visits(*, group_ids, start, end, **_ignored):
    """Care visits made by each group in the period (by the group at the time of the visit)."""
    rows = (
        CareVisit.objects.filter(group_id__in=group_ids, visited_on__gte=start, visited_on__lte=end)
        .values("group_id")
        .annotate(n=Count("pk"))
    )
    return {row["group_id"]: row["n"] for row in rows}


@metrics.register(
    name="welfare.care_visits_per_member",
    label=_("Care visits per member"),
    definition=_(
        "Care visits the group made in the period, divided by its members in the union now."
    ),
    unit="per_member",
)
def care_visits_per_member(*, group_ids, start, end, **_ignored):
    visits = care_visits(group_ids=group_ids, start=start, end=end)
    members = dict(
        Member.objects.filter(group_id__in=group_ids, status=MemberStatus.ACTIVE)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    return {
        gid: round(visits.get(gid, 0) / members[gid], 4) for gid in group_ids if members.get(gid)
    }


@metrics.register(
    name="welfare.median_days_to_payment",
    label=_("Median days from application to payment"),
    definition=_(
        "For the welfare cases of the group's members paid in the period: the "
        "middle value of the days from application to payment."
    ),
    unit="days",
    group_controlled=False,  # HQ pays, not the group
)
def median_days_to_payment(*, group_ids, start, end, **_ignored):
    """Median days from application to payment of the cases paid in the period, by the
    member's group (发放及时). A group with no case paid has no value."""
    days: dict[int, list[int]] = {}
    for group_id, value in WelfareCase.objects.filter(
        member__group_id__in=group_ids,
        paid_on__gte=start,
        paid_on__lte=end,
        days_to_payment__isnull=False,
    ).values_list("member__group_id", "days_to_payment"):
        days.setdefault(group_id, []).append(value)
    return {gid: median(values) for gid, values in days.items()}


def _care_visit_count(*, group_ids, start, end, option=""):
    return care_visits(group_ids=group_ids, start=start, end=end)


metrics.register_source(
    metrics.RecordSource(name="welfare.care_visit", label=_("Care visits"), count=_care_visit_count)
)
