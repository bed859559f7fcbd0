"""公示: approved cases of the types HQ marks are posted for the type's days (name,
workshop union, type and amount only); objections are recorded and answered by HQ's
welfare staff; a case is paid only once its notice has ended with no open objection. An
upheld objection rejects the case, with the answer as the reason."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import allows, require_allowed
from unionhome.dates import day_label
from unionhome.validators import check_not_in_future

from ..access import log_access
from ..models import (
    HQ_APPROVE,
    AccessLog,
    CaseEvent,
    CaseStatus,
    Objection,
    Publicity,
    WelfareCase,
)
from .cases import _locked, _step

Log = AccessLog.Action


def payment_hold(case: WelfareCase, *, today: date | None = None, publicity=None) -> str:
    """Why an approved case cannot be paid yet (its notice runs, or an objection waits
    for its answer); "" when nothing holds it. `publicity`: the case's notice with its
    objections prefetched, when the caller has it. Whether a case is posted is decided
    when it is approved (by its type then): a case approved without a notice is not held
    by one the type asks for later."""
    today = today or timezone.localdate()
    if publicity is None:
        publicity = publicity_of(case)
    if publicity is None:
        return ""
    if not publicity.has_ended(today):
        return _("The notice runs until %(day)s; the case is paid after it ends.") % {
            "day": day_label(publicity.ends_on, "date")
        }
    if any(o.is_open for o in publicity.objections.all()):
        return _("An objection to the notice waits for its answer.")
    return ""


def publicity_of(case: WelfareCase):
    """The case's notice, or None."""
    try:
        return case.publicity
    except Publicity.DoesNotExist:
        return None


def case_may_handle_objections(*, case: WelfareCase, user) -> bool:
    """Objections are recorded and answered by HQ's welfare staff while the case is
    approved and not yet in a payment batch."""
    return (
        case.status == CaseStatus.APPROVED
        and publicity_of(case) is not None
        and allows(user, HQ_APPROVE, case)
    )


@transaction.atomic
def objection_record(
    *,
    case: WelfareCase,
    by,
    received_on: date,
    content: str,
    raised_by: str = "",
    address: str | None = None,
) -> Objection:
    """Record an objection to a posted case as it was received (its author may stay
    anonymous). Payment waits until it is answered."""
    case = (
        WelfareCase.objects.select_for_update(of=("self",))
        .select_related("member__group")
        .get(pk=case.pk)
    )
    require_allowed(by, HQ_APPROVE, case)
    if not case_may_handle_objections(case=case, user=by):
        raise ValidationError(_("Objections are recorded while the approved case is posted."))
    if case.payment_line_id:
        raise ValidationError(
            _("The case is already in a payment batch: take it out of the batch first.")
        )
    check_not_in_future(received_on=received_on)
    if not content.strip():
        raise ValidationError({"content": _("Write down what the objection says.")})
    if received_on < case.publicity.starts_on:
        raise ValidationError({"received_on": _("The notice was posted on a later date.")})
    objection = Objection(
        publicity=case.publicity,
        received_on=received_on,
        raised_by=raised_by.strip(),
        content=content.strip(),
        recorded_by=by,
    )
    objection.full_clean()
    objection.save()
    CaseEvent.objects.create(case=case, step=CaseEvent.Step.OBJECTION, by=by)
    log_access(
        user=by, action=Log.CHANGE, record=case, summary=_("objection received"), address=address
    )
    return objection


@transaction.atomic
def objection_answer(
    *,
    objection: Objection,
    by,
    version: int,
    answer: str,
    upheld: bool,
    address: str | None = None,
) -> Objection:
    """Answer an objection. Upheld, it rejects the case (with the answer as the reason);
    not upheld, the case goes on to payment once the notice has ended."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    case = _locked(WelfareCase(pk=objection.publicity.case_id), version)
    require_allowed(by, HQ_APPROVE, case)
    if not objection.is_open:
        raise ValidationError(_("This objection is already answered."))
    if not case_may_handle_objections(case=case, user=by):
        raise ValidationError(_("Objections are answered while the approved case is posted."))
    if case.payment_line_id:
        raise ValidationError(
            _("The case is already in a payment batch: take it out of the batch first.")
        )
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    objection.answer = answer.strip()
    objection.answered_on = timezone.localdate()
    objection.answered_by = by
    objection.upheld = upheld
    objection.save()
    CaseEvent.objects.create(
        case=case,
        step=CaseEvent.Step.ANSWERED,
        by=by,
        comment=(_("Upheld: %(answer)s") if upheld else _("Not upheld: %(answer)s"))
        % {"answer": objection.answer},
    )
    if upheld:
        case.status = CaseStatus.REJECTED
        case.rejected_reason = _("Objection to the notice upheld: %(answer)s") % {
            "answer": objection.answer
        }
        _step(case, by, CaseEvent.Step.REJECTED, case.rejected_reason, address=address)
    else:
        log_access(
            user=by,
            action=Log.CHANGE,
            record=case,
            summary=_("objection answered"),
            address=address,
        )
    return objection
