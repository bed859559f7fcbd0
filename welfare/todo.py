"""What waits for a user in welfare: cases at their step, cases clear to pay, papers to
follow (后补, overdue ones first), objections to answer, hardship reviews due."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE

from .models import HQ_APPROVE, PAY, VIEW, HardshipRecord, Objection, PaperWaiver, WelfareCase
from .services import WORKFLOW
from .services.payments import clear_to_pay

LABELS = {
    "workshop_review": _("Welfare cases to review"),
    "approve": _("Welfare cases to approve"),
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
    found.extend(_payment_items(user))
    found.extend(_waiver_items(user))
    if HardshipRecord.objects.may(user, VIEW):
        due = HardshipRecord.objects.restrict(user, VIEW).reviews_due().count()
        if due:
            found.append(
                (_("Hardship reviews due"), due, reverse("welfare:archive_list") + "?due=1")
            )
    return found


def _payment_items(user):
    found = []
    if WelfareCase.objects.may(user, PAY):
        count = clear_to_pay(WelfareCase.objects.restrict(user, PAY)).count()
        if count:
            found.append(
                (
                    _("Welfare cases to put into a payment batch"),
                    count,
                    reverse("welfare:case_list") + "?waiting=pay#batch",
                )
            )
    if WelfareCase.objects.may(user, HQ_APPROVE):
        waiting = (
            WelfareCase.objects.restrict(user, HQ_APPROVE)
            .filter(
                Exists(
                    Objection.objects.filter(
                        publicity__case=OuterRef("pk"), answered_on__isnull=True
                    )
                )
            )
            .count()
        )
        if waiting:
            found.append(
                (
                    _("Objections to a notice to answer"),
                    waiting,
                    reverse("welfare:case_list") + "?waiting=objections",
                )
            )
    return found


def _waiver_items(user):
    """Cases with a paper allowed to follow later and not in yet: for HQ's welfare staff
    and the member's workshop union, with how many are overdue."""
    if not WelfareCase.objects.may(user, CHANGE):
        return []
    today = timezone.localdate()
    open_waivers = PaperWaiver.objects.filter(case=OuterRef("pk"), closed_at__isnull=True)
    row = (
        WelfareCase.objects.restrict(user, CHANGE)
        .filter(Exists(open_waivers))
        .aggregate(
            every=Count("pk"),
            late=Count("pk", filter=Q(Exists(open_waivers.filter(due_on__lt=today)))),
        )
    )
    if not row["every"]:
        return []
    label = (
        gettext("Cases with papers to follow later, %(late)s overdue") % {"late": row["late"]}
        if row["late"]
        else gettext("Cases with papers to follow later")
    )
    return [(label, row["every"], reverse("welfare:case_list") + "?waiting=papers")]
