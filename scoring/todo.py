"""What waits for a user in the assessment: scores to enter, ballots to issue."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scoping import VIEW
from groups.models import UnionGroup

from .models import AssessmentPeriod, Ballot, Indicator, IndicatorKind, ManualScore, PeriodStatus


def items(user):
    found = []
    open_periods = AssessmentPeriod.objects.exclude(status=PeriodStatus.PUBLISHED)
    if user.role == Role.EVALUATOR:
        manual = Indicator.objects.filter(
            kind=IndicatorKind.MANUAL, is_active=True, criterion__is_active=True
        ).count()
        groups = UnionGroup.objects.filter(is_active=True).count()
        done = dict(
            ManualScore.objects.filter(evaluator=user, period__in=open_periods)
            .values("period")
            .annotate(n=Count("pk"))
            .values_list("period", "n")
        )
        for period in open_periods.filter(evaluators=user):
            missing = manual * groups - done.get(period.pk, 0)
            if missing > 0:
                found.append(
                    (
                        _("Scores to enter for %(period)s") % {"period": period.name},
                        missing,
                        reverse("scoring:evaluate", args=[period.pk]),
                    )
                )
    if user.is_superuser or user.role in (Role.HQ, Role.WORKSHOP):
        groups = UnionGroup.objects.restrict(user, VIEW).filter(is_active=True)
        for period in open_periods:
            issued = set(
                Ballot.objects.filter(period=period, group__in=groups).values_list(
                    "group_id", flat=True
                )
            )
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
