"""Changes to rectification items. Each function runs in one transaction, checks the acting
user with the scope rules (except `rectification_raise`, which another app's service calls
after its own check) and refuses bad input with a ValidationError keyed by field; nothing
is half-written."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, VIEW, allows, require_allowed
from unionhome import uploads

from .models import (
    CLOSE,
    REPORT,
    TO_REPORT,
    Kind,
    Rectification,
    RectificationEvidence,
    Status,
)
from .signals import rectification_closed


def _locked(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("workshop", "group")
        .get(pk=rectification.pk)
    )


@transaction.atomic
def rectification_raise(
    *,
    by,
    workshop,
    group=None,
    kind,
    source=None,
    title,
    description="",
    owner_department,
    owner_user=None,
    due_on,
) -> Rectification:
    """Record an item raised by `by`. No permission check of its own: the calling service
    (a congress's resolution, a disclosure's feedback, the pages here) has checked."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Say in a few words what is to be put right.")
    if not (owner_department or "").strip():
        errors["owner_department"] = _(
            "Say which department or person is responsible for the rectification."
        )
    if due_on is None:
        errors["due_on"] = _("Give the date by which the rectification is due.")
    if group is not None and workshop is not None and group.workshop_id != workshop.pk:
        errors["group"] = _("The union group is not of the item's workshop union.")
    if errors:
        raise ValidationError(errors)
    item = Rectification(
        workshop=workshop,
        group=group,
        kind=kind,
        title=title.strip(),
        description=(description or "").strip(),
        owner_department=owner_department.strip(),
        owner_user=owner_user,
        due_on=due_on,
        raised_by=by,
        raised_at=timezone.now(),
    )
    if source is not None:
        item.source_type = ContentType.objects.get_for_model(source)
        item.source_id = source.pk
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def rectification_raise_other(
    *, by, workshop, group=None, title, description="", owner_department, owner_user=None, due_on
) -> Rectification:
    """The union office raises an item of its own (kind OTHER)."""
    if workshop is None:
        raise ValidationError({"workshop": _("Choose the workshop union.")})
    require_allowed(by, CHANGE, Rectification(workshop=workshop, group=group))
    return rectification_raise(
        by=by,
        workshop=workshop,
        group=group,
        kind=Kind.OTHER,
        title=title,
        description=description,
        owner_department=owner_department,
        owner_user=owner_user,
        due_on=due_on,
    )


def may_raise_from_inspection(user, inspection) -> bool:
    """Who keeps an inspection raises items from its remarks: its inspector, the panel's
    leader and HQ — exactly those the inspection's own policy lets read it (homes gives
    nobody any other change of an inspection; the remarks are theirs)."""
    from homes.models import Inspection

    if user is None or not user.is_authenticated or inspection.pk is None:
        return False
    return Inspection.objects.restrict(user, VIEW).filter(pk=inspection.pk).exists()


@transaction.atomic
def rectification_raise_from_inspection(
    *, by, inspection, title, description="", owner_department, owner_user=None, due_on
) -> Rectification:
    """An item from an inspection panel member's remarks (检查整改), in the inspected
    group."""
    group = inspection.declaration.group
    if not may_raise_from_inspection(by, inspection):
        raise PermissionDenied
    return rectification_raise(
        by=by,
        workshop=group.workshop,
        group=group,
        kind=Kind.INSPECTION,
        source=inspection,
        title=title,
        description=description,
        owner_department=owner_department,
        owner_user=owner_user,
        due_on=due_on,
    )


def _files(rectification, evidence_files) -> list[tuple]:
    checked = []
    errors = []
    for uploaded in evidence_files:
        try:
            checked.append((uploaded, uploads.validate_upload(uploaded)))
        except ValidationError as error:
            errors.extend(error.messages)
    if not errors:
        try:
            uploads.validate_total(
                [*(e.size for e in rectification.evidence.all()), *(u.size for u in evidence_files)]
            )
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"evidence_files": errors})
    return checked


@transaction.atomic
def rectification_report(
    *, rectification, by, report, evidence_files, completed_on: date | None = None
) -> Rectification:
    """The owner (or the office in scope) reports the item done: what was done, when, and
    at least one photo or document as evidence. The item waits for acceptance."""
    item = _locked(rectification)
    if not allows(by, VIEW, item):
        raise PermissionDenied
    if not allows(by, REPORT, item):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Only the item's owner or the union office in charge reports its completion."
                )
            }
        )
    if item.status not in TO_REPORT:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _("The item is %(status)s; there is nothing to report.")
                % {"status": item.get_status_display()}
            }
        )
    today = timezone.localdate()
    completed_on = completed_on or today
    errors = {}
    if not (report or "").strip():
        errors["report"] = _("Say what was done to put it right.")
    if completed_on > today:
        errors["completed_on"] = _("The completion date cannot be in the future.")
    evidence_files = list(evidence_files or [])
    if not evidence_files and not item.evidence.exists():
        errors["evidence_files"] = _(
            "Attach at least one photo or document showing the rectification is done."
        )
    if errors:
        raise ValidationError(errors)
    checked = _files(item, evidence_files)
    for uploaded, file_type in checked:
        evidence = RectificationEvidence(
            rectification=item,
            original_name=uploaded.name[:200],
            kind=file_type.kind,
            mime=file_type.mime,
            size=uploaded.size,
            uploaded_by=by,
        )
        evidence.file.save(f"evidence.{file_type.extension}", uploaded, save=False)
        evidence.save()
    item.report = report.strip()
    item.completed_on = completed_on
    item.reported_by = by
    item.reported_at = timezone.now()
    item.status = Status.SUBMITTED
    item.full_clean()
    item.save()
    return item


def _require_closer(item, by) -> None:
    if by is None:
        return
    if not allows(by, VIEW, item):
        raise PermissionDenied
    if not allows(by, CLOSE, item):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Only the one who raised the item, or union HQ, closes or returns it."
                )
            }
        )


@transaction.atomic
def rectification_close(*, rectification, by) -> Rectification:
    """销号: the raiser (or HQ) accepts the completion report and its evidence."""
    item = _locked(rectification)
    _require_closer(item, by)
    if item.status == Status.CLOSED:
        raise ValidationError({NON_FIELD_ERRORS: _("The item is closed already.")})
    if item.status != Status.SUBMITTED or not item.report or not item.evidence.exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "A rectification is closed only on a completion report with evidence; "
                    "the owner has not reported it done with evidence yet."
                )
            }
        )
    item.status = Status.CLOSED
    item.closed_by = by
    item.closed_at = timezone.now()
    item.save()
    rectification_closed.send(sender=Rectification, rectification=item)
    return item


@transaction.atomic
def rectification_return(*, rectification, by, note) -> Rectification:
    """The raiser (or HQ) sends a reported item back to the owner, saying what is missing."""
    item = _locked(rectification)
    _require_closer(item, by)
    if item.status != Status.SUBMITTED:
        raise ValidationError({NON_FIELD_ERRORS: _("Only an item reported done can be returned.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what is still missing.")})
    item.status = Status.RETURNED
    item.return_note = note.strip()
    item.save()
    return item
