"""What waits for a user in the assessment: scores to enter, ballots to issue."""

from collections import Counter

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scoping import VIEW
from groups.models import UnionGroup, WorkshopUnion

from .models import (
    EVALUATE,
    ISSUE_BALLOTS,
    AssessmentPeriod,
    Ballot,
    Indicator,
    IndicatorKind,
    ManualScore,
    PeriodStatus,
    Subject,
)


def todo_items(user):
    found = []
    open_periods = AssessmentPeriod.objects.exclude(status=PeriodStatus.PUBLISHED)
    to_score = list(open_periods.restrict(user, EVALUATE))
    if to_score:
        found += _units_to_score(user, to_score)
    if Ballot.objects.may(user, ISSUE_BALLOTS):
        groups = Ballot.objects.groups_in_reach(user, ISSUE_BALLOTS).filter(is_active=True)
        for period in open_periods.restrict(user, ISSUE_BALLOTS).filter(subject=Subject.GROUPS):
            issued = Ballot.objects.filter(period=period, group__in=groups, voided=False)
            without = groups.exclude(pk__in=issued.values("group_id")).count()
            if without:
                found.append(
                    (
                        _("Groups without ballots for %(period)s") % {"period": period.name},
                        without,
                        reverse("scoring:ballots", args=[period.pk]) + "?without=1",
                    )
                )
    return found


UNITS = {
    Subject.GROUPS: ("group", UnionGroup, gettext_lazy("Groups to score for %(period)s")),
    Subject.WORKSHOPS: (
        "workshop",
        WorkshopUnion,
        gettext_lazy("Workshop unions to score for %(period)s"),
    ),
}


def _units_to_score(user, periods) -> list:
    """Per period, the groups (or workshop unions) the evaluator has not scored in full:
    exactly the rows of the evaluator's list with "not yet scored in full" chosen.
    One query for the indicators, then two per kind of subject."""
    manual = Indicator.objects.filter(
        kind=IndicatorKind.MANUAL,
        is_active=True,
        criterion__is_active=True,
        criterion__version__in={period.rubric_id for period in periods},
    )
    needed = dict(
        manual.values("criterion__version")
        .annotate(n=Count("pk"))
        .values_list("criterion__version", "n")
    )
    found = []
    for subject, (field, model, label) in UNITS.items():
        of_subject = [p for p in periods if p.subject == subject and needed.get(p.rubric_id)]
        if not of_subject:
            continue
        units = model.objects.restrict(user, VIEW).filter(is_active=True)
        scored = (
            ManualScore.objects.filter(
                evaluator=user,
                period__in=of_subject,
                indicator__in=manual,
                **{f"{field}__in": units},
            )
            .values("period", field)
            .annotate(n=Count("pk"))
            .values_list("period", "n")
        )
        complete = Counter()
        wanted = {p.pk: needed[p.rubric_id] for p in of_subject}
        for period_id, n in scored:
            complete[period_id] += n >= wanted[period_id]
        total = units.count()
        for period in of_subject:
            left = total - complete[period.pk]
            if left > 0:
                found.append(
                    (
                        label % {"period": period.name},
                        left,
                        reverse("scoring:evaluate", args=[period.pk]) + "?unfinished=1",
                    )
                )
    return found
