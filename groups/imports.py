"""Importing members from a spreadsheet: all or nothing, every bad row reported.

`member_import_plan` reads and checks every row and says what would be created, updated
or moved; `member_import_apply` carries out a plan without errors in one transaction.
The web page shows the plan as a preview before the user confirms; the management
command `import_members` does the same on the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scoping import CHANGE, allows
from unionhome.signals import records_changed_in_bulk
from unionhome.validators import validate_not_in_future

from .models import MANAGE, Gender, GroupMembership, GroupPost, Member, MemberStatus, UnionGroup
from .pinyin import name_initials
from .services import MEMBER_DETAIL_FIELDS as DETAIL_FIELDS
from .validators import validate_employee_no, validate_phone

# Column titles as users write them, in Chinese and English; the export uses the first.
COLUMNS = {
    "employee_no": ("工号", "employeeno.", "employeeno"),
    "name": ("姓名", "name"),
    "gender": ("性别", "gender"),
    "birth_date": ("出生日期", "dateofbirth", "birthdate"),
    "joined_union_on": ("入会日期", "joinedtheunionon", "joinedon"),
    "phone": ("手机号", "电话", "phone"),
    "workshop": ("车间工会", "workshopunion"),
    "group": ("工会小组", "uniongroup"),
    "is_hardship": ("困难职工", "inhardship"),
    "is_model_worker": ("劳模", "modelworker"),
    "is_retired": ("退休", "retired"),
}
REQUIRED_COLUMNS = ("employee_no", "name", "gender", "workshop", "group")
COLUMN_LABELS = {
    "employee_no": gettext_lazy("employee no."),
    "name": gettext_lazy("name"),
    "gender": gettext_lazy("gender"),
    "birth_date": gettext_lazy("date of birth"),
    "joined_union_on": gettext_lazy("joined the union on"),
    "phone": gettext_lazy("phone"),
    "workshop": gettext_lazy("workshop union"),
    "group": gettext_lazy("union group"),
    "is_hardship": gettext_lazy("in hardship"),
    "is_model_worker": gettext_lazy("model worker"),
    "is_retired": gettext_lazy("retired"),
}
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "", "无", "×"}
GENDER_WORDS = {
    "男": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
IMPORT_BATCH = 1000
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    values: dict
    group: UnionGroup
    member: Member | None = None  # the existing member, for an update
    changes: list[str] = field(default_factory=list)

    @property
    def moves(self) -> bool:
        return self.member is not None and self.member.group_id != self.group.pk


@dataclass
class ImportPlan:
    creates: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def moves(self) -> list[PlannedRow]:
        return [row for row in self.updates if row.moves]


def resolve_columns(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map our field names to the file's headers; return the missing required columns."""
    lowered = {h.lower(): h for h in headers if h}
    found = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias.lower() in lowered:
                found[key] = lowered[alias.lower()]
                break
    missing = [COLUMNS[key][0] for key in REQUIRED_COLUMNS if key not in found]
    return found, missing


def _text(value) -> str:
    """A cell as clean text: no control characters, no surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return CONTROL_RE.sub("", str(value)).strip()


def _parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = DATE_RE.match(text)
    if match is None and re.fullmatch(r"\d{8}", text):
        match = re.match(r"(\d{4})(\d{2})(\d{2})", text)
    if match is None:
        raise ValueError
    return date(int(match[1]), int(match[2]), int(match[3]))


def _parse_flag(value) -> bool:
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError


def _parse_row(number: int, record: dict, columns: dict, errors: list[RowError]) -> dict | None:
    """Turn one spreadsheet row into clean values, adding an error per bad cell."""
    values = {}
    before = len(errors)

    def bad(key, message):
        errors.append(RowError(number, COLUMNS[key][0], message))

    def cell(key):
        return record.get(columns[key]) if key in columns else None

    def passes(key, validator, value) -> bool:
        """The model field's own rule, reported against the row."""
        try:
            validator(value)
        except ValidationError as error:
            bad(key, error.messages[0])
            return False
        return True

    employee_no = _text(cell("employee_no"))
    if not employee_no:
        bad("employee_no", _("The employee no. is missing."))
    else:
        passes("employee_no", validate_employee_no, employee_no)
    values["employee_no"] = employee_no

    name = _text(cell("name"))
    if not name:
        bad("name", _("The name is missing."))
    elif len(name) > 50:
        bad("name", _("The name is longer than 50 characters."))
    values["name"] = name

    gender_text = _text(cell("gender")).lower()
    if gender_text not in GENDER_WORDS:
        bad("gender", _("Write 男 or 女."))
    values["gender"] = GENDER_WORDS.get(gender_text)

    for key in ("birth_date", "joined_union_on"):
        if key not in columns:
            continue
        try:
            day = _parse_date(cell(key))
        except ValueError:
            bad(
                key,
                _("“%(value)s” is not a date; write it as 1985-03-02.")
                % {"value": _text(cell(key))},
            )
            continue
        if passes(key, validate_not_in_future, day):
            values[key] = day
    born, joined = values.get("birth_date"), values.get("joined_union_on")
    if born and joined and joined < born:
        bad("joined_union_on", _("The member cannot join the union before being born."))

    if "phone" in columns:
        phone = _text(cell("phone")).replace(" ", "")
        if phone:
            passes("phone", validate_phone, phone)
        values["phone"] = phone

    for key in ("is_hardship", "is_model_worker", "is_retired"):
        if key not in columns:
            continue
        try:
            values[key] = _parse_flag(cell(key))
        except ValueError:
            bad(key, _("Write 是 or 否."))

    values["workshop"] = _text(cell("workshop"))
    values["group"] = _text(cell("group"))
    if not values["workshop"]:
        bad("workshop", _("The workshop union is missing."))
    if not values["group"]:
        bad("group", _("The union group is missing."))
    return values if len(errors) == before else None


def member_import_plan(*, headers: list[str], rows: list[tuple[int, dict]], by) -> ImportPlan:
    """Check every row of an import against the data and the user's scope.

    A row creates a member (new 工号), updates one (known 工号) or moves one (known 工号
    in another group). Only groups the user may change are known to the import; moving a
    member needs the workshop union's reach. `by=None` is the operator at the command line.
    """
    plan = ImportPlan()

    def fail(number, key, message):
        plan.errors.append(RowError(number, COLUMNS[key][0] if key else "", message))

    columns, missing = resolve_columns(headers)
    if missing:
        names = "、".join(missing)
        plan.errors.append(
            RowError(1, names, _("The file has no column %(columns)s.") % {"columns": names})
        )
        return plan
    if not rows:
        fail(1, None, _("The file has no member rows."))
        return plan

    groups = UnionGroup.objects.select_related("workshop")
    changeable = groups.restrict(by, CHANGE) if by is not None else groups.all()
    groups_by_name = {(g.workshop.name, g.name): g for g in changeable}

    parsed: list[tuple[int, dict]] = []
    first_row_of: dict[str, int] = {}
    for number, record in rows:
        values = _parse_row(number, record, columns, plan.errors)
        if values is None:
            continue
        employee_no = values["employee_no"]
        if employee_no in first_row_of:
            fail(
                number,
                "employee_no",
                _("工号 %(no)s appears again; it was first on row %(row)s.")
                % {"no": employee_no, "row": first_row_of[employee_no]},
            )
            continue
        first_row_of[employee_no] = number
        parsed.append((number, values))

    existing = _members_by_employee_no([values["employee_no"] for _, values in parsed])
    for number, values in parsed:
        group = groups_by_name.get((values["workshop"], values["group"]))
        if group is None:
            fail(
                number,
                "group",
                _(
                    "No union group “%(group)s” in workshop union “%(workshop)s” "
                    "that you may change."
                )
                % {"group": values["group"], "workshop": values["workshop"]},
            )
            continue
        member = existing.get(values["employee_no"])
        if member is None:
            plan.creates.append(PlannedRow(number, values, group))
            continue
        if by is not None and not allows(by, CHANGE, member):
            fail(
                number,
                "employee_no",
                _("工号 %(no)s belongs to a member outside your part of the organisation.")
                % {"no": values["employee_no"]},
            )
            continue
        if member.status == MemberStatus.LEFT:
            fail(
                number,
                "employee_no",
                _("%(name)s (%(no)s) has left the union; take them back on their page first.")
                % {"name": member.name, "no": member.employee_no},
            )
            continue
        row = PlannedRow(number, values, group, member=member)
        row.changes = [f for f in DETAIL_FIELDS if f in values and getattr(member, f) != values[f]]
        if (
            row.moves
            and by is not None
            and not (allows(by, MANAGE, member) and allows(by, MANAGE, group))
        ):
            fail(
                number,
                "group",
                _("Moving %(name)s to another group is for the workshop union to do.")
                % {"name": member.name},
            )
            continue
        if row.changes or row.moves:
            plan.updates.append(row)
        else:
            plan.unchanged += 1
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _members_by_employee_no(numbers: list[str]) -> dict[str, Member]:
    found = {}
    for start in range(0, len(numbers), IMPORT_BATCH):
        chunk = numbers[start : start + IMPORT_BATCH]
        for member in Member.objects.filter(employee_no__in=chunk).select_related("group"):
            found[member.employee_no] = member
    return found


@transaction.atomic
def member_import_apply(*, plan: ImportPlan, by) -> ImportPlan:
    """Carry out a checked plan: create, update and move members, all or nothing."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    today = timezone.localdate()
    new_members = []
    for row in plan.creates:
        member = Member(
            employee_no=row.values["employee_no"],
            group=row.group,
            **{f: row.values[f] for f in DETAIL_FIELDS if f in row.values},
        )
        member.name_initials = name_initials(member.name)
        new_members.append(member)
    created = bulk_create_with_history(
        new_members, Member, batch_size=IMPORT_BATCH, default_user=by
    )
    # bulk_create returns primary keys on PostgreSQL and SQLite alike.
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(
                member=m, group=m.group, started_on=today, recorded_by=by, note=_("Imported")
            )
            for m in created
        ],
        batch_size=IMPORT_BATCH,
    )

    changed = []
    for row in plan.updates:
        member = row.member
        for f in row.changes:
            setattr(member, f, row.values[f])
        member.name_initials = name_initials(member.name)
        if row.moves:
            GroupMembership.objects.filter(member=member, ended_on__isnull=True).update(
                ended_on=today
            )
            GroupMembership.objects.create(
                member=member,
                group=row.group,
                started_on=today,
                recorded_by=by,
                note=_("Imported"),
            )
            GroupPost.objects.filter(member=member).delete()
            member.group = row.group
        member.updated_at = timezone.now()
        changed.append(member)
    if changed:
        bulk_update_with_history(
            changed,
            Member,
            [*DETAIL_FIELDS, "name_initials", "group", "updated_at"],
            batch_size=IMPORT_BATCH,
            default_user=by,
        )
    records_changed_in_bulk.send(sender=Member, using=router.db_for_write(Member))
    return plan
