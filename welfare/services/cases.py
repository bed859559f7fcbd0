"""Welfare cases: 申请 → 车间审核 → 工会审批 → 发放 → 归档 (or 驳回). Every step is written to
the access log in the same transaction; `address` is the client's, for that log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, allows, require_allowed
from funds.money import money
from groups.models import Member, MemberStatus
from unionhome import uploads
from unionhome.dates import day_label
from unionhome.templatetags.unionhome import yuan

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
    MedicalBill,
    PaperReceipt,
    PaperWaiver,
    Publicity,
    RequiredDocument,
    WelfareCase,
)
from . import rules

BILL_FIELDS = ("hospital", "admitted_on", "discharged_on", "diagnosis", "total", "reimbursed")

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


# Payment is no step of its own: approved cases go into a payment batch of the funds app
# (welfare.services.payments), and the batch's closing marks them paid.
WORKFLOW = (
    Step("workshop_review", CaseStatus.APPLIED, WORKSHOP_REVIEW, True),
    Step("approve", CaseStatus.WORKSHOP_REVIEWED, HQ_APPROVE, True),
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


def _bills(case_type: CaseType, bills) -> list[MedicalBill] | None:
    """The bills as model rows (checked), or None for a type that takes none."""
    if not case_type.needs_medical_bills:
        return None
    rows = []
    for row in bills or []:
        bill = MedicalBill(**{k: row[k] for k in BILL_FIELDS if row.get(k) is not None})
        bill.total = money(bill.total)
        bill.reimbursed = money(bill.reimbursed or 0)
        bill.full_clean(exclude=["case"])
        rows.append(bill)
    if not rows:
        raise ValidationError(
            {
                "bills": _(
                    "%(type)s is paid on the hospital bills: list each stay with its total "
                    "and what insurance paid."
                )
                % {"type": case_type.name}
            }
        )
    return rows


def _save_bills(case: WelfareCase, rows: list[MedicalBill] | None) -> None:
    if rows is None:
        return
    case.bills.all().delete()
    for bill in rows:
        bill.case = case
    MedicalBill.objects.bulk_create(rows)


def _rules_at_application(case: WelfareCase) -> None:
    """Eligibility, the yearly count and the room under the caps, when filing (refusals
    with the numbers)."""
    error = rules.eligibility_error(
        case_type=case.case_type, member=case.member, on=case.applied_on
    )
    if error:
        raise ValidationError({"case_type": error})
    year = case.applied_on.year
    error = rules.count_error(case_type=case.case_type, member=case.member, year=year, exclude=case)
    if error:
        raise ValidationError({"case_type": error})
    room = rules.cap_room(case_type=case.case_type, member=case.member, year=year, exclude=case)
    if room.remaining is not None and case.amount_requested > room.remaining:
        raise ValidationError({"amount_requested": room.message()})


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
    bills: list[dict] | None = None,
    address: str | None = None,
) -> WelfareCase:
    """File an application for assistance for a member. Refused when the member is not
    eligible for the type, has had the most cases of it this year, or asks for more than
    is left under the yearly caps; an application within the type's repeat window is
    filed with a warning (`case.repeat_warning`, also on its first step)."""
    applied_on = applied_on or timezone.localdate()
    case = WelfareCase(
        member=member,
        case_type=case_type,
        applied_on=applied_on,
        filed_by=by,
        reason=reason.strip(),
        situation=situation.strip(),
        amount_requested=money(amount_requested),
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
    bill_rows = _bills(case_type, bills)
    _rules_at_application(case)
    earlier = rules.repeat_of(case_type=case_type, member=member, applied_on=applied_on)
    case.repeat_warning = rules.repeat_warning(case_type, earlier) if earlier else ""
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
    _save_bills(case, bill_rows)
    CaseEvent.objects.create(
        case=case,
        step=CaseEvent.Step.APPLIED,
        by=by,
        amount=case.amount_requested,
        comment=case.repeat_warning,
    )
    log_access(user=by, action=Log.CREATE, record=case, summary=str(case_type), address=address)
    return case


def _locked(case: WelfareCase, version: int) -> WelfareCase:
    case = (
        WelfareCase.objects.select_for_update(of=("self",))
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
    bills: list[dict] | None = None,
    address: str | None = None,
) -> WelfareCase:
    """Correct an application (and its bills) before the workshop has reviewed it."""
    case = _locked(case, version)
    require_allowed(by, AMEND, case)
    if not case_may_amend(case=case, user=by):
        raise ValidationError(_("An application can be corrected only before it is reviewed."))
    case.reason, case.situation = reason.strip(), situation.strip()
    case.amount_requested = money(amount_requested)
    if case.amount_requested <= 0:
        raise ValidationError({"amount_requested": _("Enter the amount applied for, in yuan.")})
    bill_rows = _bills(case.case_type, bills) if bills is not None else None
    room = rules.cap_room(
        case_type=case.case_type, member=case.member, year=case.applied_on.year, exclude=case
    )
    if room.remaining is not None and case.amount_requested > room.remaining:
        raise ValidationError({"amount_requested": room.message()})
    case.full_clean()
    _save_bills(case, bill_rows)
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
        missing = papers_missing(case, waived_count=True)
        if missing:
            raise ValidationError(
                _(
                    "The papers must be on file before the workshop's review (uploaded, received "
                    "on paper, or allowed to follow later by the union): %(papers)s is missing."
                )
                % {"papers": "、".join(missing)}
            )
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


def approval_errors(case: WelfareCase, amount: Decimal, today: date) -> dict:
    """Why HQ cannot approve `amount` on the case now (eligibility, count, caps)."""
    error = rules.eligibility_error(case_type=case.case_type, member=case.member, on=today)
    if error:
        return {"amount_approved": error}
    year = case.applied_on.year
    error = rules.count_error(case_type=case.case_type, member=case.member, year=year, exclude=case)
    if error:
        return {"amount_approved": error}
    room = rules.cap_room(case_type=case.case_type, member=case.member, year=year, exclude=case)
    if room.remaining is not None and amount > room.remaining:
        return {"amount_approved": room.message()}
    return {}


@transaction.atomic
def case_approve(
    *,
    case: WelfareCase,
    by,
    version: int,
    amount_approved,
    fund,
    over_limit_reason: str = "",
    comment: str = "",
    address: str | None = None,
) -> WelfareCase:
    """工会审批: HQ approves an amount from a fund. Refused when the member is no longer
    eligible or the amount is above what the yearly caps leave; above the type's limit
    (or the 大病 rule's amount on the bills) only with HQ's explicit reason (e.g. the
    meeting that decided it). A type posted before payment gets its notice (公示) from
    today for the type's days."""
    case = _locked(case, version)
    _require_step(case, by, "approve", _("This case is not waiting for the union's approval."))
    # The member's row is the lock of their yearly caps: two approvals for one member at
    # once are judged one after the other.
    Member.objects.select_for_update().filter(pk=case.member_id).first()
    amount = money(amount_approved)
    today = timezone.localdate()
    errors = {}
    if amount <= 0:
        errors["amount_approved"] = _("Enter an amount above zero.")
    else:
        errors.update(approval_errors(case, amount, today))
    limit = case.case_type.limit
    rule = rules.case_bill_amount(case)
    above = None
    if rule is not None and amount > rule:
        above = _(
            "%(amount)s is above the %(rule)s the pay rule of %(type)s gives on the bills; "
            "approve it only with the reason for going above it."
        ) % {"amount": yuan(amount), "rule": yuan(rule), "type": case.case_type}
    elif limit is not None and amount > limit:
        above = _(
            "%(amount)s yuan is above the %(limit)s yuan limit for %(type)s; approve it only "
            "with the reason for going above the limit."
        ) % {"amount": amount, "limit": limit, "type": case.case_type}
    if above and not over_limit_reason.strip() and "amount_approved" not in errors:
        errors["amount_approved"] = above
    if fund is None:
        errors["fund"] = _("Choose where the money comes from.")
    elif not fund.is_active:
        errors["fund"] = _("%(fund)s is no longer in use.") % {"fund": fund.name}
    if errors:
        raise ValidationError(errors)
    case.amount_approved = amount
    case.fund = fund
    case.over_limit_reason = over_limit_reason.strip() if above else ""
    case.status = CaseStatus.APPROVED
    note = comment
    if case.over_limit_reason:
        note = _("Above the limit: %(reason)s") % {"reason": case.over_limit_reason} + (
            f"\n{comment}" if comment else ""
        )
    _step(case, by, CaseEvent.Step.APPROVED, note, amount, address=address)
    if case.case_type.needs_publicity:
        Publicity.objects.update_or_create(
            case=case,
            defaults={
                "starts_on": today,
                "ends_on": today + timedelta(days=case.case_type.publicity_days - 1),
            },
        )
    return case


@transaction.atomic
def case_reject(*, case: WelfareCase, by, version: int, comment: str, address=None):
    """HQ rejects a case the workshop passed on, with a reason."""
    case = _locked(case, version)
    _require_step(case, by, "approve", _("This case is not waiting for the union's approval."))
    _reject(case, comment)
    _step(case, by, CaseEvent.Step.REJECTED, comment, address=address)
    return case


def checklist(case: WelfareCase, documents=None, receipts=None, waivers=None):
    """(requirement, its uploaded documents, paper receipt or None, waiver or None) for
    each required paper."""
    documents = list(case.documents.all()) if documents is None else documents
    receipts = {
        r.requirement_id: r for r in (case.receipts.all() if receipts is None else receipts)
    }
    waivers = {w.requirement_id: w for w in (case.waivers.all() if waivers is None else waivers)}
    return [
        (
            requirement,
            [d for d in documents if d.requirement_id == requirement.pk],
            receipts.get(requirement.pk),
            waivers.get(requirement.pk),
        )
        for requirement in case.case_type.requirements.all()
    ]


def papers_missing(case: WelfareCase, *, waived_count: bool) -> list[str]:
    """The required papers not on file; with `waived_count`, a paper HQ allowed to follow
    later (后补, still open) counts as on file (before the review, not at archiving)."""
    return [
        str(requirement)
        for requirement, docs, receipt, waiver in checklist(case)
        if not docs and not receipt and not (waived_count and waiver and not waiver.closed_at)
    ]


@transaction.atomic
def case_archive(
    *, case: WelfareCase, by, version: int, comment: str = "", address: str | None = None
) -> WelfareCase:
    """归档: a paid case goes to the archive once every required paper is on file."""
    case = _locked(case, version)
    _require_step(case, by, "archive", _("Only a paid case can be archived."))
    missing = papers_missing(case, waived_count=False)
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
    if requirement is not None:
        _close_waiver(case, requirement)
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
    _close_waiver(case, requirement)
    CaseEvent.objects.create(
        case=case, step=CaseEvent.Step.CHECKED, by=by, comment=requirement.name
    )
    log_access(user=by, action=Log.CHANGE, record=case, summary=requirement.name, address=address)
    return receipt


def _close_waiver(case: WelfareCase, requirement) -> None:
    PaperWaiver.objects.filter(case=case, requirement=requirement, closed_at=None).update(
        closed_at=timezone.now()
    )


def case_may_waive(*, case: WelfareCase, user) -> bool:
    """后补: HQ welfare staff (those who approve) let a paper follow later, until the case
    is paid."""
    return case.status in (
        CaseStatus.APPLIED,
        CaseStatus.WORKSHOP_REVIEWED,
        CaseStatus.APPROVED,
    ) and allows(user, HQ_APPROVE, case)


@transaction.atomic
def case_waive_paper(
    *,
    case: WelfareCase,
    by,
    requirement: RequiredDocument,
    reason: str,
    due_on: date,
    address: str | None = None,
) -> PaperWaiver:
    """后补: a required paper may follow later, with the reason and the date it is due; the
    workshop may then review the case. It shows on the to-do list until the paper is in."""
    case = WelfareCase.objects.select_related("member__group", "case_type").get(pk=case.pk)
    require_allowed(by, HQ_APPROVE, case)
    if not case_may_waive(case=case, user=by):
        raise ValidationError(_("Papers can follow later only until the case is paid."))
    if requirement.case_type_id != case.case_type_id:
        raise ValidationError({"requirement": _("That paper is not on this case's list.")})
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason the paper follows later.")
    if due_on is None or due_on < timezone.localdate():
        errors["due_on"] = _("The date the paper is due cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    if not papers_missing(case, waived_count=False).count(str(requirement)):
        raise ValidationError({"requirement": _("That paper is already on file.")})
    waiver, _created = PaperWaiver.objects.update_or_create(
        case=case,
        requirement=requirement,
        defaults={"reason": reason.strip(), "due_on": due_on, "by": by, "closed_at": None},
    )
    CaseEvent.objects.create(
        case=case,
        step=CaseEvent.Step.WAIVED,
        by=by,
        comment=_("%(paper)s to follow by %(day)s: %(reason)s")
        % {"paper": requirement.name, "day": day_label(due_on, "date"), "reason": waiver.reason},
    )
    log_access(user=by, action=Log.CHANGE, record=case, summary=requirement.name, address=address)
    return waiver
