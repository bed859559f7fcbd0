"""What waits for a user in the assessment: scores to enter, ballots to issue."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

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
        manual = dict(
            Indicator.objects.filter(
                kind=IndicatorKind.MANUAL,
                is_active=True,
                criterion__is_active=True,
                criterion__version__in={period.rubric_id for period in to_score},
            )
            .values("criterion__version")
            .annotate(n=Count("pk"))
            .values_list("criterion__version", "n")
        )
        units = {
            Subject.GROUPS: UnionGroup.objects.restrict(user, VIEW).filter(is_active=True).count(),
            Subject.WORKSHOPS: WorkshopUnion.objects.restrict(user, VIEW)
            .filter(is_active=True)
            .count(),
        }
        done = dict(
            ManualScore.objects.filter(evaluator=user, period__in=to_score)
            .values("period")
            .annotate(n=Count("pk"))
            .values_list("period", "n")
        )
        for period in to_score:
            missing = manual.get(period.rubric_id, 0) * units[period.subject] - done.get(
                period.pk, 0
            )
            if missing > 0:
                found.append(
                    (
                        _("Scores to enter for %(period)s") % {"period": period.name},
                        missing,
                        reverse("scoring:evaluate", args=[period.pk]),
                    )
                )
    if Ballot.objects.may(user, ISSUE_BALLOTS):
        groups = Ballot.objects.groups_in_reach(user, ISSUE_BALLOTS).filter(is_active=True)
        for period in open_periods.restrict(user, ISSUE_BALLOTS).filter(subject=Subject.GROUPS):
            issued = Ballot.objects.filter(period=period, group__in=groups).values("group_id")
            without = groups.exclude(pk__in=issued).count()
            if without:
                found.append(
                    (
                        _("Groups without ballots for %(period)s") % {"period": period.name},
                        without,
                        reverse("scoring:ballots", args=[period.pk]),
                    )
                )
    return found
