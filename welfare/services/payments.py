"""Paying approved cases through the funds app's payment batches: HQ's welfare staff put
the cases that are clear to pay (notice ended with no open objection, not yet in a batch)
into a new or open batch of the case's fund; the batch's closing marks them paid
(`lines_paid`), and a line taken out of an open batch puts its case back
(`line_removed`). Every case's money is in exactly one batch (WelfareCase.payment_line)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import allows, require_allowed
from funds import services as funds
from funds.models import BatchStatus, LineKind, PaymentBatch

from ..access import log_access
from ..models import PAY, AccessLog, CaseEvent, CaseStatus, Objection, WelfareCase
from .publicity import payment_hold

Log = AccessLog.Action


def clear_to_pay(queryset, *, today: date | None = None):
    """The approved cases of `queryset` that may go into a batch: not in one yet, and not
    held by their notice (posted cases: the notice has ended, no objection is open)."""
    today = today or timezone.localdate()
    open_objection = Objection.objects.filter(
        publicity__case=OuterRef("pk"), answered_on__isnull=True
    )
    return queryset.filter(status=CaseStatus.APPROVED, payment_line__isnull=True).filter(
        Q(publicity__isnull=True) | Q(publicity__ends_on__lt=today) & ~Exists(open_objection)
    )


def case_may_batch(*, user) -> bool:
    return WelfareCase.objects.may(user, PAY)


@transaction.atomic
def cases_put_in_batch(
    *,
    by,
    cases: list[WelfareCase],
    batch: PaymentBatch | None = None,
    fund=None,
    method: str = "",
    title: str = "",
    address: str | None = None,
) -> PaymentBatch:
    """Put approved cases into an open batch of their fund (`batch`), or into a new one
    (`fund`, `method`, `title`). All or nothing: a case that is held, already batched or
    of another fund, or a fund that cannot pay it (the balance is shown), refuses the
    whole lot."""
    if not cases:
        raise ValidationError({"cases": _("Tick the cases to pay.")})
    locked = list(
        WelfareCase.objects.select_for_update(of=("self",))
        .filter(pk__in=[c.pk for c in cases])
        .select_related("member__group", "case_type", "fund")
        .order_by("pk")
    )
    for case in locked:
        require_allowed(by, PAY, case)
    if batch is None:
        funds_used = {case.fund_id for case in locked}
        if fund is None or funds_used != {fund.pk}:
            raise ValidationError(
                {"fund": _("A batch pays from one fund: choose cases approved from that fund.")}
            )
        batch = funds.batch_open(by=by, fund=fund, method=method, title=title)
    elif batch.status != BatchStatus.OPEN:
        raise ValidationError({"batch": _("That batch is closed.")})
    for case in locked:
        problem = ""
        if case.status != CaseStatus.APPROVED:
            problem = _("it is not an approved case waiting for payment")
        elif case.payment_line_id:
            problem = _("it is already in a payment batch")
        elif case.fund_id != batch.fund_id:
            problem = _("it was approved from %(fund)s") % {"fund": case.fund}
        else:
            problem = payment_hold(case)
        if problem:
            raise ValidationError(
                {
                    "cases": _("Case %(number)s: %(problem)s")
                    % {"number": case.number, "problem": problem}
                }
            )
        try:
            line = funds.batch_add_line(
                by=by,
                batch=batch,
                member=case.member,
                amount=case.amount_approved,
                kind=LineKind.CASE,
                category=case.case_type.name,
                reference=case.number,
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    "cases": _("Case %(number)s: %(problem)s")
                    % {"number": case.number, "problem": "；".join(error.messages)}
                }
            ) from error
        case.payment_line = line
        case.version += 1
        case._history_user = by
        case.save()
        CaseEvent.objects.create(
            case=case,
            step=CaseEvent.Step.BATCHED,
            by=by,
            comment=batch.number,
            amount=case.amount_approved,
        )
        log_access(
            user=by,
            action=Log.CHANGE,
            record=case,
            summary=_("put into batch %(number)s") % {"number": batch.number},
            address=address,
        )
    return batch


def mark_paid(*, lines, paid_on: date, by) -> int:
    """The receiver of funds' `lines_paid`: the cases whose lines were paid are PAID, with
    the amount, the date and the days from application to payment (发放及时)."""
    cases = list(
        WelfareCase.objects.select_for_update(of=("self",))
        .filter(payment_line__in=[line.pk for line in lines if line.kind == LineKind.CASE])
        .select_related("payment_line__batch", "member")
    )
    for case in cases:
        line = case.payment_line
        case.amount_paid = line.amount
        case.paid_on = paid_on
        case.payment_method = line.batch.method
        case.voucher_no = line.batch.number
        case.days_to_payment = (paid_on - case.applied_on).days
        case.status = CaseStatus.PAID
        case.version += 1
        case._history_user = by
        case.full_clean()
        case.save()
        CaseEvent.objects.create(
            case=case,
            step=CaseEvent.Step.PAID,
            by=by,
            comment=line.batch.number,
            amount=case.amount_paid,
        )
        log_access(user=by, action=Log.CHANGE, record=case, summary=CaseEvent.Step.PAID.label)
    return len(cases)


def unbatch(*, line, by) -> None:
    """The receiver of funds' `line_removed`: the case goes back to approved, not in a
    batch."""
    case = WelfareCase.objects.select_for_update().filter(payment_line=line).first()
    if case is None:
        return
    case.payment_line = None
    case.version += 1
    case._history_user = by
    case.save()
    CaseEvent.objects.create(
        case=case, step=CaseEvent.Step.UNBATCHED, by=by, comment=line.batch.number
    )
    log_access(user=by, action=Log.CHANGE, record=case, summary=CaseEvent.Step.UNBATCHED.label)


def case_may_see_batch(*, case, user) -> bool:
    return case.payment_line_id is not None and allows(user, PAY, case)
