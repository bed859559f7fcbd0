"""Importing members from a roster as union offices keep it: all or nothing, every bad row
reported.

`member_import_read` opens the file (a title row above the header, merged cells, limits
checked before anything large is read); `member_import_plan` maps its columns to member
fields (the titles HQ keeps, a mapping saved earlier, or the one the user chose in the
preview), reads and checks every row and says what would be created, updated or moved;
`member_import_apply` carries out a plan without errors in one transaction. The web page
shows the plan as a preview before the user confirms; the management command
`import_members` does the same on the command line.

No enumeration: a row never learns about a member outside the user's reach. A 工号, an
identity number or a membership card no. that such a member holds gets the same message,
whoever holds it and whatever their state, naming nobody (`TAKEN_*`).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import count

from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scoping import CHANGE, VIEW, allows, require_allowed, user_workshops
from unionhome.dates import day_label
from unionhome.signals import records_changed_in_bulk
from unionhome.tabular import ReadLimits, Sheet, open_table
from unionhome.validators import validate_not_in_future

from .idnumbers import birth_date_of, gender_of, normalise, validate_id_number
from .models import (
    MANAGE,
    PERSONAL,
    Gender,
    GroupMembership,
    GroupPost,
    HukouType,
    ImportField,
    ImportHeader,
    ImportLimits,
    ImportMapping,
    Member,
    MemberOption,
    MemberOptionAlias,
    MemberStatus,
    OptionList,
    PersonalAccess,
    UnionGroup,
    WorkshopUnion,
    clean_title,
)
from .pinyin import name_initials
from .services import MEMBER_DETAIL_FIELDS as DETAIL_FIELDS
from .services import PERSONAL_FIELDS
from .validators import validate_employee_no, validate_phone

# The title of each field in the export and the template, in the registration's order.
# The import always knows these, whatever HQ keeps in the list of titles (ImportHeader).
TITLES = {
    "employee_no": "工号",
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "id_number": "身份证号",
    "political_status": "政治面貌",
    "education": "学历",
    "hukou_type": "户籍类型",
    "employment_type": "用工形式",
    "work_started_on": "参加工作时间",
    "joined_union_on": "入会日期",
    "card_no": "会员证号",
    "phone": "手机号",
    "position": "岗位",
    "skill_grade": "技术等级",
    "model_worker_level": "劳模级别",
    "is_worker_representative": "职工代表",
    "is_hardship": "困难职工",
    "is_model_worker": "劳模",
    "is_retired": "退休",
    "workshop": "车间工会",
    "group": "工会小组",
}
FIELD_ORDER = ("employee_no", *DETAIL_FIELDS, "workshop", "group")
assert set(FIELD_ORDER) == set(TITLES) == set(ImportField.values)
# The workshop union may be left out when the group's name is unique in the user's reach;
# the gender when the identity number gives it.
REQUIRED = ("employee_no", "name", "group")
OPTION_FIELDS = {
    "ethnicity": OptionList.ETHNICITY,
    "political_status": OptionList.POLITICAL,
    "education": OptionList.EDUCATION,
    "employment_type": OptionList.EMPLOYMENT,
    "skill_grade": OptionList.SKILL,
    "model_worker_level": OptionList.MODEL_WORKER,
}
DATE_FIELDS = ("birth_date", "work_started_on", "joined_union_on")
FLAG_FIELDS = ("is_worker_representative", "is_hardship", "is_model_worker", "is_retired")
TEXT_FIELDS = {"card_no": 30, "position": 50}
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
HUKOU_WORDS = {
    "城镇": HukouType.URBAN,
    "非农业": HukouType.URBAN,
    "非农": HukouType.URBAN,
    "城市": HukouType.URBAN,
    "urban": HukouType.URBAN,
    "农业": HukouType.RURAL,
    "农村": HukouType.RURAL,
    "rural": HukouType.RURAL,
}
HUKOU_TITLES = {HukouType.URBAN: "城镇", HukouType.RURAL: "农业"}
FULL_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_LAST = (date(2100, 12, 31) - EXCEL_EPOCH).days
IMPORT_BATCH = 1000
# Rows checked against the data and written at a time by `member_import_run`: a few
# queries each, and only this many rows' values held at once.
IMPORT_CHUNK = 2000
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def taken_employee_no(no: str) -> str:
    # The same words whoever holds the number (a member elsewhere, one who left, one
    # enrolled meanwhile by another workshop): the import tells nobody who is where.
    return _(
        "工号 %(no)s cannot be taken by this import. Check the number; if it is right, ask "
        "the union office to enrol or move this person."
    ) % {"no": no}


class ImportConflict(Exception):
    """Somebody else enrolled or changed members between the check and the import."""

    def __init__(self, numbers: list[str]):
        self.numbers = numbers
        if numbers:
            message = _(
                "工号 %(numbers)s was enrolled by someone else meanwhile; nothing was "
                "imported. Check the file again."
            ) % {"numbers": "、".join(numbers)}
        else:
            message = _(
                "Someone else changed these members meanwhile; nothing was imported. "
                "Check the file again."
            )
        super().__init__(message)


@dataclass(order=True)
class RowError:
    row: int
    column: str
    message: str


class ErrorList:
    """The problems of a file: the first `limit` by row are kept, all are counted."""

    def __init__(self, limit: int):
        self.limit = limit
        self.total = 0
        self._kept: list[tuple[int, int, RowError]] = []
        self._seq = count()

    def add(self, row: int, column: str, message: str) -> None:
        self.total += 1
        entry = (row, next(self._seq), RowError(row, column, message))
        if len(self._kept) < self.limit:
            bisect.insort(self._kept, entry)
        elif entry < self._kept[-1]:
            bisect.insort(self._kept, entry)
            self._kept.pop()

    def __iter__(self):
        return (entry[2] for entry in self._kept)

    def __len__(self):
        return len(self._kept)

    def __bool__(self):
        return self.total > 0


@dataclass
class Column:
    """One column of the file and the field it goes to ("" for a column not imported)."""

    index: int
    title: str
    field: str = ""
    note: str = ""  # why a column is not imported
    example: str = ""

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    @property
    def label(self) -> str:
        return self.title or _("Column %(letter)s") % {"letter": self.letter}

    @property
    def field_label(self) -> str:
        return ImportField(self.field).label if self.field else ""


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

    @property
    def change_labels(self) -> list[str]:
        return [str(ImportField(f).label) for f in self.changes]


@dataclass
class ImportPlan:
    creates: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    errors: ErrorList = field(default_factory=lambda: ErrorList(200))
    columns: list[Column] = field(default_factory=list)
    # "titles" (the list HQ keeps), "saved" (a mapping saved earlier) or "chosen" (the
    # user's choice in this preview)
    mapping_source: str = "titles"
    saved_mapping: ImportMapping | None = None
    header_row: int = 1
    title_rows: list[int] = field(default_factory=list)
    rows_read: int = 0
    # per date field, how many cells gave only a month (the 1st is kept)
    month_only: dict[str, int] = field(default_factory=dict)
    # per field (date of birth, gender), how many were taken from the identity number
    from_id_number: dict[str, int] = field(default_factory=dict)
    # Counted as rows are checked; a plan checked in chunks (`member_import_run`) keeps
    # these and not the rows.
    create_count: int = 0
    update_count: int = 0
    move_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def moves(self) -> list[PlannedRow]:
        return [row for row in self.updates if row.moves]

    @property
    def not_imported(self) -> list[Column]:
        return [c for c in self.columns if not c.field and (c.title or c.example)]

    @property
    def mapping(self) -> list[str]:
        return [c.field for c in self.columns]

    @property
    def month_only_notes(self) -> list[tuple[str, int]]:
        return [(ImportField(f).label, n) for f, n in self.month_only.items()]

    @property
    def from_id_notes(self) -> list[tuple[str, int]]:
        return [(ImportField(f).label, n) for f, n in self.from_id_number.items()]


# Reading -----------------------------------------------------------------------------------


def known_titles() -> dict[str, str]:
    """Every column title the import knows, cleaned, with its field: the export's titles,
    then HQ's list in the order the titles were added (the first of a field wins)."""
    titles = {clean_title(title): key for key, title in TITLES.items()}
    for word, key in ImportHeader.objects.order_by("pk").values_list("word", "field"):
        titles.setdefault(clean_title(word), key)
    return titles


def import_limits() -> ImportLimits:
    return ImportLimits.current()


def member_import_read(uploaded, filename: str, *, limits: ImportLimits | None = None) -> Sheet:
    """Open a roster: .xlsx or CSV, title rows above the header skipped, HQ's limits kept."""
    limits = limits or import_limits()
    titles = known_titles()
    return open_table(
        uploaded,
        filename,
        limits=ReadLimits(
            max_rows=limits.max_rows,
            max_unpacked_bytes=limits.max_unpacked_mb * 1024 * 1024,
            header_search_rows=limits.header_search_rows,
        ),
        is_title=lambda text: clean_title(text) in titles,
    )


def header_key(headers: list[str]) -> str:
    """The file's set of column titles, as a saved mapping is found again."""
    words = sorted({clean_title(h) for h in headers if clean_title(h)})
    return hashlib.sha256("\x1f".join(words).encode()).hexdigest()


def saved_mapping_for(user, headers: list[str]) -> ImportMapping | None:
    """The user's own mapping for these titles, else one shared with a workshop union in
    their reach (the latest saved)."""
    if user is None:
        return None
    key = header_key(headers)
    own = ImportMapping.objects.filter(header_key=key, user=user).first()
    if own is not None:
        return own
    return (
        ImportMapping.objects.restrict(user, VIEW)
        .filter(header_key=key, workshop__isnull=False)
        .order_by("-saved_at")
        .first()
    )


def mapping_workshops(user):
    """The workshop unions with whose people the user may share a saved mapping."""
    if user is None:
        return []
    workshops = WorkshopUnion.objects.filter(pk__in=user_workshops(user))
    return [w for w in workshops if allows(user, CHANGE, ImportMapping(workshop=w))]


@transaction.atomic
def import_mapping_save(
    *, by, headers: list[str], fields: list[str], workshop: WorkshopUnion | None = None
) -> ImportMapping:
    """Keep the preview's mapping for the next file with the same column titles: the
    user's own, or for everyone in a workshop union the user works for."""
    owner = {"workshop": workshop} if workshop is not None else {"user": by}
    if workshop is not None:
        require_allowed(by, CHANGE, ImportMapping(workshop=workshop))
    columns = {}
    for title, key in zip(headers, fields, strict=True):
        if clean_title(title):
            columns.setdefault(clean_title(title), key if key in TITLES else "")
    mapping, _created = ImportMapping.objects.update_or_create(
        header_key=header_key(headers),
        **owner,
        defaults={
            "columns": columns,
            "titles": "、".join(h for h in headers if h),
            "saved_by": by,
        },
    )
    return mapping


def resolve_columns(
    headers: list[str], *, by, chosen: list[str] | None = None
) -> tuple[list[Column], str, ImportMapping | None]:
    """Which field each column goes to: the user's choice, else a saved mapping for these
    titles, else HQ's list of titles. A column not imported says why."""
    columns = [Column(index, title) for index, title in enumerate(headers)]
    saved = None
    if chosen is not None:
        source = "chosen"
        for column, key in zip(columns, chosen, strict=False):
            column.field = key if key in TITLES else ""
    elif (saved := saved_mapping_for(by, headers)) is not None:
        source = "saved"
        for column in columns:
            column.field = saved.columns.get(clean_title(column.title), "")
            if column.field not in TITLES:
                column.field = ""
    else:
        source = "titles"
        titles = known_titles()
        rank = {word: position for position, word in enumerate(titles)}
        best: dict[str, Column] = {}
        for column in columns:
            word = clean_title(column.title)
            key = titles.get(word)
            if key is None:
                continue
            column.field = key
            held = best.get(key)
            if held is None or rank[word] < rank[clean_title(held.title)]:
                best[key] = column
        for column in columns:
            if column.field and best[column.field] is not column:
                holder = best[column.field]
                column.field = ""
                column.note = _("The column “%(title)s” is taken for this field.") % {
                    "title": holder.label
                }
    for column in columns:
        if not column.field and not column.note:
            column.note = (
                _("No field has this title.") if source == "titles" else _("Set not to import.")
            )
    # The same field twice (a saved or chosen mapping): the first column keeps it.
    seen: dict[str, Column] = {}
    for column in columns:
        if column.field in seen:
            column.note = _("The column “%(title)s” is taken for this field.") % {
                "title": seen[column.field].label
            }
            column.field = ""
        elif column.field:
            seen[column.field] = column
    if by is not None and not Member.objects.may(by, PERSONAL):
        for column in columns:
            if column.field in PERSONAL_FIELDS:
                column.field = ""
                column.note = _(
                    "Identity numbers and 户籍 are kept by the workshop union and HQ's "
                    "welfare staff only."
                )
    return columns, source, saved


# Cells --------------------------------------------------------------------------------------


def _text(value) -> str:
    """A cell as clean text: no control characters, no surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return CONTROL_RE.sub("", str(value)).strip()


class AmbiguousMonth(ValueError):
    pass


def parse_date(value) -> tuple[date, bool] | None:
    """A date as rosters write it, and whether only its month was given (the 1st is kept):
    a date cell, an Excel day number, 2014-06-01, 2014/6/1, 2014.6.1, 2014年6月1日,
    20140601, or the month alone: 2014.06, 2014-06, 2014年6月, 201406."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, float) and not value.is_integer():
        # 2014.06 typed into a number cell; 2014.10 arrives as 2014.1, like January.
        year = int(value)
        if not 1900 <= year <= 2100:
            raise ValueError
        tenths = round((value - year) * 10, 6)
        if tenths == 1:
            raise AmbiguousMonth
        return date(year, round((value - year) * 100), 1), True
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        text = str(number)
    else:
        text = _text(value)
        number = int(text) if text.isdigit() else None
    if number is not None:
        if len(text) == 8:
            return date(int(text[:4]), int(text[4:6]), int(text[6:])), False
        if len(text) == 6:
            return date(int(text[:4]), int(text[4:]), 1), True
        if 1 <= number <= EXCEL_LAST and len(text) <= 5:
            return EXCEL_EPOCH + timedelta(days=number), False
        raise ValueError
    if match := FULL_DATE_RE.match(text):
        return date(int(match[1]), int(match[2]), int(match[3])), False
    if match := MONTH_RE.match(text):
        return date(int(match[1]), int(match[2]), 1), True
    raise ValueError


def _parse_flag(value) -> bool:
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError


class _Options:
    """The registration lists' active entries and the other ways of writing them."""

    def __init__(self):
        self.by_word: dict[str, dict[str, MemberOption]] = {key: {} for key in OptionList.values}
        self.names: dict[str, list[str]] = {key: [] for key in OptionList.values}
        for option in MemberOption.objects.filter(is_active=True):
            self.by_word[option.option_list][option.name] = option
            self.names[option.option_list].append(option.name)
        aliases = MemberOptionAlias.objects.filter(option__is_active=True).select_related("option")
        for alias in aliases:
            self.by_word[alias.option.option_list].setdefault(alias.word, alias.option)

    def find(self, option_list: str, text: str) -> MemberOption | None:
        words = self.by_word[option_list]
        return words.get(text) or words.get(text.replace(" ", ""))


# Rows ---------------------------------------------------------------------------------------


class _RowReader:
    """Turns one row into clean values, adding an error per bad cell."""

    def __init__(self, plan: ImportPlan, columns: list[Column], options: _Options):
        self.plan = plan
        self.options = options
        self.index = {c.field: c.index for c in columns if c.field}
        self.titles = {c.field: c.label for c in columns if c.field}

    def title(self, key) -> str:
        return self.titles.get(key) or TITLES[key]

    def read(self, number: int, cells: list) -> dict | None:
        errors = self.plan.errors
        before = errors.total
        values: dict = {}
        mapped = self.index

        def bad(key, message):
            errors.add(number, self.title(key), message)

        def cell(key):
            position = mapped.get(key)
            return cells[position] if position is not None and position < len(cells) else None

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
        if gender_text:
            if gender_text in GENDER_WORDS:
                values["gender"] = GENDER_WORDS[gender_text]
            else:
                bad("gender", _("Write 男 or 女."))

        if "id_number" in mapped:
            raw = _text(cell("id_number"))
            number_text = normalise(raw) if raw else ""
            if number_text and passes("id_number", validate_id_number, number_text):
                values["id_number"] = number_text
            elif not number_text:
                values["id_number"] = ""

        for key in DATE_FIELDS:
            if key not in mapped:
                continue
            try:
                parsed = parse_date(cell(key))
            except AmbiguousMonth:
                bad(
                    key,
                    _(
                        "“%(value)s” may be January or October (a number cell drops the 0 "
                        "of 2014.10); write 2014-01 or 2014-10."
                    )
                    % {"value": _text(cell(key))},
                )
                continue
            except (ValueError, OverflowError):
                bad(
                    key,
                    _("“%(value)s” is not a date; write it as 1985-03-02 or 1985.03.")
                    % {"value": _text(cell(key))},
                )
                continue
            if parsed is None:
                values[key] = None
                continue
            day, month_only = parsed
            if passes(key, validate_not_in_future, day):
                values[key] = day
                if month_only:
                    self.plan.month_only[key] = self.plan.month_only.get(key, 0) + 1

        if values.get("id_number"):
            self.agree_with_id_number(number, values, values["id_number"], derive=True)
        if "gender" in mapped and not gender_text and not values.get("id_number"):
            bad("gender", _("Write 男 or 女."))

        born, joined = values.get("birth_date"), values.get("joined_union_on")
        if born and joined and joined < born:
            bad("joined_union_on", _("The member cannot join the union before being born."))

        if "phone" in mapped:
            phone = _text(cell("phone")).replace(" ", "")
            if phone:
                passes("phone", validate_phone, phone)
            values["phone"] = phone

        for key, option_list in OPTION_FIELDS.items():
            if key not in mapped:
                continue
            text = _text(cell(key))
            if not text:
                values[key] = None
                continue
            option = self.options.find(option_list, text)
            if option is None:
                bad(
                    key,
                    _("“%(value)s” is not in the list of %(list)s; write one of: %(names)s.")
                    % {
                        "value": text,
                        "list": OptionList(option_list).label,
                        "names": "、".join(self.options.names[option_list]),
                    },
                )
                continue
            values[key] = option
        if values.get("model_worker_level"):
            values["is_model_worker"] = True

        if "hukou_type" in mapped:
            text = _text(cell("hukou_type")).lower()
            if text and text not in HUKOU_WORDS:
                bad("hukou_type", _("Write 城镇 or 农业."))
            else:
                values["hukou_type"] = HUKOU_WORDS.get(text, "")

        for key, length in TEXT_FIELDS.items():
            if key not in mapped:
                continue
            text = _text(cell(key))
            if len(text) > length:
                bad(
                    key,
                    _("Write at most %(count)s characters.") % {"count": length},
                )
                continue
            values[key] = text

        for key in FLAG_FIELDS:
            if key not in mapped or (key == "is_model_worker" and key in values):
                continue
            try:
                values[key] = _parse_flag(cell(key))
            except ValueError:
                bad(key, _("Write 是 or 否."))

        values["workshop"] = _text(cell("workshop"))
        values["group"] = _text(cell("group"))
        if "workshop" in mapped and not values["workshop"]:
            bad("workshop", _("The workshop union is missing."))
        if not values["group"]:
            bad("group", _("The union group is missing."))
        return values if errors.total == before else None

    def agree_with_id_number(self, number: int, values: dict, id_number: str, *, derive: bool):
        """The birth date and gender the identity number holds: taken where the file gives
        none, an error naming both where the file's disagree."""
        born, gender = birth_date_of(id_number), gender_of(id_number)
        errors = self.plan.errors
        given_born = values.get("birth_date")
        if given_born is None:
            if derive:
                values["birth_date"] = born
                self.plan.from_id_number["birth_date"] = (
                    self.plan.from_id_number.get("birth_date", 0) + 1
                )
        elif given_born != born:
            errors.add(
                number,
                self.title("birth_date"),
                _(
                    "The identity number gives %(id_date)s as the date of birth; the file "
                    "has %(date)s."
                )
                % {"id_date": day_label(born), "date": day_label(given_born)},
            )
        given_gender = values.get("gender")
        if not given_gender:
            if derive:
                values["gender"] = gender
                self.plan.from_id_number["gender"] = self.plan.from_id_number.get("gender", 0) + 1
        elif given_gender != gender:
            errors.add(
                number,
                self.title("gender"),
                _("The identity number gives %(id_gender)s; the file has %(gender)s.")
                % {"id_gender": Gender(gender).label, "gender": Gender(given_gender).label},
            )


def member_import_plan(
    *, sheet: Sheet, by, chosen: list[str] | None = None, limits: ImportLimits | None = None
) -> ImportPlan:
    """Check every row of an import against the data and the user's scope.

    A row creates a member (new 工号), updates one (known 工号) or moves one (known 工号
    in another group). Only groups the user may change are known to the import; moving a
    member needs the workshop union's reach; identity numbers and 户籍 need the PERSONAL
    rule. `by=None` is the operator at the command line. The rows are read one by one;
    only their checked values are kept (the preview lists them; `member_import_apply`
    writes them).
    """
    return _check_file(sheet=sheet, by=by, chosen=chosen, limits=limits, keep_rows=True)


def member_import_run(
    *,
    sheet: Sheet,
    by,
    chosen: list[str] | None = None,
    address: str | None = None,
    dry_run: bool = False,
    limits: ImportLimits | None = None,
    chunk_size: int | None = None,
    progress=None,
) -> ImportPlan:
    """Check and import a roster in one pass, all or nothing, in memory that does not grow
    with the file: the rows are checked `chunk_size` at a time (a few queries per chunk)
    and, while no row has failed, each chunk is written at once, inside one transaction.
    After the first bad row the rest are still checked, so that every problem is reported
    with its row, and the transaction is rolled back at the end: nothing is written. The
    plan keeps the counts and the errors, not the rows. `dry_run` checks only.
    `progress(done, total)`, if given, hears of rows checked plus rows written, out of
    twice the rows read so far. If someone else enrolled one of the file's new 工号
    meanwhile, nothing is written and ImportConflict says which."""
    chunk_size = chunk_size or IMPORT_CHUNK
    if dry_run:
        return _check_file(sheet=sheet, by=by, chosen=chosen, limits=limits, chunk_size=chunk_size)
    writer = _Writer(by, address, progress)
    try:
        with transaction.atomic():
            plan = _check_file(
                sheet=sheet,
                by=by,
                chosen=chosen,
                limits=limits,
                chunk_size=chunk_size,
                write=writer.chunk,
            )
            if not plan.ok:
                raise _RolledBack(plan)
    except _RolledBack as rolled_back:
        return rolled_back.plan
    except IntegrityError as error:
        raise _conflict(writer.created) from error
    if writer.written:
        records_changed_in_bulk.send(sender=Member, using=router.db_for_write(Member))
    return plan


class _RolledBack(Exception):
    """A row failed after earlier chunks were written: leave the transaction, undoing them."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan


def _check_file(
    *,
    sheet: Sheet,
    by,
    chosen,
    limits,
    keep_rows: bool = False,
    chunk_size: int | None = None,
    write=None,
) -> ImportPlan:
    """Read the rows one by one and check them against the data a chunk at a time; `write`
    takes each checked chunk while the file has no errors."""
    limits = limits or import_limits()
    chunk_size = chunk_size or IMPORT_CHUNK
    plan = ImportPlan(errors=ErrorList(limits.max_errors_listed))
    plan.header_row, plan.title_rows = sheet.header_row, sheet.title_rows
    plan.columns, plan.mapping_source, plan.saved_mapping = resolve_columns(
        sheet.headers, by=by, chosen=chosen
    )
    mapped = {c.field for c in plan.columns if c.field}
    missing = [TITLES[key] for key in REQUIRED if key not in mapped]
    if "gender" not in mapped and "id_number" not in mapped:
        missing.append(TITLES["gender"])
    if missing:
        names = "、".join(missing)
        plan.errors.add(
            sheet.header_row, names, _("The file has no column %(columns)s.") % {"columns": names}
        )

    reader = _RowReader(plan, plan.columns, _Options())
    checker = _Checker(plan, reader, by, keep_rows=keep_rows, write=write)
    parsed: list[tuple[int, dict]] = []
    # Every 工号 of the file with its first row: short strings, kept for the whole file.
    first_row_of: dict[str, int] = {}
    for number, cells in sheet.rows:
        plan.rows_read += 1
        if plan.rows_read == 1:
            for column in plan.columns:
                if column.index < len(cells):
                    column.example = _text(cells[column.index])[:40]
        if missing:
            continue
        values = reader.read(number, cells)
        if values is None:
            continue
        employee_no = values["employee_no"]
        if employee_no in first_row_of:
            plan.errors.add(
                number,
                reader.title("employee_no"),
                _("工号 %(no)s appears again; it was first on row %(row)s.")
                % {"no": employee_no, "row": first_row_of[employee_no]},
            )
            continue
        first_row_of[employee_no] = number
        parsed.append((number, values))
        if len(parsed) >= chunk_size:
            checker.check(parsed)
            parsed = []
    if missing:
        return plan
    if not plan.rows_read:
        plan.errors.add(sheet.header_row, "", _("The file has no member rows."))
        return plan
    checker.check(parsed)
    return plan


def _find_group(values, groups_by_name) -> tuple[UnionGroup | None, bool]:
    """The group a row names (and whether the name alone was ambiguous)."""
    candidates = groups_by_name.get(clean_title(values["group"]), [])
    if values["workshop"]:
        workshop = clean_title(values["workshop"])
        candidates = [g for g in candidates if clean_title(g.workshop.name) == workshop]
        return (candidates[0] if candidates else None), False
    if len(candidates) == 1:
        return candidates[0], False
    return None, len(candidates) > 1


@dataclass
class _Released:
    """A number an update of an earlier chunk took from its member: the rows after it are
    checked as if that member still held it, as they would be had nothing been written."""

    name: str
    employee_no: str
    visible: bool


class _Checker:
    """The checks against the data, a chunk of rows at a time: groups in reach, members
    known or new, numbers held by someone else, moves and the PERSONAL rule. What lasts
    from chunk to chunk is small: the groups, each identity number's and card no.'s first
    row, and the numbers earlier chunks' updates took from their members."""

    def __init__(self, plan: ImportPlan, reader: _RowReader, by, *, keep_rows: bool, write):
        self.plan, self.reader, self.by = plan, reader, by
        self.keep_rows, self.write = keep_rows, write
        self.groups_by_name: dict[str, list[UnionGroup]] | None = None
        self.first_row_of: dict[str, dict[str, int]] = {"id_number": {}, "card_no": {}}
        self.released: dict[str, dict[str, _Released]] = {"id_number": {}, "card_no": {}}

    def _groups(self) -> dict[str, list[UnionGroup]]:
        if self.groups_by_name is None:
            groups = UnionGroup.objects.select_related("workshop")
            by = self.by
            changeable = groups.restrict(by, CHANGE) if by is not None else groups.all()
            self.groups_by_name = {}
            for group in changeable:
                self.groups_by_name.setdefault(clean_title(group.name), []).append(group)
        return self.groups_by_name

    def check(self, parsed: list[tuple[int, dict]]) -> None:
        if not parsed:
            return
        plan = self.plan
        creates, updates = self._check_chunk(parsed)
        plan.create_count += len(creates)
        plan.update_count += len(updates)
        plan.move_count += sum(1 for row in updates if row.moves)
        if self.keep_rows:
            plan.creates += creates
            plan.updates += updates
        if self.write is not None and plan.ok:
            self._release(updates)
            self.write(creates, updates, checked=plan.rows_read)

    def _release(self, updates: list[PlannedRow]) -> None:
        for row in updates:
            for key in ("id_number", "card_no"):
                before = getattr(row.member, key)
                if key in row.changes and before:
                    visible = self.by is None or allows(self.by, VIEW, row.member)
                    self.released[key][before] = _Released(
                        row.member.name, row.member.employee_no, visible
                    )

    def _check_chunk(self, parsed) -> tuple[list[PlannedRow], list[PlannedRow]]:
        plan, reader, by = self.plan, self.reader, self.by
        fail = plan.errors.add
        title = reader.title
        groups_by_name = self._groups()
        creates: list[PlannedRow] = []
        updates: list[PlannedRow] = []
        existing = _members_by("employee_no", [values["employee_no"] for _n, values in parsed])
        holders = {
            key: _members_by(key, [v[key] for _n, v in parsed if v.get(key)])
            for key in ("id_number", "card_no")
        }
        for number, values in parsed:
            group, ambiguous = _find_group(values, groups_by_name)
            if group is None:
                if ambiguous:
                    message = _(
                        "Several workshop unions have a union group “%(group)s”; add a "
                        "column for the workshop union."
                    ) % {"group": values["group"]}
                else:
                    message = _(
                        "No union group “%(group)s” in workshop union “%(workshop)s” "
                        "that you may change."
                    ) % {"group": values["group"], "workshop": values["workshop"]}
                fail(number, title("group"), message)
                continue
            member = existing.get(values["employee_no"])
            if member is not None and by is not None and not allows(by, CHANGE, member):
                fail(number, title("employee_no"), taken_employee_no(values["employee_no"]))
                continue
            if member is not None and member.status == MemberStatus.LEFT:
                fail(
                    number,
                    title("employee_no"),
                    _(
                        "工号 %(no)s belongs to a member who left the union; take them back "
                        "on their page first."
                    )
                    % {"no": values["employee_no"]},
                )
                continue
            target = member if member is not None else Member(group=group)
            if not _personal_allowed(plan, number, values, target, group, by, title):
                continue
            if not self._numbers_free(number, values, member, holders):
                continue
            if member is None:
                if not values.get("gender"):
                    fail(number, title("gender"), _("Write 男 or 女, or give the identity number."))
                    continue
                creates.append(PlannedRow(number, values, group))
                continue
            if member.id_number and "id_number" not in values:
                before = plan.errors.total
                reader.agree_with_id_number(number, values, member.id_number, derive=False)
                if plan.errors.total != before:
                    continue
            row = PlannedRow(number, values, group, member=member)
            row.changes = [
                f for f in DETAIL_FIELDS if f in values and _differs(member, f, values[f])
            ]
            if (
                row.moves
                and by is not None
                and not (allows(by, MANAGE, member) and allows(by, MANAGE, group))
            ):
                fail(
                    number,
                    title("group"),
                    _("Moving %(name)s to another group is for the workshop union to do.")
                    % {"name": member.name},
                )
                continue
            if row.changes or row.moves:
                updates.append(row)
            else:
                plan.unchanged += 1
        return creates, updates

    def _numbers_free(self, number, values, member, holders) -> bool:
        """An identity number or card no. held by another member, or twice in the file."""
        plan, by, title = self.plan, self.by, self.reader.title
        fine = True
        for key in ("id_number", "card_no"):
            value = values.get(key)
            if not value:
                continue
            earlier = self.first_row_of[key].setdefault(value, number)
            if earlier != number:
                plan.errors.add(
                    number,
                    title(key),
                    _("This number appears again; it was first on row %(row)s.") % {"row": earlier},
                )
                fine = False
                continue
            holder = holders[key].get(value)
            if holder is not None:
                if holder.employee_no == values["employee_no"]:
                    continue
                visible = by is None or allows(by, VIEW, holder)
                held = _Released(holder.name, holder.employee_no, visible)
            elif (held := self.released[key].get(value)) is None:
                continue
            fine = False
            if held.visible:
                message = _("%(name)s (工号 %(no)s) already has this number.") % {
                    "name": held.name,
                    "no": held.employee_no,
                }
            else:
                message = _(
                    "This number cannot be taken by this import. Check it; if it is right, "
                    "ask the union office."
                )
            plan.errors.add(number, title(key), message)
        return fine


def _personal_allowed(plan, number, values, target, group, by, title) -> bool:
    """Identity numbers and 户籍 only where the user may see them: a filled cell elsewhere
    is an error, a blank one leaves the member's untouched."""
    if by is None or allows(by, PERSONAL, target):
        return True
    filled = [key for key in PERSONAL_FIELDS if values.get(key)]
    for key in PERSONAL_FIELDS:
        values.pop(key, None)
    if filled:
        plan.errors.add(
            number,
            title(filled[0]),
            _(
                "Identity numbers and 户籍 of %(group)s's members are kept by its workshop "
                "union; leave these cells blank."
            )
            % {"group": group.name},
        )
        return False
    return True


def _differs(member: Member, key: str, value) -> bool:
    if key in OPTION_FIELDS:
        return getattr(member, f"{key}_id") != (value.pk if value else None)
    return getattr(member, key) != value


def _members_by(key: str, values: list[str]) -> dict[str, Member]:
    found = {}
    for start in range(0, len(values), IMPORT_BATCH):
        chunk = values[start : start + IMPORT_BATCH]
        for member in Member.objects.filter(**{f"{key}__in": chunk}).select_related(
            "group__workshop"
        ):
            found[getattr(member, key)] = member
    return found


# Applying -----------------------------------------------------------------------------------


def member_import_apply(*, plan: ImportPlan, by, address: str | None = None) -> ImportPlan:
    """Carry out a checked plan: create, update and move members, all or nothing. If
    someone else enrolled one of its new 工号 (or took one of its numbers) since the
    check, nothing is written and ImportConflict says which."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    try:
        with transaction.atomic():
            _apply(plan, by, address)
    except IntegrityError as error:
        raise _conflict([row.values["employee_no"] for row in plan.creates]) from error
    records_changed_in_bulk.send(sender=Member, using=router.db_for_write(Member))
    return plan


def _conflict(numbers: list[str]) -> ImportConflict:
    """After the rollback: which of the import's new 工号 someone else enrolled."""
    taken = set()
    for start in range(0, len(numbers), IMPORT_BATCH):
        taken.update(
            Member.objects.filter(
                employee_no__in=numbers[start : start + IMPORT_BATCH]
            ).values_list("employee_no", flat=True)
        )
    return ImportConflict(sorted(taken))


def _apply(plan: ImportPlan, by, address) -> None:
    writer = _Writer(by, address)
    for start in range(0, len(plan.creates), IMPORT_BATCH):
        writer.create(plan.creates[start : start + IMPORT_BATCH])
    writer.update(plan.updates)


class _Writer:
    """Writes checked rows, a batch at a time, in a fixed number of queries per batch: the
    new members with their history and group stretch, the updates with theirs, a move's
    stretch ended and a new one begun, and the log of identity numbers and 户籍 written."""

    def __init__(self, by, address, progress=None):
        self.by, self.address, self.progress = by, address, progress
        self.today = timezone.localdate()
        self.created: list[str] = []  # the new 工号, to name them if someone took one
        self.written = 0

    def chunk(self, creates: list[PlannedRow], updates: list[PlannedRow], *, checked: int):
        total = 2 * checked
        if self.progress is not None:
            self.progress(checked + self.written, total)
        self.create(creates)
        if self.progress is not None:
            self.progress(checked + self.written, total)
        self.update(updates)
        if self.progress is not None:
            self.progress(checked + self.written, total)

    def create(self, rows: list[PlannedRow]) -> None:
        if not rows:
            return
        by = self.by
        new_members = []
        for row in rows:
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
        self._stretches(created)
        self._log([m for m in created if m.id_number or m.hukou_type])
        self.created += [m.employee_no for m in created]
        self.written += len(rows)

    def update(self, rows: list[PlannedRow]) -> None:
        changed, moved, personal = [], [], []
        for row in rows:
            member = row.member
            for f in row.changes:
                setattr(member, f, row.values[f])
            member.name_initials = name_initials(member.name)
            if row.moves:
                member.group = row.group
                moved.append(member)
            member.updated_at = timezone.now()
            changed.append(member)
            if any(f in PERSONAL_FIELDS for f in row.changes):
                personal.append(member)
        for start in range(0, len(moved), IMPORT_BATCH):
            batch = moved[start : start + IMPORT_BATCH]
            GroupMembership.objects.filter(member__in=batch, ended_on__isnull=True).update(
                ended_on=self.today
            )
            self._stretches(batch)
            GroupPost.objects.filter(member__in=batch).delete()
        if changed:
            bulk_update_with_history(
                changed,
                Member,
                [*DETAIL_FIELDS, "name_initials", "group", "updated_at"],
                batch_size=IMPORT_BATCH,
                default_user=self.by,
            )
        self._log(personal)
        self.written += len(rows)

    def _stretches(self, members: list[Member]) -> None:
        GroupMembership.objects.bulk_create(
            [
                GroupMembership(
                    member=m,
                    group=m.group,
                    started_on=self.today,
                    recorded_by=self.by,
                    note=_("Imported"),
                )
                for m in members
            ],
            batch_size=IMPORT_BATCH,
        )

    def _log(self, members: list[Member]) -> None:
        if self.by is None or not members:
            return
        PersonalAccess.objects.bulk_create(
            [
                PersonalAccess(
                    user=self.by,
                    action=PersonalAccess.Action.CHANGE,
                    member=m,
                    summary=_("Member import"),
                    ip_address=self.address,
                )
                for m in members
            ],
            batch_size=IMPORT_BATCH,
        )


# Writing the roster back ----------------------------------------------------------------------


def export_fields(user) -> list[str]:
    """The export's and the template's columns, in the registration's order; the identity
    number and 户籍 only for a user the PERSONAL rule lets see them somewhere."""
    personal = user is None or Member.objects.may(user, PERSONAL)
    return [f for f in FIELD_ORDER if personal or f not in PERSONAL_FIELDS]


def export_cell(member: Member, key: str, *, personal: bool):
    """One cell of a member's row, as the import reads it back."""
    if key in PERSONAL_FIELDS and not personal:
        return ""
    if key == "workshop":
        return member.group.workshop.name
    if key == "group":
        return member.group.name
    value = getattr(member, key)
    if key == "gender":
        return {Gender.MALE: "男", Gender.FEMALE: "女"}.get(value, "")
    if key == "hukou_type":
        return HUKOU_TITLES.get(value, "")
    if key in OPTION_FIELDS:
        return value.name if value else ""
    if key in FLAG_FIELDS:
        return "是" if value else "否"
    return value
