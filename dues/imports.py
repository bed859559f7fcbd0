"""Importing a month's payroll (base pay) and a payment workbook: all or nothing.

`payroll_plan` / `payment_plan` read every row and check it against the register and the
user's reach; the page shows the plan as a preview and nothing is saved until the user
confirms a file without errors (`payroll_apply` / `payment_apply`, one transaction).
A 工号 that is unknown or outside the user's reach reads the same ("not a member in your
part of the organisation"), so an import never tells whether a number exists elsewhere.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scoping import CHANGE
from groups.models import Member
from unionhome import tabular

from .models import BasePay, DuesCharge, DuesCollection
from .services import dues_record_collection

BATCH = 1000
EMPLOYEE_NO = ("工号", "职工号", "员工编号", "employeeno.", "employeeno")
NAME = ("姓名", "name")
# The pay a month's dues are reckoned on, as payroll workbooks head it: the first found.
BASE_PAY = (
    "缴费基数",
    "会费基数",
    "基本工资",
    "应发工资",
    "应发合计",
    "工资",
    "basepay",
)
PAID = ("实缴金额", "实缴会费", "缴费金额", "实缴", "金额", "amountpaid", "paid")
MAX_PAY = Decimal("1000000")
# A payroll holds a row per employee: the seed's mine has 10,000 members.
MAX_ROWS = 20_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MONEY_NOISE = re.compile(r"[,，¥￥元\s]")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    member: Member
    amount: Decimal
    before: Decimal | None = None  # the base pay already imported for the month


@dataclass
class ImportPlan:
    month: date
    column: str = ""  # the file's column the amounts were read from
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    paid_already: int = 0  # members whose dues of the month are paid: they stay as they are

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.before is None]

    @property
    def changed(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.before is not None and r.before != r.amount]

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if r.before is not None and r.before == r.amount)

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal("0"))


def _key(header) -> str:
    return "".join(str(header or "").split()).lower()


def _find(headers: list[str], aliases) -> str | None:
    lowered = {_key(h): h for h in headers if h}
    for alias in aliases:
        if _key(alias) in lowered:
            return lowered[_key(alias)]
    return None


KNOWN_TITLES = {_key(a) for a in (*EMPLOYEE_NO, *NAME, *BASE_PAY, *PAID)}


def read_upload(uploaded, filename: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The file's column titles and its rows as (row number, {title: value}), through the
    project's table reader: a title row above the header ("2026年11月工资表") is skipped
    where the reader finds the header by its known titles. TableReadError if unreadable."""
    if hasattr(tabular, "open_table"):
        sheet = tabular.open_table(
            uploaded,
            filename,
            limits=tabular.ReadLimits(max_rows=MAX_ROWS, max_unpacked_bytes=MAX_UNPACKED_BYTES),
            is_title=lambda text: _key(text) in KNOWN_TITLES,
        )
        headers = list(sheet.headers)
        rows = [
            (number, {h: v for h, v in zip(headers, values, strict=False) if h})
            for number, values in sheet.rows
        ]
        return headers, rows
    table = tabular.read_table(uploaded, filename)
    return table.headers, table.rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return CONTROL_RE.sub("", str(value)).strip()


def parse_money(value) -> Decimal:
    """A cell as yuan: 6850, 6850.5, "6,850.00", "￥6850元"; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        text = MONEY_NOISE.sub("", _text(value))
        if not text:
            raise ValueError
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_PAY:
        raise ValueError
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError
    return amount.quantize(Decimal("0.01"))


def _read_rows(plan, headers, rows, amount_aliases, *, amount_required):
    """[(row, employee no., name, amount or None)] with the errors of each cell."""
    columns = {
        "no": _find(headers, EMPLOYEE_NO),
        "name": _find(headers, NAME),
        "amount": _find(headers, amount_aliases),
    }
    missing = [label for key, label in (("no", "工号"), ("name", "姓名")) if not columns[key]]
    if amount_required and not columns["amount"]:
        missing.append("/".join(amount_aliases[:3]))
    if missing:
        names = "、".join(missing)
        plan.errors.append(
            RowError(1, names, _("The file has no column %(columns)s.") % {"columns": names})
        )
        return []
    plan.column = columns["amount"] or ""
    if not rows:
        plan.errors.append(RowError(1, "", _("The file has no member rows.")))
        return []
    read, first_row = [], {}
    for number, record in rows:
        no = _text(record.get(columns["no"]))
        name = _text(record.get(columns["name"]))
        amount, good = None, True
        if not no:
            plan.errors.append(RowError(number, "工号", _("The employee no. is missing.")))
            good = False
        if not name:
            plan.errors.append(RowError(number, "姓名", _("The name is missing.")))
            good = False
        if columns["amount"]:
            cell = record.get(columns["amount"])
            if cell in (None, "") and not amount_required:
                amount = None
            else:
                try:
                    amount = parse_money(cell)
                except ValueError:
                    plan.errors.append(
                        RowError(
                            number,
                            columns["amount"],
                            _("“%(value)s” is not an amount in yuan such as 6850.00.")
                            % {"value": _text(cell)},
                        )
                    )
                    good = False
        if no and no in first_row:
            plan.errors.append(
                RowError(
                    number,
                    "工号",
                    _("工号 %(no)s appears again; it was first on row %(row)s.")
                    % {"no": no, "row": first_row[no]},
                )
            )
            continue
        if no:
            first_row[no] = number
        if good:
            read.append((number, no, name, amount))
    return read


def _members_in_reach(plan, read, by, model):
    """{employee no.: member} of the rows whose member the user may change `model` for;
    the others are errors that say nothing of the member."""
    numbers = [no for _n, no, _name, _a in read]
    found = {}
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        for member in Member.objects.filter(employee_no__in=chunk).select_related("group"):
            found[member.employee_no] = member
    scope = model.objects.scope(by, CHANGE) if by is not None else None
    queryset = model.objects.get_queryset()
    reached = {}
    for number, no, name, _amount in read:
        member = found.get(no)
        probe = None
        if member is not None:
            probe = (
                BasePay(member=member)
                if model is BasePay
                else DuesCharge(member=member, group=member.group)
            )
        if member is None or (scope is not None and not queryset.scope_allows(by, scope, probe)):
            plan.errors.append(
                RowError(
                    number,
                    "工号",
                    _("工号 %(no)s is not a member in your part of the organisation.") % {"no": no},
                )
            )
            continue
        if member.name != name:
            plan.errors.append(
                RowError(
                    number,
                    "姓名",
                    _("工号 %(no)s is %(name)s in the register, not %(given)s.")
                    % {"no": no, "name": member.name, "given": name},
                )
            )
            continue
        reached[no] = member
    return reached


def payroll_plan(
    *, month: date, headers: list[str], rows: list[tuple[int, dict]], by
) -> ImportPlan:
    """Check a payroll workbook: 工号, 姓名 and the base pay of each member for `month`."""
    plan = ImportPlan(month=month)
    read = _read_rows(plan, headers, rows, BASE_PAY, amount_required=True)
    if not read:
        return plan
    members = _members_in_reach(plan, read, by, BasePay)
    before = dict(
        BasePay.objects.filter(
            month=month, member__in=[m.pk for m in members.values()]
        ).values_list("member", "amount")
    )
    for number, no, _name, amount in read:
        member = members.get(no)
        if member is not None:
            plan.rows.append(PlannedRow(number, member, amount, before.get(member.pk)))
    plan.paid_already = DuesCharge.objects.filter(
        month=month, member__in=[m.pk for m in members.values()], paid__gt=0
    ).count()
    plan.errors.sort(key=lambda e: e.row)
    return plan


@transaction.atomic
def payroll_apply(*, plan: ImportPlan, by, source: str = "") -> ImportPlan:
    """Keep the month's base pay of every row (new or changed); the dues follow when the
    month is computed."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    existing = {
        b.member_id: b
        for b in BasePay.objects.select_for_update().filter(
            month=plan.month, member__in=[r.member.pk for r in plan.rows]
        )
    }
    new, changed = [], []
    for row in plan.rows:
        record = existing.get(row.member.pk)
        if record is None:
            new.append(
                BasePay(
                    member=row.member,
                    month=plan.month,
                    amount=row.amount,
                    source=source[:200],
                    imported_by=by,
                )
            )
        elif record.amount != row.amount:
            record.amount, record.source, record.imported_by = row.amount, source[:200], by
            changed.append(record)
    if new:
        bulk_create_with_history(new, BasePay, batch_size=BATCH, default_user=by)
    if changed:
        bulk_update_with_history(
            changed, BasePay, ["amount", "source", "imported_by"], batch_size=BATCH, default_user=by
        )
    return plan


def payment_plan(
    *, month: date, headers: list[str], rows: list[tuple[int, dict]], by
) -> ImportPlan:
    """Check a payment workbook: 工号, 姓名 and optionally the amount paid (the whole month's
    dues when left out) of members whose dues for `month` are computed and not yet paid."""
    plan = ImportPlan(month=month)
    read = _read_rows(plan, headers, rows, PAID, amount_required=False)
    if not read:
        return plan
    members = _members_in_reach(plan, read, by, DuesCharge)
    charges = {
        c.member_id: c
        for c in DuesCharge.objects.filter(
            month=month, member__in=[m.pk for m in members.values()]
        ).select_related("group__workshop")
    }
    scope = DuesCharge.objects.scope(by, CHANGE) if by is not None else None
    for number, no, _name, amount in read:
        member = members.get(no)
        if member is None:
            continue
        charge = charges.get(member.pk)
        if charge is None or (
            scope is not None
            and not DuesCharge.objects.get_queryset().scope_allows(by, scope, charge)
        ):
            plan.errors.append(
                RowError(
                    number,
                    "工号",
                    _("%(name)s (%(no)s) has no dues computed for this month.")
                    % {"name": member.name, "no": no},
                )
            )
            continue
        if charge.is_settled:
            plan.errors.append(
                RowError(
                    number,
                    "工号",
                    _("%(name)s (%(no)s) has paid this month's dues already.")
                    % {"name": member.name, "no": no},
                )
            )
            continue
        paying = charge.owed if amount is None else amount
        if not Decimal("0") < paying <= charge.owed:
            plan.errors.append(
                RowError(
                    number,
                    plan.column,
                    _("%(name)s owes ¥%(owed)s for the month; ¥%(paying)s cannot be recorded.")
                    % {"name": member.name, "owed": charge.owed, "paying": paying},
                )
            )
            continue
        row = PlannedRow(number, member, paying, before=charge.owed)
        row.charge = charge
        plan.rows.append(row)
    plan.errors.sort(key=lambda e: e.row)
    return plan


@transaction.atomic
def payment_apply(*, plan: ImportPlan, by, paid_on: date, method: str) -> list[DuesCollection]:
    """Record the payments of a checked workbook: one collection per workshop union."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    by_workshop = defaultdict(dict)
    workshops = {}
    for row in plan.rows:
        workshop = row.charge.group.workshop
        workshops[workshop.pk] = workshop
        by_workshop[workshop.pk][row.member.pk] = row.amount
    collections = []
    for workshop_id, amounts in by_workshop.items():
        collections.append(
            dues_record_collection(
                workshop=workshops[workshop_id],
                month=plan.month,
                by=by,
                paid_on=paid_on,
                method=method,
                only_members=list(amounts),
                amounts=amounts,
                note=_("Payment workbook"),
            )
        )
    return collections
