"""Figures the assessment offers through unionhome.metrics: the 民主测评 survey's, a
workshop union's own (for its assessment), and the measures HQ composes."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from groups.models import ACCEPTED_STAGES, UnionGroup
from unionhome import metrics

from . import measures
from .engine import CENT
from .models import MEASURE_PREFIX, Ballot, GroupResult, ScoreRun, Subject, SurveyAnswer


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


def answer_counts(*, group_ids, period_id) -> dict[int, dict[str, int]]:
    """Per group: how many answers of each kind over every criterion of every ballot."""
    counts = {}
    for group_id, answers in SurveyAnswer.objects.filter(
        period_id=period_id, group_id__in=group_ids
    ).values_list("group_id", "answers"):
        tally = counts.setdefault(
            group_id, {"satisfied": 0, "fairly": 0, "unsatisfied": 0, "ballots": 0}
        )
        tally["ballots"] += 1
        for choice in answers.values():
            if choice in tally:
                tally[choice] += 1
    return counts


@metrics.register(
    name="survey.approval_rate",
    label=_("Survey approval rate"),
    definition=_(
        "In the 民主测评 survey: answers 满意 and 基本满意 over all answers, "
        "every criterion of every ballot counted."
    ),
    unit="rate",
)
def approval_rate(*, group_ids, period_id=None, **_ignored):
    """(满意 + 基本满意) ÷ all answers, over every criterion of every ballot, per group."""
    if period_id is None:
        return {}
    rates = {}
    for group_id, tally in answer_counts(group_ids=group_ids, period_id=period_id).items():
        answered = tally["satisfied"] + tally["fairly"] + tally["unsatisfied"]
        if answered:
            rates[group_id] = round((tally["satisfied"] + tally["fairly"]) / answered, 4)
    return rates


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
