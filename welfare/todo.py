"""What waits for a user in welfare: cases at their step, hardship reviews due."""

from django.db.models import Count, Q
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
    # (action, the status waiting for it, label, whether the one who filed the case is
    # barred from it: nobody reviews or approves their own application, but they may pay
    # and archive it)
    steps = [
        (WORKSHOP_REVIEW, CaseStatus.APPLIED, _("Welfare cases to review"), True),
        (HQ_APPROVE, CaseStatus.WORKSHOP_REVIEWED, _("Welfare cases to approve"), True),
        (PAY, CaseStatus.APPROVED, _("Welfare cases to pay"), False),
        (PAY, CaseStatus.PAID, _("Welfare cases to archive"), False),
    ]
    wanted = [step for step in steps if WelfareCase.objects.reach(user, step[0]) is not Reach.NONE]
    if wanted:
        counts = {
            status: (every, others)
            for status, every, others in WelfareCase.objects.restrict(user, VIEW)
            .filter(status__in=[status for _, status, _, _ in wanted])
            .order_by()
            .values("status")
            .annotate(every=Count("pk"), others=Count("pk", filter=~Q(filed_by=user)))
            .values_list("status", "every", "others")
        }
        for _action, status, label, not_own in wanted:
            every, others = counts.get(status, (0, 0))
            count = others if not_own else every
            if count:
                found.append((label, count, reverse("welfare:case_list") + f"?status={status}"))
    if HardshipRecord.objects.reach(user, VIEW) is not Reach.NONE:
        due = reviews_due(HardshipRecord.objects.restrict(user, VIEW)).count()
        if due:
            found.append(
                (_("Hardship reviews due"), due, reverse("welfare:archive_list") + "?due=1")
            )
    return found
