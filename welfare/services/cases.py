"""Welfare cases: 申请 → 车间审核 → 工会审批 → 发放 → 归档 (or 驳回). Every step is written to
the access log in the same transaction; `address` is the client's, for that log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, allows, require_allowed
from groups.models import Member, MemberStatus
from unionhome import uploads

from ..access import log_access
from ..models import (
    AMEND,
    APPLY,
    HQ_APPROVE,
    PAY,
    WORKSHOP_REVIEW,
    AccessLog,
    CaseDocument,
    CaseEvent,
    CaseStatus,
    CaseType,
    PaperReceipt,
    RequiredDocument,
    WelfareCase,
)
from .money import money

Log = AccessLog.Action


class ConcurrentChange(ValidationError):
    """Somebody else moved the case on since the user opened it."""


@dataclass(frozen=True)
class Step:
    """A step of the workflow: its name (on the case page and in its URL), the status
    that waits for it, the action it takes, and whether the one who filed the case is
    barred from it (nobody reviews or approves their own application)."""

    name: str
    waits_in: str
    action: str
    not_by_filer: bool


WORKFLOW = (
    Step("workshop_review", CaseStatus.APPLIED, WORKSHOP_REVIEW, True),
    Step("approve", CaseStatus.WORKSHOP_REVIEWED, HQ_APPROVE, True),
    Step("pay", CaseStatus.APPROVED, PAY, False),
    Step("archive", CaseStatus.PAID, PAY, False),
)
STEPS = {step.name: step for step in WORKFLOW}


# What a user may do with a case now ------------------------------------------------------


def case_next_steps(*, case: WelfareCase, user) -> list[str]:
    """The workflow steps `user` may take on `case` now."""
    return [
        step.name
        for step in WORKFLOW
        if case.status == step.waits_in
        and not (step.not_by_filer and case.filed_by_id == user.pk)
        and allows(user, step.action, case)
    ]


def case_may_amend(*, case: WelfareCase, user) -> bool:
    """Correcting the application: before the workshop's review, by the union staff of
    the case or the one who filed it."""
    return case.status == CaseStatus.APPLIED and allows(user, AMEND, case)


def case_may_add_papers(*, case: WelfareCase, user) -> bool:
    """Adding papers to the file, until it is archived."""
    return case.status != CaseStatus.ARCHIVED and allows(user, AMEND, case)


def case_may_receive_paper(*, case: WelfareCase, user) -> bool:
    """Ticking a paper received on paper: the union staff who handle the case."""
    return allows(user, CHANGE, case)


def _require_step(case: WelfareCase, by, name: str, waiting_message: str) -> None:
    step = STEPS[name]
    require_allowed(by, step.action, case)
    if case.status != step.waits_in:
        raise ValidationError(waiting_message)
    if name not in case_next_steps(case=case, user=by):
        raise ValidationError(_("Nobody reviews an application they filed themselves."))


# Steps -----------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"BF{year}-"
    last = WelfareCase.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def _step(
    case: WelfareCase, by, step: str, comment: str = "", amount=None, *, address, summary=None
) -> None:
    """Record a step of the case: its event, its new version, and the access log line."""
    case.version += 1
    case._history_user = by
    case.save()
    CaseEvent.objects.create(case=case, step=step, by=by, comment=comment.strip(), amount=amount)
    log_access(
        user=by,
        action=Log.CHANGE,
        record=case,
        summary=summary or CaseEvent.Step(step).label,
        address=address,
    )


@transaction.atomic
def case_create(
    *,
    by,
    member: Member,
    case_type: CaseType,
    reason: str,
    amount_requested,
    applied_on: date | None = None,
    situation: str = "",
    fund_source: str = "",
    address: str | None = None,
) -> WelfareCase:
    """File an application for assistance for a member."""
    applied_on = applied_on or timezone.localdate()
    case = WelfareCase(
        member=member,
        case_type=case_type,
        applied_on=applied_on,
        filed_by=by,
        reason=reason.strip(),
        situation=situation.strip(),
        amount_requested=money(amount_requested),
        fund_source=fund_source,
    )
    require_allowed(by, APPLY, case)
    errors = {}
    if member.status != MemberStatus.ACTIVE:
        errors["member"] = _("%(name)s has left the union.") % {"name": member.name}
    if not case_type.is_active:
        errors["case_type"] = _("This assistance type is no longer used.")
    if case.amount_requested <= 0:
        errors["amount_requested"] = _("Enter the amount applied for, in yuan.")
    if errors:
        raise ValidationError(errors)
    for attempt in range(3):
        case.number = _next_number(applied_on.year)
        case.full_clean(exclude=["number"])
        try:
            with transaction.atomic():
                case._history_user = by
                case.save()
            break
        except IntegrityError:
            # Two applications took the same number at once: take the next one.
            if attempt == 2:
                raise
    CaseEvent.objects.create(
        case=case, step=CaseEvent.Step.APPLIED, by=by, amount=case.amount_requested
    )
    log_access(user=by, action=Log.CREATE, record=case, summary=str(case_type), address=address)
    return case


def _locked(case: WelfareCase, version: int) -> WelfareCase:
    case = (
        WelfareCase.objects.select_for_update()
        .select_related("member__group", "case_type")
        .get(pk=case.pk)
    )
    if case.version != version:
        last = case.events.select_related("by").last()
        raise ConcurrentChange(
            _(
                "%(who)s moved this case on at %(when)s while you were working on it; look at it "
                "again before you act."
            )
            % {
                "who": last.by.name if last else "",
                "when": timezone.localtime(last.at).strftime("%H:%M") if last else "",
            }
        )
    return case


@transaction.atomic
def case_update(
    *,
    case: WelfareCase,
    by,
    version: int,
    reason: str,
    amount_requested,
    situation: str = "",
    fund_source: str = "",
    address: str | None = None,
) -> WelfareCase:
    """Correct an application before the workshop has reviewed it."""
    case = _locked(case, version)
    require_allowed(by, AMEND, case)
    if not case_may_amend(case=case, user=by):
        raise ValidationError(_("An application can be corrected only before it is reviewed."))
    case.reason, case.situation = reason.strip(), situation.strip()
    case.amount_requested = money(amount_requested)
    case.fund_source = fund_source
    if case.amount_requested <= 0:
        raise ValidationError({"amount_requested": _("Enter the amount applied for, in yuan.")})
    case.full_clean()
    _step(
        case,
        by,
        CaseEvent.Step.EDITED,
        amount=case.amount_requested,
        address=address,
        summary=_("corrected the application"),
    )
    return case


@transaction.atomic
def case_workshop_review(
    *,
    case: WelfareCase,
    by,
    version: int,
    approve: bool,
    comment: str = "",
    amount_suggested=None,
    address: str | None = None,
) -> WelfareCase:
    """车间审核: the member's workshop union passes the case to HQ (with the amount it
    suggests) or rejects it with a reason."""
    case = _locked(case, version)
    _require_step(
        case, by, "workshop_review", _("This case is not waiting for the workshop's review.")
    )
    if approve:
        if amount_suggested is not None:
            case.amount_suggested = money(amount_suggested)
            if case.amount_suggested <= 0:
                raise ValidationError({"amount": _("Enter an amount above zero.")})
        case.status = CaseStatus.WORKSHOP_REVIEWED
        step, amount = CaseEvent.Step.WORKSHOP_REVIEWED, case.amount_suggested
    else:
        _reject(case, comment)
        step, amount = CaseEvent.Step.REJECTED, None
    _step(case, by, step, comment, amount, address=address)
    return case


def _reject(case: WelfareCase, comment: str) -> None:
    if not comment.strip():
        raise ValidationError({"comment": _("Give the reason for rejecting.")})
    case.status = CaseStatus.REJECTED
    case.rejected_reason = comment.strip()


@transaction.atomic
def case_approve(
    *,
    case: WelfareCase,
    by,
    version: int,
    amount_approved,
    fund_source: str,
    over_limit_reason: str = "",
    comment: str = "",
    address: str | None = None,
) -> WelfareCase:
    """工会审批: HQ approves an amount. Above the type's limit only with HQ's explicit
    reason (e.g. the meeting that decided it)."""
    case = _locked(case, version)
    _require_step(case, by, "approve", _("This case is not waiting for the union's approval."))
    amount = money(amount_approved)
    errors = {}
    if amount <= 0:
        errors["amount_approved"] = _("Enter an amount above zero.")
    limit = case.case_type.limit
    if limit is not None and amount > limit and not over_limit_reason.strip():
        errors["amount_approved"] = _(
            "%(amount)s yuan is above the %(limit)s yuan limit for %(type)s; approve it only "
            "with the reason for going above the limit."
        ) % {"amount": amount, "limit": limit, "type": case.case_type}
    if not fund_source:
        errors["fund_source"] = _("Choose where the money comes from.")
    if errors:
        raise ValidationError(errors)
    case.amount_approved = amount
    case.fund_source = fund_source
    case.over_limit_reason = over_limit_reason.strip() if limit and amount > limit else ""
    case.status = CaseStatus.APPROVED
    note = comment
    if case.over_limit_reason:
        note = _("Above the limit: %(reason)s") % {"reason": case.over_limit_reason} + (
            f"\n{comment}" if comment else ""
        )
    _step(case, by, CaseEvent.Step.APPROVED, note, amount, address=address)
    return case


@transaction.atomic
def case_reject(*, case: WelfareCase, by, version: int, comment: str, address=None):
    """HQ rejects a case the workshop passed on, with a reason."""
    case = _locked(case, version)
    _require_step(case, by, "approve", _("This case is not waiting for the union's approval."))
    _reject(case, comment)
    _step(case, by, CaseEvent.Step.REJECTED, comment, address=address)
    return case


@transaction.atomic
def case_pay(
    *,
    case: WelfareCase,
    by,
    version: int,
    amount_paid,
    paid_on: date,
    payment_method: str,
    voucher_no: str = "",
    comment: str = "",
    address: str | None = None,
) -> WelfareCase:
    """发放: record the payment; the days from application to payment are kept (发放及时)."""
    case = _locked(case, version)
    _require_step(case, by, "pay", _("Only an approved case can be paid."))
    amount = money(amount_paid)
    errors = {}
    if amount <= 0:
        errors["amount_paid"] = _("Enter an amount above zero.")
    elif amount > case.amount_approved:
        errors["amount_paid"] = _("%(paid)s yuan is more than the %(approved)s yuan approved.") % {
            "paid": amount,
            "approved": case.amount_approved,
        }
    if paid_on < case.applied_on:
        errors["paid_on"] = _("The payment cannot come before the application.")
    if errors:
        raise ValidationError(errors)
    case.amount_paid = amount
    case.paid_on = paid_on
    case.payment_method = payment_method
    case.voucher_no = voucher_no.strip()
    case.days_to_payment = (paid_on - case.applied_on).days
    case.status = CaseStatus.PAID
    case.full_clean()
    _step(case, by, CaseEvent.Step.PAID, comment, amount, address=address)
    return case


def checklist(case: WelfareCase, documents=None, receipts=None):
    """(requirement, its uploaded documents, paper receipt or None) for each required paper."""
    documents = list(case.documents.all()) if documents is None else documents
    receipts = {
        r.requirement_id: r for r in (case.receipts.all() if receipts is None else receipts)
    }
    return [
        (
            requirement,
            [d for d in documents if d.requirement_id == requirement.pk],
            receipts.get(requirement.pk),
        )
        for requirement in case.case_type.requirements.all()
    ]


@transaction.atomic
def case_archive(
    *, case: WelfareCase, by, version: int, comment: str = "", address: str | None = None
) -> WelfareCase:
    """归档: a paid case goes to the archive once every required paper is on file."""
    case = _locked(case, version)
    _require_step(case, by, "archive", _("Only a paid case can be archived."))
    missing = [str(req) for req, docs, receipt in checklist(case) if not docs and not receipt]
    if missing:
        raise ValidationError(
            _("Papers still missing: %(papers)s.") % {"papers": "、".join(missing)}
        )
    case.status = CaseStatus.ARCHIVED
    _step(case, by, CaseEvent.Step.ARCHIVED, comment, address=address)
    return case


@transaction.atomic
def case_add_document(
    *, case: WelfareCase, by, uploaded, requirement=None, address: str | None = None
) -> CaseDocument:
    """Attach a supporting document (checked by its content like every upload)."""
    case = WelfareCase.objects.select_related("member__group", "case_type").get(pk=case.pk)
    require_allowed(by, AMEND, case)
    if not case_may_add_papers(case=case, user=by):
        raise ValidationError(_("The case is archived; its file is closed."))
    if requirement is not None and requirement.case_type_id != case.case_type_id:
        raise ValidationError({"requirement": _("That paper is not on this case's list.")})
    file_type = uploads.validate_upload(uploaded)
    existing = [d.size for d in case.documents.all()]
    uploads.validate_total([*existing, uploaded.size])
    document = CaseDocument(
        case=case,
        requirement=requirement,
        original_name=uploaded.name[:200],
        kind=file_type.kind,
        mime=file_type.mime,
        size=uploaded.size,
        uploaded_by=by,
    )
    document.file.save(f"document.{file_type.extension}", uploaded, save=False)
    document.save()
    CaseEvent.objects.create(
        case=case, step=CaseEvent.Step.DOCUMENT, by=by, comment=document.original_name
    )
    log_access(
        user=by,
        action=Log.CHANGE,
        record=case,
        summary=_("added %(name)s") % {"name": document.original_name},
        address=address,
    )
    return document


@transaction.atomic
def case_receive_paper(
    *, case: WelfareCase, by, requirement: RequiredDocument, address: str | None = None
) -> PaperReceipt:
    case = WelfareCase.objects.select_related("member__group").get(pk=case.pk)
    if not case_may_receive_paper(case=case, user=by):
        raise PermissionDenied
    if requirement.case_type_id != case.case_type_id:
        raise ValidationError(_("That paper is not on this case's list."))
    receipt, _created = PaperReceipt.objects.get_or_create(
        case=case, requirement=requirement, defaults={"by": by}
    )
    CaseEvent.objects.create(
        case=case, step=CaseEvent.Step.CHECKED, by=by, comment=requirement.name
    )
    log_access(user=by, action=Log.CHANGE, record=case, summary=requirement.name, address=address)
    return receipt
