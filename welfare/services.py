"""Changes to welfare cases, the hardship archive and care visits. Every change of a
sensitive record is written to the access log in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, allows
from groups.models import Member, MemberStatus
from unionhome import uploads

from .access import log_access
from .idnumbers import normalise
from .models import (
    APPLY,
    HQ_APPROVE,
    PAY,
    WORKSHOP_REVIEW,
    AccessLog,
    CareVisit,
    CaseDocument,
    CaseEvent,
    CaseStatus,
    CaseType,
    HardshipRecord,
    HardshipReview,
    HardshipStatus,
    PaperReceipt,
    RequiredDocument,
    WelfareCase,
)

CENT = Decimal("0.01")
Log = AccessLog.Action


class ConcurrentChange(ValidationError):
    """Somebody else moved the case on since the user opened it."""


def money(value) -> Decimal:
    """Yuan as a Decimal with two places, rounded half up as a cashier would."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _require(by, action, obj) -> None:
    if not allows(by, action, obj):
        raise PermissionDenied


def _not_in_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


# Cases -----------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"BF{year}-"
    last = WelfareCase.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def _step(case: WelfareCase, by, step: str, comment: str = "", amount=None) -> None:
    case.version += 1
    case._history_user = by
    case.save()
    CaseEvent.objects.create(case=case, step=step, by=by, comment=comment.strip(), amount=amount)


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
    request=None,
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
    _require(by, APPLY, case)
    errors = {}
    if member.status != MemberStatus.ACTIVE:
        errors["member"] = _("%(name)s has left the union.") % {"name": member.name}
    if not case_type.is_active:
        errors["case_type"] = _("This assistance type is no longer used.")
    if case.amount_requested <= 0:
        errors["amount_requested"] = _("Enter the amount applied for, in yuan.")
    if applied_on > timezone.localdate():
        errors["applied_on"] = _("The date cannot be in the future.")
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
    log_access(
        user=by,
        action=Log.CREATE,
        target=case.number,
        member=member,
        summary=str(case_type),
        request=request,
    )
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


def _not_own(case: WelfareCase, by) -> None:
    if case.filed_by_id == by.pk:
        raise ValidationError(_("Nobody reviews an application they filed themselves."))


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
    request=None,
) -> WelfareCase:
    """Correct an application before the workshop has reviewed it."""
    case = _locked(case, version)
    if not (case.filed_by_id == by.pk and allows(by, APPLY, case)) and not allows(by, CHANGE, case):
        raise PermissionDenied
    if case.status != CaseStatus.APPLIED:
        raise ValidationError(_("An application can be corrected only before it is reviewed."))
    case.reason, case.situation = reason.strip(), situation.strip()
    case.amount_requested = money(amount_requested)
    case.fund_source = fund_source
    if case.amount_requested <= 0:
        raise ValidationError({"amount_requested": _("Enter the amount applied for, in yuan.")})
    case.full_clean()
    _step(case, by, CaseEvent.Step.EDITED, amount=case.amount_requested)
    log_access(
        user=by,
        action=Log.CHANGE,
        target=case.number,
        member=case.member,
        summary=_("corrected the application"),
        request=request,
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
    request=None,
) -> WelfareCase:
    """车间审核: the member's workshop union passes the case to HQ (with the amount it
    suggests) or rejects it with a reason."""
    case = _locked(case, version)
    _require(by, WORKSHOP_REVIEW, case)
    if case.status != CaseStatus.APPLIED:
        raise ValidationError(_("This case is not waiting for the workshop's review."))
    _not_own(case, by)
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
    _step(case, by, step, comment, amount)
    log_access(
        user=by,
        action=Log.CHANGE,
        target=case.number,
        member=case.member,
        summary=CaseEvent.Step(step).label,
        request=request,
    )
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
    request=None,
) -> WelfareCase:
    """工会审批: HQ approves an amount. Above the type's limit only with HQ's explicit
    reason (e.g. the meeting that decided it)."""
    case = _locked(case, version)
    _require(by, HQ_APPROVE, case)
    if case.status != CaseStatus.WORKSHOP_REVIEWED:
        raise ValidationError(_("This case is not waiting for the union's approval."))
    _not_own(case, by)
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
    _step(case, by, CaseEvent.Step.APPROVED, note, amount)
    log_access(
        user=by,
        action=Log.CHANGE,
        target=case.number,
        member=case.member,
        summary=CaseEvent.Step.APPROVED.label,
        request=request,
    )
    return case


@transaction.atomic
def case_reject(*, case: WelfareCase, by, version: int, comment: str, request=None):
    """HQ rejects a case the workshop passed on, with a reason."""
    case = _locked(case, version)
    _require(by, HQ_APPROVE, case)
    if case.status != CaseStatus.WORKSHOP_REVIEWED:
        raise ValidationError(_("This case is not waiting for the union's approval."))
    _not_own(case, by)
    _reject(case, comment)
    _step(case, by, CaseEvent.Step.REJECTED, comment)
    log_access(
        user=by,
        action=Log.CHANGE,
        target=case.number,
        member=case.member,
        summary=CaseEvent.Step.REJECTED.label,
        request=request,
    )
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
    request=None,
) -> WelfareCase:
    """发放: record the payment; the days from application to payment are kept (发放及时)."""
    case = _locked(case, version)
    _require(by, PAY, case)
    if case.status != CaseStatus.APPROVED:
        raise ValidationError(_("Only an approved case can be paid."))
    amount = money(amount_paid)
    errors = {}
    if amount <= 0:
        errors["amount_paid"] = _("Enter an amount above zero.")
    elif amount > case.amount_approved:
        errors["amount_paid"] = _("%(paid)s yuan is more than the %(approved)s yuan approved.") % {
            "paid": amount,
            "approved": case.amount_approved,
        }
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("The date cannot be in the future.")
    elif paid_on < case.applied_on:
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
    _step(case, by, CaseEvent.Step.PAID, comment, amount)
    log_access(
        user=by,
        action=Log.CHANGE,
        target=case.number,
        member=case.member,
        summary=CaseEvent.Step.PAID.label,
        request=request,
    )
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
    *, case: WelfareCase, by, version: int, comment: str = "", request=None
) -> WelfareCase:
    """归档: a paid case goes to the archive once every required paper is on file."""
    case = _locked(case, version)
    _require(by, PAY, case)
    if case.status != CaseStatus.PAID:
        raise ValidationError(_("Only a paid case can be archived."))
    missing = [str(req) for req, docs, receipt in checklist(case) if not docs and not receipt]
    if missing:
        raise ValidationError(
            _("Papers still missing: %(papers)s.") % {"papers": "、".join(missing)}
        )
    case.status = CaseStatus.ARCHIVED
    _step(case, by, CaseEvent.Step.ARCHIVED, comment)
    log_access(
        user=by,
        action=Log.CHANGE,
        target=case.number,
        member=case.member,
        summary=CaseEvent.Step.ARCHIVED.label,
        request=request,
    )
    return case


def _may_handle_papers(by, case) -> bool:
    return case.filed_by_id == by.pk or allows(by, WORKSHOP_REVIEW, case) or allows(by, PAY, case)


@transaction.atomic
def case_add_document(
    *, case: WelfareCase, by, uploaded, requirement=None, request=None
) -> CaseDocument:
    """Attach a supporting document (checked by its content like every upload)."""
    case = WelfareCase.objects.select_related("member__group", "case_type").get(pk=case.pk)
    if not _may_handle_papers(by, case):
        raise PermissionDenied
    if case.status == CaseStatus.ARCHIVED:
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
        target=case.number,
        member=case.member,
        summary=_("added %(name)s") % {"name": document.original_name},
        request=request,
    )
    return document


@transaction.atomic
def case_receive_paper(
    *, case: WelfareCase, by, requirement: RequiredDocument, request=None
) -> PaperReceipt:
    case = WelfareCase.objects.select_related("member__group").get(pk=case.pk)
    if not (allows(by, WORKSHOP_REVIEW, case) or allows(by, PAY, case)):
        raise PermissionDenied
    if requirement.case_type_id != case.case_type_id:
        raise ValidationError(_("That paper is not on this case's list."))
    receipt, _created = PaperReceipt.objects.get_or_create(
        case=case, requirement=requirement, defaults={"by": by}
    )
    CaseEvent.objects.create(
        case=case, step=CaseEvent.Step.CHECKED, by=by, comment=requirement.name
    )
    log_access(
        user=by,
        action=Log.CHANGE,
        target=case.number,
        member=case.member,
        summary=requirement.name,
        request=request,
    )
    return receipt


# Hardship archive ------------------------------------------------------------------------


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _sync_member_flag(member: Member) -> None:
    flag = HardshipRecord.objects.filter(member=member, status=HardshipStatus.ACTIVE).exists()
    if member.is_hardship != flag:
        member.is_hardship = flag
        member.save(update_fields=["is_hardship", "updated_at"])


@transaction.atomic
def hardship_open(
    *,
    by,
    member: Member,
    level: str,
    household_income,
    household_size: int,
    household_situation: str,
    causes: list[str],
    id_number: str = "",
    health: str = "",
    opened_on: date | None = None,
    request=None,
) -> HardshipRecord:
    """Enter a member into the hardship archive; the first yearly review falls a year on."""
    opened_on = opened_on or timezone.localdate()
    record = HardshipRecord(
        member=member,
        level=level,
        id_number=normalise(id_number),
        household_income=money(household_income),
        household_size=household_size,
        household_situation=household_situation.strip(),
        health=health.strip(),
        causes=list(causes),
        opened_on=opened_on,
        last_reviewed_on=opened_on,
        next_review_on=_one_year_after(opened_on),
        recorded_by=by,
    )
    _require(by, CHANGE, record)
    _not_in_future(opened_on, "opened_on")
    if HardshipRecord.objects.filter(member=member, status=HardshipStatus.ACTIVE).exists():
        raise ValidationError(_("%(name)s is already in the archive.") % {"name": member.name})
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(_("%(name)s has left the union.") % {"name": member.name})
    record.full_clean()
    record._history_user = by
    record.save()
    HardshipReview.objects.create(
        record=record, kind=HardshipReview.Kind.OPENED, reviewed_on=opened_on, level=level, by=by
    )
    _sync_member_flag(member)
    log_access(
        user=by,
        action=Log.CREATE,
        target=record.log_target,
        member=member,
        summary=record.get_level_display(),
        request=request,
    )
    return record


@transaction.atomic
def hardship_update(*, record: HardshipRecord, by, request=None, **changes) -> HardshipRecord:
    """Correct an archive record's details (level changes go through the yearly review)."""
    allowed = {
        "id_number",
        "household_size",
        "household_income",
        "causes",
        "household_situation",
        "health",
    }
    if set(changes) - allowed:
        raise ValueError(f"hardship_update cannot change {sorted(set(changes) - allowed)}")
    record = (
        HardshipRecord.objects.select_for_update().select_related("member__group").get(pk=record.pk)
    )
    _require(by, CHANGE, record)
    if record.status != HardshipStatus.ACTIVE:
        raise ValidationError(_("This record has left the archive; it is kept as it was."))
    for field, value in changes.items():
        if field == "id_number":
            value = normalise(value)
        elif field == "household_income":
            value = money(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(record, field, value)
    record.full_clean()
    record._history_user = by
    record.save()
    log_access(
        user=by,
        action=Log.CHANGE,
        target=record.log_target,
        member=record.member,
        summary=_("corrected details"),
        request=request,
    )
    return record


@transaction.atomic
def hardship_review(
    *,
    record: HardshipRecord,
    by,
    reviewed_on: date,
    level: str,
    household_income=None,
    note: str = "",
    request=None,
) -> HardshipRecord:
    """The yearly review (动态管理): confirm or change the level; the next one falls a year on."""
    record = (
        HardshipRecord.objects.select_for_update().select_related("member__group").get(pk=record.pk)
    )
    _require(by, CHANGE, record)
    if record.status != HardshipStatus.ACTIVE:
        raise ValidationError(_("This record has left the archive."))
    _not_in_future(reviewed_on, "reviewed_on")
    if reviewed_on < record.last_reviewed_on:
        raise ValidationError({"reviewed_on": _("The last review was on a later date.")})
    record.level = level
    if household_income is not None:
        record.household_income = money(household_income)
    record.last_reviewed_on = reviewed_on
    record.next_review_on = _one_year_after(reviewed_on)
    record.full_clean()
    record._history_user = by
    record.save()
    HardshipReview.objects.create(
        record=record,
        kind=HardshipReview.Kind.REVIEWED,
        reviewed_on=reviewed_on,
        level=level,
        note=note.strip(),
        by=by,
    )
    log_access(
        user=by,
        action=Log.CHANGE,
        target=record.log_target,
        member=record.member,
        summary=HardshipReview.Kind.REVIEWED.label,
        request=request,
    )
    return record


@transaction.atomic
def hardship_exit(
    *, record: HardshipRecord, by, exited_on: date, reason: str, request=None
) -> HardshipRecord:
    """Leaving the archive (脱困 or otherwise) is a recorded step with a reason."""
    record = (
        HardshipRecord.objects.select_for_update().select_related("member__group").get(pk=record.pk)
    )
    _require(by, CHANGE, record)
    if record.status != HardshipStatus.ACTIVE:
        raise ValidationError(_("This record has already left the archive."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for leaving the archive.")})
    _not_in_future(exited_on, "exited_on")
    if exited_on < record.opened_on:
        raise ValidationError({"exited_on": _("The record was opened on a later date.")})
    record.status = HardshipStatus.EXITED
    record.exited_on = exited_on
    record.exit_reason = reason.strip()
    record._history_user = by
    record.save()
    HardshipReview.objects.create(
        record=record,
        kind=HardshipReview.Kind.EXITED,
        reviewed_on=exited_on,
        level=record.level,
        note=record.exit_reason,
        by=by,
    )
    _sync_member_flag(record.member)
    log_access(
        user=by,
        action=Log.CHANGE,
        target=record.log_target,
        member=record.member,
        summary=HardshipReview.Kind.EXITED.label,
        request=request,
    )
    return record


# Care visits -----------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    by,
    member: Member,
    kind: str,
    visited_on: date,
    visitors: str,
    gift_value=None,
    note: str = "",
) -> CareVisit:
    """Record a care visit to a member, counted for the group the member is in now (the
    group recording it), where it stays if the member moves later."""
    visit = CareVisit(
        member=member,
        group=member.group,
        kind=kind,
        visited_on=visited_on,
        visitors=visitors.strip(),
        note=note.strip(),
        recorded_by=by,
        gift_value=money(gift_value) if gift_value not in (None, "") else None,
    )
    _require(by, CHANGE, visit)
    _not_in_future(visited_on, "visited_on")
    visit.full_clean()
    visit.save()
    return visit
