"""Figures of disclosure for scoring (unionhome.metrics).

`disclosures.per_quarter` counts a group's own 班务公开 only: what the group itself
discloses is what its members see of it and what it controls; its workshop union's 车间公开
is the workshop union's work (counted in `workshop_year_figures` for the star rating).
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from unionhome import metrics

from .models import POSTED_STATES, Disclosure, DisclosureSettings, Feedback, Level


def quarters_of(start, end) -> float:
    """The quarters the period spans, by its months (a year: 4; one month: 1/3)."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return max(months, 1) / 3


@metrics.register(
    name="disclosures.per_quarter",
    label=_("Group disclosures per quarter"),
    definition=_(
        "The group's own disclosures (班务公开) posted in the period, divided by the "
        "quarters of the period. The workshop union's and the enterprise's disclosures are "
        "not counted."
    ),
    unit="count",
)
def per_quarter(*, group_ids, start, end, **_ignored):
    counts = dict(
        Disclosure.objects.filter(
            level=Level.GROUP,
            group_id__in=group_ids,
            status__in=POSTED_STATES,
            posted_on__gte=start,
            posted_on__lte=end,
        )
        .order_by()
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    quarters = quarters_of(start, end)
    return {gid: round(counts.get(gid, 0) / quarters, 4) for gid in group_ids}


@metrics.register(
    name="disclosures.feedback_on_time",
    label=_("Disclosure feedback answered on time"),
    definition=_(
        "Of the feedback forms filed in the period on the group's own disclosures, the "
        "share answered within the days the union's rule sets. No value without feedback."
    ),
    unit="rate",
)
def feedback_on_time(*, group_ids, start, end, **_ignored):
    days = DisclosureSettings.current().answer_within_days
    rows = (
        Feedback.objects.filter(
            disclosure__level=Level.GROUP,
            disclosure__group_id__in=group_ids,
            filed_at__date__gte=start,
            filed_at__date__lte=end,
        )
        .order_by()
        .values("disclosure__group_id")
        .annotate(
            filed=Count("pk"),
            on_time=Count("pk", filter=Feedback.objects.on_time_condition(days)),
        )
    )
    return {row["disclosure__group_id"]: round(row["on_time"] / row["filed"], 4) for row in rows}
