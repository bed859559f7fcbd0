"""Figures of the 民主测评 survey, offered through unionhome.metrics to the engine."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from unionhome import metrics

from . import measures
from .models import MEASURE_PREFIX, Ballot, SurveyAnswer


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
