"""Employee counts from a workbook the personnel office keeps: checked as a whole, every
error named with its row, and saved all together or not at all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import OVERSEE, WorkshopUnion
from unionhome.tabular import ReadLimits, open_table

HEADERS = {
    "workshop": ("车间工会", "车间", "单位", "工会", "workshop union", "workshop"),
    "month": ("月份", "月", "month"),
    "employees": ("职工人数", "职工数", "人数", "employees"),
}
MONTH_FORMS = (
    re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:月|[-./]\s*\d{1,2}\s*日?)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)
MAX_ERRORS = 50
# A unit's count per month: a few thousand rows cover years of a large organisation.
LIMITS = ReadLimits(max_rows=5000, max_unpacked_bytes=20 * 1024 * 1024)
KNOWN_TITLES = {name for names in HEADERS.values() for name in names}


@dataclass
class CountPlan:
    rows: list = field(default_factory=list)  # (workshop, month, employees)
    errors: list = field(default_factory=list)  # (row number, message)
    error_total: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_total

    def fail(self, row: int, message: str) -> None:
        self.error_total += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((row, message))


def month_of(value) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value or "").strip()
    for pattern in MONTH_FORMS:
        found = pattern.match(text)
        if found:
            year, month = int(found.group(1)), int(found.group(2))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return date(year, month, 1)
    return None


def _column(headers, names):
    lowered = {h.strip().lower(): h for h in headers}
    return next((lowered[n] for n in names if n in lowered), None)


def employee_counts_read(uploaded, filename: str):
    """(headers, rows as (row number, {title: value})), title rows above the header
    skipped; TableReadError for a file that cannot be read or is too large."""
    sheet = open_table(
        uploaded,
        filename,
        limits=LIMITS,
        is_title=lambda text: text.strip().lower() in KNOWN_TITLES,
    )
    headers = list(sheet.headers)
    rows = (
        (number, {h: v for h, v in zip(headers, values, strict=False) if h})
        for number, values in sheet.rows
    )
    return headers, rows


def employee_counts_plan(*, headers, rows, by) -> CountPlan:
    """Check every row: a workshop union the user keeps counts for (by name or code), a
    month, a whole number of employees, and each workshop union's month only once."""
    plan = CountPlan()
    columns = {key: _column(headers, names) for key, names in HEADERS.items()}
    missing = [HEADERS[key][0] for key, column in columns.items() if column is None]
    if missing:
        plan.fail(1, _("The file has no column %(names)s.") % {"names": "、".join(missing)})
        return plan
    workshops = {}
    for workshop in WorkshopUnion.objects.restrict(by, OVERSEE):
        workshops[workshop.name] = workshop
        workshops[workshop.code.upper()] = workshop
    seen = {}
    today = timezone.localdate().replace(day=1)
    for number, row in rows:
        values = {key: row.get(column) for key, column in columns.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        name = str(values["workshop"] or "").strip()
        workshop = workshops.get(name) or workshops.get(name.upper())
        if workshop is None:
            plan.fail(number, _("No workshop union of yours is called %(name)s.") % {"name": name})
            continue
        month = month_of(values["month"])
        if month is None:
            plan.fail(
                number,
                _("The month %(value)s is not understood; write it as 2026-11.")
                % {"value": values["month"] or ""},
            )
            continue
        if month > today:
            plan.fail(
                number, _("The month %(value)s is in the future.") % {"value": f"{month:%Y-%m}"}
            )
            continue
        employees = str(values["employees"] if values["employees"] is not None else "").strip()
        if employees.endswith(".0"):
            employees = employees[:-2]
        if not employees.isdigit():
            plan.fail(
                number,
                _("The number of employees %(value)s is not a whole number.")
                % {"value": employees},
            )
            continue
        key = (workshop.pk, month)
        if key in seen:
            plan.fail(
                number,
                _("%(workshop)s %(month)s is already on row %(row)s.")
                % {"workshop": workshop.name, "month": f"{month:%Y-%m}", "row": seen[key]},
            )
            continue
        seen[key] = number
        plan.rows.append((workshop, month, int(employees)))
    if not plan.rows and not plan.error_total:
        plan.fail(1, _("The file has no rows."))
    return plan
