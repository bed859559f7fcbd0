"""Changes to 合理化建议. Every function checks the acting user with the scope rules, runs in
one transaction, locks the suggestion it changes and raises ValidationError with the field
at fault; nothing is half-written. `by=None` is the system itself (a command, another
app's service that checked its user)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import allows, require_allowed
from groups.models import Member, MemberStatus
from membership.services import number_next
from unionhome import uploads

from .models import (
    AWARD,
    DECIDED,
    FILE,
    IMPLEMENT,
    PUBLISH,
    SCREEN,
    TAKEN_UP,
    AwardLevel,
    Improvement,
    ImprovementFile,
    ImprovementSettings,
    Status,
)


def _today() -> date:
    return timezone.localdate()


def _text(value, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _locked(improvement: Improvement) -> Improvement:
    return (
        Improvement.objects.select_for_update(of=("self",))
        .select_related("member", "group", "workshop")
        .get(pk=improvement.pk)
    )


def _refuse_other_workshop(by, improvement: Improvement, action: str) -> None:
    """PermissionDenied with the reason when `by` may not take `action` on this suggestion:
    a workshop union screening another workshop union's suggestion is told so."""
    if by is None or allows(by, action, improvement):
        return
    raise PermissionDenied(
        _(
            "%(number)s belongs to %(workshop)s: only that workshop union or the union HQ "
            "may handle it."
        )
        % {"number": improvement.number, "workshop": improvement.workshop.name}
    )


def _next_number(year: int) -> str:
    """HL2026-0001 …: the prefix HQ sets (ImprovementSettings), the year, and a counter row
    per year, locked until the transaction ends, so two suggestions filed at the same moment
    take one number each."""
    sequence = number_next(key=f"improvements:{year}")
    return f"{ImprovementSettings.current().number_prefix}{year}-{sequence:04d}"


def _attach(by, improvement: Improvement, files) -> list[ImprovementFile]:
    files = [f for f in (files or []) if f]
    if not files:
        return []
    existing = list(improvement.attachments.values_list("size", flat=True))
    try:
        types = [uploads.validate_upload(f) for f in files]
        uploads.validate_total([*existing, *(f.size for f in files)])
    except ValidationError as error:
        raise ValidationError({"attachments": error.messages}) from error
    saved = []
    for uploaded, file_type in zip(files, types, strict=True):
        item = ImprovementFile(
            improvement=improvement,
            name=(uploaded.name or "")[-200:] or f"file.{file_type.extension}",
            mime=file_type.mime,
            size=uploaded.size,
            uploaded_by=by,
        )
        item.file.save(f"attachment.{file_type.extension}", uploaded, save=False)
        item.save()
        saved.append(item)
    return saved


# Filing -----------------------------------------------------------------------------------


@transaction.atomic
def improvement_file(
    *,
    by,
    member: Member,
    title: str,
    problem: str,
    proposal: str,
    expected_effect: str = "",
    filed_on: date | None = None,
    attachments=(),
) -> Improvement:
    """File a suggestion for `member`: by the member's own login, or on their behalf by
    their group leader, their workshop union or HQ (`on_behalf` is recorded). The group and
    workshop union are the member's at filing. `filed_on` (the day the member proposed it,
    a paper form handed in earlier) defaults to today and cannot be in the future."""
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError({"member": _("Only a current member can file a suggestion.")})
    today = _today()
    filed_on = filed_on or today
    if filed_on > today:
        raise ValidationError({"filed_on": _("The date cannot be in the future.")})
    improvement = Improvement(
        member=member,
        group_id=member.group_id,
        workshop_id=member.group.workshop_id,
        filed_by=by,
        on_behalf=by is None or member.user_id != by.pk,
        filed_on=filed_on,
        title=_text(title, "title", _("Give the suggestion a title.")),
        problem=_text(problem, "problem", _("Describe the problem.")),
        proposal=_text(proposal, "proposal", _("Describe what you propose.")),
        expected_effect=(expected_effect or "").strip(),
    )
    require_allowed(by, FILE, improvement)
    improvement.number = _next_number(filed_on.year)
    improvement.full_clean()
    improvement.save()
    _attach(by, improvement, attachments)
    return improvement


@transaction.atomic
def improvement_attach(*, by, improvement: Improvement, files) -> list[ImprovementFile]:
    """Add files to a suggestion: whoever may file for its member, while it waits for
    screening; the workshop union and HQ at any time."""
    improvement = _locked(improvement)
    if not (
        allows(by, IMPLEMENT, improvement)
        or (improvement.status == Status.SUBMITTED and allows(by, FILE, improvement))
    ):
        raise PermissionDenied
    saved = _attach(by, improvement, files)
    if not saved:
        raise ValidationError({"attachments": _("Choose a file to attach.")})
    return saved


# Screening --------------------------------------------------------------------------------


def _screened(by, improvement: Improvement, status: str, *, public: bool) -> None:
    improvement.status = status
    improvement.screened_by = by
    improvement.screened_at = timezone.now()
    improvement.decided_on = _today()
    improvement.is_public = public


def _screenable(by, improvement: Improvement) -> Improvement:
    _refuse_other_workshop(by, improvement, SCREEN)
    improvement = _locked(improvement)
    if improvement.status != Status.SUBMITTED:
        raise ValidationError(
            _("%(number)s is already screened: %(status)s.")
            % {"number": improvement.number, "status": improvement.get_status_display()}
        )
    return improvement


@transaction.atomic
def improvement_adopt(
    *,
    by,
    improvement: Improvement,
    responsible: str,
    due_on: date | None,
    note: str = "",
    public: bool = True,
) -> Improvement:
    """采纳: the member's workshop union (or HQ) adopts the suggestion and names who carries
    it out (a department or a person) and by when."""
    improvement = _screenable(by, improvement)
    errors = {}
    responsible = (responsible or "").strip()
    if not responsible:
        errors["responsible"] = _("Name the department or person responsible.")
    if due_on is None:
        errors["due_on"] = _("Give the date it is to be carried out by.")
    elif due_on < improvement.filed_on:
        errors["due_on"] = _("The due date cannot be before the suggestion was made.")
    if errors:
        raise ValidationError(errors)
    _screened(by, improvement, Status.ADOPTED, public=public)
    improvement.responsible = responsible
    improvement.due_on = due_on
    improvement.screening_note = (note or "").strip()
    improvement.full_clean()
    improvement.save()
    return improvement


@transaction.atomic
def improvement_reject(
    *, by, improvement: Improvement, reason: str, public: bool = True
) -> Improvement:
    """不采纳, with the reason the member is told."""
    improvement = _screenable(by, improvement)
    improvement.reject_reason = _text(
        reason, "reason", _("Give the reason the suggestion is not adopted.")
    )
    _screened(by, improvement, Status.REJECTED, public=public)
    improvement.save()
    return improvement


@transaction.atomic
def improvement_to_motion(
    *, by, improvement: Improvement, note: str = "", public: bool = True
) -> Improvement:
    """转为提案: the suggestion goes to the workers' congress as a motion (the congress
    takes it from its list of candidates)."""
    improvement = _screenable(by, improvement)
    _screened(by, improvement, Status.MOTION, public=public)
    improvement.screening_note = (note or "").strip()
    improvement.save()
    return improvement


def improvement_mark_motion(*, improvement) -> None:
    """A motion of a congress took this suggestion (called by congresses, whose service
    checked its user): a suggestion still waiting becomes 转为提案; an adopted one stays
    adopted (it is being carried out); a rejected one cannot become a motion."""
    with transaction.atomic():
        locked = _locked(improvement)
        if locked.status == Status.REJECTED:
            raise ValidationError(
                _("%(number)s was not adopted; it cannot become a motion.")
                % {"number": locked.number}
            )
        if locked.status == Status.SUBMITTED:
            _screened(None, locked, Status.MOTION, public=True)
            locked.save()
        improvement.status = locked.status


# Implementation, award, publication -------------------------------------------------------


@transaction.atomic
def improvement_implement(
    *,
    by,
    improvement: Improvement,
    implemented_on: date | None,
    implementation: str,
    yuan_saved: Decimal | None = None,
    effect_kinds=(),
) -> Improvement:
    """Record how an adopted suggestion (or one turned into a motion) was carried out and
    its effect: the yuan saved (zero or more, left empty where there is no money figure)
    and the kinds of effect. Recording again corrects the record."""
    _refuse_other_workshop(by, improvement, IMPLEMENT)
    improvement = _locked(improvement)
    if improvement.status not in TAKEN_UP:
        raise ValidationError(
            _("Only an adopted suggestion or one turned into a motion is carried out.")
        )
    errors = {}
    if implemented_on is None:
        errors["implemented_on"] = _("Give the date it was carried out.")
    elif implemented_on > _today():
        errors["implemented_on"] = _("The date cannot be in the future.")
    elif implemented_on < improvement.filed_on:
        errors["implemented_on"] = _("The date cannot be before the suggestion was made.")
    implementation = (implementation or "").strip()
    if not implementation:
        errors["implementation"] = _("Describe what was done.")
    if yuan_saved is not None and yuan_saved < 0:
        errors["yuan_saved"] = _("The yuan saved cannot be negative.")
    if errors:
        raise ValidationError(errors)
    improvement.implemented_on = implemented_on
    improvement.implementation = implementation
    improvement.yuan_saved = yuan_saved
    improvement.full_clean()
    improvement.save()
    improvement.effect_kinds.set(list(effect_kinds or []))
    return improvement


@transaction.atomic
def improvement_award(
    *,
    by,
    improvement: Improvement,
    level: AwardLevel | None,
    amount: Decimal | None = None,
    awarded_on: date | None = None,
) -> Improvement:
    """Award a suggestion that was taken up (adopted or turned into a motion) and carried
    out: the level (data) gives the default amount, which may be changed. Awarding again
    corrects the award."""
    _refuse_other_workshop(by, improvement, AWARD)
    improvement = _locked(improvement)
    if improvement.status not in TAKEN_UP:
        raise ValidationError(_("Only an adopted suggestion can be awarded."))
    if improvement.implemented_on is None:
        raise ValidationError(_("Record how the suggestion was carried out before awarding it."))
    errors = {}
    if level is None:
        errors["level"] = _("Choose the award level.")
    awarded_on = awarded_on or _today()
    if awarded_on > _today():
        errors["awarded_on"] = _("The date cannot be in the future.")
    elif awarded_on < improvement.filed_on:
        errors["awarded_on"] = _("The date cannot be before the suggestion was made.")
    if amount is not None and amount < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    improvement.award_level = level
    improvement.award_amount = level.amount if amount is None else amount
    improvement.awarded_on = awarded_on
    improvement.awarded_by = by
    improvement.full_clean()
    improvement.save()
    return improvement


@transaction.atomic
def improvement_set_public(*, by, improvement: Improvement, public: bool) -> Improvement:
    """Show a decided suggestion in the public list (公示), or take it off."""
    _refuse_other_workshop(by, improvement, PUBLISH)
    improvement = _locked(improvement)
    if improvement.status not in DECIDED:
        raise ValidationError(_("A suggestion is listed publicly only once it is decided."))
    improvement.is_public = bool(public)
    improvement.save(update_fields=["is_public"])
    return improvement
