"""The hardship archive (困难职工档案): entering, correcting, the yearly review (动态管理)
and leaving, each written to the access log in the same transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, require_allowed
from groups.idnumbers import normalise
from groups.models import Member, MemberStatus
from unionhome.validators import check_not_in_future

from ..access import log_access
from ..models import AccessLog, HardshipRecord, HardshipReview, HardshipStatus
from .money import money

Log = AccessLog.Action


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
    address: str | None = None,
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
    require_allowed(by, CHANGE, record)
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
        record=record,
        summary=record.get_level_display(),
        address=address,
    )
    return record


def _locked_in_archive(record: HardshipRecord, by, left_message: str) -> HardshipRecord:
    """The record, locked for the change, if the user may change it and it is still in the
    archive (a record that left is kept as it was)."""
    record = (
        HardshipRecord.objects.select_for_update().select_related("member__group").get(pk=record.pk)
    )
    require_allowed(by, CHANGE, record)
    if record.status != HardshipStatus.ACTIVE:
        raise ValidationError(left_message)
    return record


@transaction.atomic
def hardship_update(
    *, record: HardshipRecord, by, address: str | None = None, **changes
) -> HardshipRecord:
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
    record = _locked_in_archive(
        record, by, _("This record has left the archive; it is kept as it was.")
    )
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
        record=record,
        summary=_("corrected details"),
        address=address,
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
    address: str | None = None,
) -> HardshipRecord:
    """The yearly review (动态管理): confirm or change the level; the next one falls a year on."""
    record = _locked_in_archive(record, by, _("This record has left the archive."))
    check_not_in_future(reviewed_on=reviewed_on)
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
        record=record,
        summary=HardshipReview.Kind.REVIEWED.label,
        address=address,
    )
    return record


@transaction.atomic
def hardship_exit(
    *, record: HardshipRecord, by, exited_on: date, reason: str, address: str | None = None
) -> HardshipRecord:
    """Leaving the archive (脱困 or otherwise) is a recorded step with a reason."""
    record = _locked_in_archive(record, by, _("This record has already left the archive."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for leaving the archive.")})
    if exited_on < record.opened_on:
        raise ValidationError({"exited_on": _("The record was opened on a later date.")})
    record.status = HardshipStatus.EXITED
    record.exited_on = exited_on
    record.exit_reason = reason.strip()
    record.full_clean()
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
        record=record,
        summary=HardshipReview.Kind.EXITED.label,
        address=address,
    )
    return record
