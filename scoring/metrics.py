"""Figures the assessment offers through unionhome.metrics: the 民主测评 survey's, a
workshop union's own (for its assessment), and the measures HQ composes."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from groups.models import ACCEPTED_STAGES, UnionGroup
from unionhome import metrics

from . import measures
from .engine import CENT
from .models import (
    MEASURE_PREFIX,
    Ballot,
    GroupResult,
    ScoreRun,
    Subject,
    SurveyAnswer,
    SurveyChoice,
)


@metrics.register(
    name="survey.turnout",
    label=_("Survey turnout"),
    definition=_("Ballots used ÷ ballots issued to the group's members."),
    unit="rate",
)
def turnout(*, group_ids, period_id=None, **_ignored):
    """Ballots used ÷ ballots issued (not voided), per group."""
    if period_id is None:
        return {}
    rows = (
        Ballot.objects.filter(period_id=period_id, group_id__in=group_ids, voided=False)
        .values("group_id", "used")
        .annotate(n=Count("pk"))
    )
    issued, used = {}, {}
    for row in rows:
        issued[row["group_id"]] = issued.get(row["group_id"], 0) + row["n"]
        if row["used"]:
            used[row["group_id"]] = row["n"]
    return {gid: round(used.get(gid, 0) / n, 4) for gid, n in issued.items() if n}


def approving_codes(period_id) -> set[str]:
    """The answers of the period's scale that count as approval. One query."""
    return set(
        SurveyChoice.objects.filter(version__periods=period_id, approves=True).values_list(
            "code", flat=True
        )
    )


@metrics.register(
    name="survey.approval_rate",
    label=_("Survey approval rate"),
    definition=_(
        "In the 民主测评 survey: the answers counted as approval (满意 and 基本满意 by "
        "default) over all answers, every question of every ballot counted."
    ),
    unit="rate",
)
def approval_rate(*, group_ids, period_id=None, **_ignored):
    """Approving answers ÷ all answers, over every question of every ballot, per group."""
    if period_id is None:
        return {}
    approving = approving_codes(period_id)
    tallies: dict[int, list[int]] = {}
    for group_id, answers in SurveyAnswer.objects.filter(
        period_id=period_id, group_id__in=group_ids
    ).values_list("group_id", "answers"):
        tally = tallies.setdefault(group_id, [0, 0])
        for choice in answers.values():
            tally[0] += choice in approving
            tally[1] += 1
    return {gid: round(yes / n, 4) for gid, (yes, n) in tallies.items() if n}


# The measures HQ composes are figures too, named measure.<code>.
metrics.register_resolver(MEASURE_PREFIX, measures.resolve, measures.listing)


# Figures of a workshop union, for its own assessment (十佳车间工会). Any group figure is
# read there as the mean over its groups (scoring/engine.py: compute_workshops).


@metrics.register(
    name="workshop.home_coverage",
    label=_("Small home coverage of the workshop union"),
    definition=_("The workshop union's active groups holding a small home ÷ its active groups."),
    unit="rate",
    per_workshop=True,
)
def home_coverage(*, workshop_ids, **_ignored):
    rows = (
        UnionGroup.objects.filter(workshop_id__in=workshop_ids, is_active=True)
        .values("workshop_id")
        .annotate(
            n=Count("pk"),
            homes=Count("pk", filter=~Q(home_level="") | Q(home_stage__in=ACCEPTED_STAGES)),
        )
    )
    return {row["workshop_id"]: round(row["homes"] / row["n"], 4) for row in rows if row["n"]}


@metrics.register(
    name="workshop.groups_average_score",
    label=_("Average score of the workshop union's small homes"),
    definition=_(
        "The mean total of the workshop union's rated small homes in the latest published "
        "assessment of groups that ended within the period."
    ),
    unit="count",
    per_workshop=True,
)
def groups_average_score(*, workshop_ids, start, end, **_ignored):
    run = (
        ScoreRun.objects.filter(
            published_at__isnull=False,
            period__subject=Subject.GROUPS,
            period__end__gte=start,
            period__end__lte=end,
        )
        .order_by("-period__end", "-version")
        .first()
    )
    if run is None:
        return {}
    rows = (
        GroupResult.objects.filter(run=run, group__workshop_id__in=workshop_ids)
        .exclude(level="")
        .values("group__workshop_id")
        .annotate(mean=Avg("total"))
    )
    return {
        row["group__workshop_id"]: Decimal(str(row["mean"])).quantize(CENT, ROUND_HALF_UP)
        for row in rows
        if row["mean"] is not None
    }
