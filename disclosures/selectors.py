"""What the disclosure pages read, and the yearly figures of each workshop union."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import django_filters
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW
from unionhome.dates import day_label
from unionhome.filters import ScopedFilterSet

from .models import (
    ANSWER,
    AUTHORED,
    BOARD,
    POSTED_STATES,
    REVIEW_DUTY,
    Disclosure,
    DisclosureCategory,
    DisclosureSettings,
    Feedback,
    Level,
    Status,
)

LIST_RELATED = ("workshop", "group__workshop", "category", "proposed_by", "reviewed_by")


def quarter_span(text: str) -> tuple[date, date] | None:
    """ "2026-3" → (1 July 2026, 30 September 2026)."""
    try:
        year, quarter = (int(part) for part in str(text).split("-"))
    except ValueError:
        return None
    if not (1900 <= year <= 2999 and 1 <= quarter <= 4):
        return None
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def quarter_choices(today: date | None = None) -> list[tuple[str, str]]:
    today = today or timezone.localdate()
    found = []
    for year in (today.year, today.year - 1):
        for quarter in (4, 3, 2, 1):
            if year == today.year and 3 * quarter - 2 > today.month:
                continue
            label = _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
            found.append((f"{year}-{quarter}", label))
    return found


class DisclosureFilter(ScopedFilterSet):
    level = django_filters.ChoiceFilter(label=_("level"), choices=Level.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("category"), queryset=DisclosureCategory.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=Status.choices)
    quarter = django_filters.ChoiceFilter(
        label=_("quarter"), choices=quarter_choices, method="in_quarter"
    )

    class Meta:
        model = Disclosure
        fields = ["level", "category", "status", "quarter"]

    def in_quarter(self, queryset, name, value):
        """Posted in the quarter; one not posted yet, proposed in it."""
        span = quarter_span(value)
        if span is None:
            return queryset.none()
        start, end = span
        return queryset.filter(
            Q(posted_on__gte=start, posted_on__lte=end)
            | Q(posted_on__isnull=True, proposed_at__date__gte=start, proposed_at__date__lte=end)
        )


def disclosure_list(*, user, params=None) -> DisclosureFilter:
    """The register the user reads (their own part and those below it, and the posted ones
    of their audience), newest first, with its feedback counts: one query."""
    rows = (
        Disclosure.objects.restrict(user, VIEW)
        .select_related(*LIST_RELATED)
        .annotate(
            feedback_count=Count("feedback"),
            unanswered=Count("feedback", filter=Q(feedback__answered_at__isnull=True)),
        )
        .order_by("-proposed_at", "-pk")
    )
    params = params or {}
    # The to-do list's links open exactly what it counted.
    if params.get("todo") == "review":
        rows = rows.filter(
            pk__in=Disclosure.objects.restrict(user, REVIEW_DUTY)
            .filter(status=Status.PROPOSED)
            .exclude(level=Level.ENTERPRISE, proposed_by=user)
            .values("pk")
        )
    elif params.get("todo") in ("answer", "overdue"):
        waiting = Feedback.objects.restrict(user, ANSWER).unanswered()
        if params.get("todo") == "overdue":
            waiting = waiting.filter(
                Feedback.objects.overdue_q(DisclosureSettings.current().answer_within_days)
            )
        rows = rows.filter(pk__in=waiting.values("disclosure_id"))
    return DisclosureFilter(params, queryset=rows, user=user)


def board(*, user):
    """The notice board: disclosures now in their supervision period the user reads as
    one of its audience, newest posting first."""
    return (
        Disclosure.objects.restrict(user, BOARD)
        .filter(status=Status.POSTED)
        .select_related(*LIST_RELATED)
        .order_by("-posted_on", "-pk")
    )


def own_feedback(*, user):
    """The feedback forms the user wrote (their member login), with their answers: the
    author alone lists them (AUTHORED)."""
    return (
        Feedback.objects.restrict(user, AUTHORED)
        .select_related("disclosure")
        .order_by("-filed_at", "-pk")
    )


def feedback_rows(*, user, disclosure, days: int):
    """The feedback forms on a disclosure the user reads (none of them names its author),
    each with `on_time` and `overdue` by the rule's `days`."""
    return (
        Feedback.objects.restrict(user, VIEW)
        .filter(disclosure=disclosure)
        .with_timeliness(days)
        .select_related("answered_by")
        .order_by("filed_at", "pk")
    )


@dataclass
class Step:
    code: str
    label: str
    done: bool
    current: bool
    note: str = ""


STEP_LABELS = [
    ("propose", _("Proposed (提出)")),
    ("review", _("Reviewed (审查)")),
    ("post", _("Posted (公开)")),
    ("supervise", _("Supervision (监督)")),
    ("feedback", _("Feedback answered (反馈)")),
    ("rectify", _("Rectification (整改)")),
]
# How far each status has come: the steps 1 to 6 done.
DONE_STEPS = {
    Status.PROPOSED: 1,
    Status.RETURNED: 1,
    Status.REVIEWED: 2,
    Status.POSTED: 3,
    Status.SUPERVISED: 4,
    Status.FEEDBACK: 5,
    Status.RECTIFIED: 6,
    Status.CLOSED: 6,
}


def progress(disclosure: Disclosure) -> list[Step]:
    """The six steps as a progress line: those done, and the one under way."""
    done = DONE_STEPS[disclosure.status]
    steps = []
    for index, (code, label) in enumerate(STEP_LABELS, start=1):
        note = ""
        if index == done + 1:
            if disclosure.status == Status.RETURNED:
                note = str(Status.RETURNED.label)
            elif disclosure.status == Status.POSTED and disclosure.posted_until:
                note = str(_("until %(day)s")) % {"day": day_label(disclosure.posted_until)}
        steps.append(Step(code, label, index <= done, index == done + 1, note))
    return steps


def workshop_year_figures(*, year: int, workshop_ids=None) -> dict[int, dict]:
    """Per workshop union, the year's posted disclosures of the workshop union and of its
    groups by quarter of posting, the feedback filed in the year on them (answered, or
    past the days to answer), and how many of those were answered within the days: the
    settings and two aggregate queries, whatever the number of records."""
    days = DisclosureSettings.current().answer_within_days
    posted = Disclosure.objects.filter(
        status__in=POSTED_STATES, posted_on__year=year, workshop__isnull=False
    )
    # A form counts once answered or once its days to answer have run out: one still
    # within them is not late yet.
    feedback = Feedback.objects.filter(
        filed_at__year=year, disclosure__workshop__isnull=False
    ).filter(Q(answered_at__isnull=False) | Feedback.objects.overdue_q(days))
    if workshop_ids is not None:
        workshop_ids = list(workshop_ids)
        posted = posted.filter(workshop_id__in=workshop_ids)
        feedback = feedback.filter(disclosure__workshop_id__in=workshop_ids)
    found: dict[int, dict] = {}

    def entry(wid):
        return found.setdefault(
            wid,
            {
                "disclosures_by_quarter": [0, 0, 0, 0],
                "feedback_total": 0,
                "feedback_answered_on_time": 0,
            },
        )

    quarters = {f"q{q}": Count("pk", filter=Q(posted_on__quarter=q)) for q in (1, 2, 3, 4)}
    for row in posted.order_by().values("workshop_id").annotate(**quarters):
        entry(row["workshop_id"])["disclosures_by_quarter"] = [row[f"q{q}"] for q in (1, 2, 3, 4)]
    rows = (
        feedback.order_by()
        .values("disclosure__workshop_id")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Feedback.objects.on_time_condition(days)),
        )
    )
    for row in rows:
        figures = entry(row["disclosure__workshop_id"])
        figures["feedback_total"] = row["total"]
        figures["feedback_answered_on_time"] = row["on_time"]
    for wid in workshop_ids or ():
        entry(wid)
    return found
