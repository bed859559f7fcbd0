"""The hardship archive (困难职工档案): entering, correcting, the yearly review (动态管理)
and leaving, each written to the access log in the same transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, require_allowed
from funds.money import money
from groups.idnumbers import normalise
from groups.models import Member, MemberStatus
from unionhome.templatetags.unionhome import yuan
from unionhome.validators import check_not_in_future

from ..access import log_access
from ..models import (
    AccessLog,
    FamilyMember,
    HardshipClass,
    HardshipRecord,
    HardshipReview,
    HardshipStatus,
)

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


FAMILY_FIELDS = ("name", "relation", "age", "health", "monthly_income", "school_or_work")


def _class(value) -> HardshipClass:
    """A hardship class given as itself or by its code."""
    if isinstance(value, HardshipClass):
        return value
    found = HardshipClass.objects.filter(code=value).first()
    if found is None:
        raise ValidationError({"hardship_class": _("Choose the hardship class.")})
    return found


def _family_rows(family) -> list[FamilyMember]:
    rows = []
    for row in family:
        person = FamilyMember(
            **{k: row.get(k) for k in FAMILY_FIELDS if row.get(k) is not None},
        )
        person.name = (person.name or "").strip()
        person.relation = (person.relation or "").strip()
        person.monthly_income = money(row.get("monthly_income") or 0)
        person.full_clean(exclude=["record"])
        rows.append(person)
    if not rows:
        raise ValidationError(_("List the household's members, the member included."))
    return rows


def _apply_family(record: HardshipRecord, rows: list[FamilyMember]) -> None:
    """The household size and income per month follow the family members' table."""
    record.household_size = len(rows)
    record.household_income = money(sum((p.monthly_income for p in rows), 0))


def _save_family(record: HardshipRecord, rows: list[FamilyMember]) -> None:
    record.family.all().delete()
    for person in rows:
        person.record = record
    FamilyMember.objects.bulk_create(rows)


def _check_income(record: HardshipRecord, field: str | None = "hardship_class") -> None:
    """A class with an income standard takes only a household at or below it (per person
    and month, against the 低保 line of the year of the last review)."""
    test = record.income_test()
    if test is not None and not test.meets:
        message = _(
            "The household's income per person, %(income)s a month, is above the standard "
            "of %(class)s (%(standard)s): choose the class the household meets, or correct "
            "the family members' incomes."
        ) % {
            "income": yuan(test.per_person),
            "class": record.hardship_class.name,
            "standard": yuan(test.standard),
        }
        raise ValidationError({field: message} if field else message)


def _check_id_number(record: HardshipRecord) -> None:
    """One identity number on one open archive entry (the database holds it too)."""
    if not record.id_number:
        return
    other = (
        HardshipRecord.objects.filter(id_number=record.id_number, status=HardshipStatus.ACTIVE)
        .exclude(pk=record.pk)
        .select_related("member__group__workshop")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "id_number": _(
                    "This identity number is already on the open archive entry of another "
                    "member (%(workshop)s); one person is in the archive once."
                )
                % {"workshop": other.member.group.workshop.name}
            }
        )


def _save_record(record: HardshipRecord, by) -> None:
    record._history_user = by
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        # Two entries with one identity number at the same moment: the database refused one.
        raise ValidationError(
            {"id_number": _("This identity number is already on another open archive entry.")}
        ) from error


@transaction.atomic
def hardship_open(
    *,
    by,
    member: Member,
    hardship_class,
    household_situation: str,
    causes: list[str],
    family: list[dict] | None = None,
    household_income=None,
    household_size: int | None = None,
    id_number: str = "",
    health: str = "",
    opened_on: date | None = None,
    address: str | None = None,
) -> HardshipRecord:
    """Enter a member into the hardship archive; the first yearly review falls a year on.
    The household is the `family` table (a dict per person, the member included); without
    it, `household_income` and `household_size` are the totals as given."""
    opened_on = opened_on or timezone.localdate()
    hardship_class = _class(hardship_class)
    record = HardshipRecord(
        member=member,
        hardship_class=hardship_class,
        # The member's registered number unless another is given.
        id_number=normalise(id_number) or member.id_number or "",
        household_income=money(household_income or 0),
        household_size=household_size or 1,
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
    if not hardship_class.is_current:
        raise ValidationError({"hardship_class": _("This class is no longer used.")})
    rows = _family_rows(family) if family is not None else None
    if rows is not None:
        _apply_family(record, rows)
    _check_income(record)
    _check_id_number(record)
    record.full_clean(validate_constraints=False)
    _save_record(record, by)
    if rows is not None:
        _save_family(record, rows)
    HardshipReview.objects.create(
        record=record,
        kind=HardshipReview.Kind.OPENED,
        reviewed_on=opened_on,
        hardship_class=hardship_class,
        by=by,
    )
    _sync_member_flag(member)
    log_access(
        user=by,
        action=Log.CREATE,
        record=record,
        summary=hardship_class.name,
        address=address,
    )
    return record


def _locked_in_archive(record: HardshipRecord, by, left_message: str) -> HardshipRecord:
    """The record, locked for the change, if the user may change it and it is still in the
    archive (a record that left is kept as it was)."""
    record = (
        HardshipRecord.objects.select_for_update(of=("self",))
        .select_related("member__group")
        .get(pk=record.pk)
    )
    require_allowed(by, CHANGE, record)
    if record.status != HardshipStatus.ACTIVE:
        raise ValidationError(left_message)
    return record


@transaction.atomic
def hardship_update(
    *, record: HardshipRecord, by, address: str | None = None, **changes
) -> HardshipRecord:
    """Correct an archive record's details and its family members' table (`family`, the
    whole table; the class changes through the yearly review)."""
    allowed = {
        "id_number",
        "household_size",
        "household_income",
        "causes",
        "household_situation",
        "health",
        "family",
    }
    if set(changes) - allowed:
        raise ValueError(f"hardship_update cannot change {sorted(set(changes) - allowed)}")
    record = _locked_in_archive(
        record, by, _("This record has left the archive; it is kept as it was.")
    )
    family = changes.pop("family", None)
    rows = _family_rows(family) if family is not None else None
    for field, value in changes.items():
        if field == "id_number":
            value = normalise(value)
        elif field == "household_income":
            value = money(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(record, field, value)
    if rows is not None:
        _apply_family(record, rows)
    _check_income(record, field=None)
    _check_id_number(record)
    record.full_clean(validate_constraints=False)
    _save_record(record, by)
    if rows is not None:
        _save_family(record, rows)
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
    hardship_class,
    note: str = "",
    address: str | None = None,
) -> HardshipRecord:
    """The yearly review (动态管理): confirm or change the class; the next one falls a year
    on. The household's figures are corrected on the record (its family members' table)."""
    record = _locked_in_archive(record, by, _("This record has left the archive."))
    check_not_in_future(reviewed_on=reviewed_on)
    if reviewed_on < record.last_reviewed_on:
        raise ValidationError({"reviewed_on": _("The last review was on a later date.")})
    hardship_class = _class(hardship_class)
    if not hardship_class.is_current and hardship_class.pk != record.hardship_class_id:
        raise ValidationError({"hardship_class": _("This class is no longer used.")})
    record.hardship_class = hardship_class
    record.last_reviewed_on = reviewed_on
    record.next_review_on = _one_year_after(reviewed_on)
    _check_income(record)
    record.full_clean()
    record._history_user = by
    record.save()
    HardshipReview.objects.create(
        record=record,
        kind=HardshipReview.Kind.REVIEWED,
        reviewed_on=reviewed_on,
        hardship_class=hardship_class,
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
        hardship_class=record.hardship_class,
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
