"""What waits for a user in welfare: cases at their step, hardship reviews due."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scoping import Reach

from .models import (
    HQ_APPROVE,
    PAY,
    VIEW,
    WORKSHOP_REVIEW,
    CaseStatus,
    HardshipRecord,
    WelfareCase,
)
from .selectors import reviews_due


def items(user):
    found = []
    steps = [
        (WORKSHOP_REVIEW, CaseStatus.APPLIED, _("Welfare cases to review"), True),
        (HQ_APPROVE, CaseStatus.WORKSHOP_REVIEWED, _("Welfare cases to approve"), True),
        (PAY, CaseStatus.APPROVED, _("Welfare cases to pay"), False),
        (PAY, CaseStatus.PAID, _("Welfare cases to archive"), False),
    ]
    wanted = [
        (a, s, label, own)
        for a, s, label, own in steps
        if WelfareCase.objects.reach(user, a) is not Reach.NONE
    ]
    if wanted:
        counts = dict(
            WelfareCase.objects.restrict(user, VIEW)
            .filter(status__in=[s for _, s, _, _ in wanted])
            .exclude(filed_by=user)
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        for _action, status, label, _own in wanted:
            if counts.get(status):
                found.append(
                    (label, counts[status], reverse("welfare:case_list") + f"?status={status}")
                )
    if HardshipRecord.objects.reach(user, VIEW) is not Reach.NONE:
        due = reviews_due(HardshipRecord.objects.restrict(user, VIEW)).count()
        if due:
            found.append(
                (_("Hardship reviews due"), due, reverse("welfare:archive_list") + "?due=1")
            )
    return found
