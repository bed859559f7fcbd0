"""What waits for a user in welfare: cases at their step, hardship reviews due."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import VIEW, HardshipRecord, WelfareCase
from .services import WORKFLOW

LABELS = {
    "workshop_review": _("Welfare cases to review"),
    "approve": _("Welfare cases to approve"),
    "pay": _("Welfare cases to pay"),
    "archive": _("Welfare cases to archive"),
}


def todo_items(user):
    found = []
    # One count per action (review, approve, pay): each within what that action reaches.
    counts = {}
    for action in dict.fromkeys(step.action for step in WORKFLOW):
        if not WelfareCase.objects.may(user, action):
            continue
        statuses = [step.waits_in for step in WORKFLOW if step.action == action]
        for status, every, others in (
            WelfareCase.objects.restrict(user, action)
            .filter(status__in=statuses)
            .order_by()
            .values("status")
            .annotate(every=Count("pk"), others=Count("pk", filter=~Q(filed_by=user)))
            .values_list("status", "every", "others")
        ):
            counts[status] = (every, others)
    for step in WORKFLOW:
        every, others = counts.get(step.waits_in, (0, 0))
        count = others if step.not_by_filer else every
        if count:
            found.append(
                (
                    str(LABELS[step.name]),
                    count,
                    reverse("welfare:case_list") + f"?status={step.waits_in}",
                )
            )
    if HardshipRecord.objects.may(user, VIEW):
        due = HardshipRecord.objects.restrict(user, VIEW).reviews_due().count()
        if due:
            found.append(
                (_("Hardship reviews due"), due, reverse("welfare:archive_list") + "?due=1")
            )
    return found
