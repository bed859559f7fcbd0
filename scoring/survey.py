"""The 民主测评 / 职工认可 survey: one-time anonymous ballots and their figures."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from unionhome import metrics

# No 0/O, 1/I/L: a code is read off paper and typed on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    """Keyed with the secret key: a copy of the database alone does not give the codes."""
    return hmac.new(
        settings.SECRET_KEY.encode(), normalise_code(code).encode(), hashlib.sha256
    ).hexdigest()


def turnout(*, group_ids, period_id=None, **_ignored):
    """Ballots used ÷ ballots issued (not voided), per group."""
    from .models import Ballot

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
    from .models import SurveyAnswer

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


def register_all():
    metrics.register(
        metrics.Metric(
            name="survey.approval_rate",
            label=_("Survey approval rate"),
            definition=_(
                "In the 民主测评 survey: answers 满意 and 基本满意 over all answers, "
                "every criterion of every ballot counted."
            ),
            unit="rate",
            compute=approval_rate,
        )
    )
    metrics.register(
        metrics.Metric(
            name="survey.turnout",
            label=_("Survey turnout"),
            definition=_("Ballots used ÷ ballots issued to the group's members."),
            unit="rate",
            compute=turnout,
        )
    )
