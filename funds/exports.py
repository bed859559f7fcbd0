"""The workbooks funds writes: a batch for the bank's batch transfer (laid out as the
bank's template, data in BankLayout), and the yearly fund statement."""

from django.utils.translation import gettext as _

from unionhome.tabular import xlsx_workbook_response

from .models import BankLayout, LayoutField, LineKind
from .selectors import Statement


def default_layout() -> BankLayout | None:
    return BankLayout.objects.prefetch_related("columns").order_by("-is_default", "pk").first()


def _value(field: str, index: int, line, batch):
    if field == LayoutField.SEQUENCE:
        return index
    if field == LayoutField.ACCOUNT_NAME:
        return line.account_name or line.member.name
    if field == LayoutField.ACCOUNT_NO:
        return line.account_no
    if field == LayoutField.AMOUNT:
        return line.amount
    if field == LayoutField.BANK:
        return line.bank
    if field == LayoutField.REMARK:
        return f"{batch.title} {line.category}".strip()
    if field == LayoutField.MEMBER_NAME:
        return line.member.name
    if field == LayoutField.EMPLOYEE_NO:
        return line.member.employee_no
    if field == LayoutField.WORKSHOP:
        return line.workshop.name
    return ""


def bank_workbook(*, batch, lines, layout: BankLayout):
    """The batch's lines in the bank's columns, account numbers as text."""
    columns = list(layout.columns.all())
    rows = [
        [_value(column.field, index, line, batch) for column in columns]
        for index, line in enumerate(lines, start=1)
    ]
    return xlsx_workbook_response(
        filename=f"{batch.number}.xlsx",
        sheets=[(layout.sheet_title, [column.header for column in columns], rows)],
    )


def statement_workbook(statement: Statement):
    """The statement as on screen: the funds, then the spending by item."""
    funds = [
        [row.fund.name, row.budget, row.income, row.paid, row.committed, row.balance]
        for row in statement.funds
    ]
    funds.append(
        [
            _("Total"),
            statement.budget,
            statement.income,
            statement.paid,
            statement.committed,
            statement.balance,
        ]
    )
    kinds = dict(LineKind.choices)
    categories = [
        [str(kinds.get(kind, kind)), category, count, amount]
        for kind, category, count, amount in statement.categories
    ]
    categories.append([_("Total"), "", sum(r[2] for r in categories), statement.category_total])
    return xlsx_workbook_response(
        filename=_("fund statement %(year)s.xlsx") % {"year": statement.year},
        sheets=[
            (
                _("Funds"),
                [
                    _("Fund"),
                    _("Budget (yuan)"),
                    _("Income (yuan)"),
                    _("Paid (yuan)"),
                    _("Promised, not yet paid (yuan)"),
                    _("Balance (yuan)"),
                ],
                funds,
            ),
            (
                _("Spending by item"),
                [_("Kind"), _("Item"), _("Payments"), _("Amount (yuan)")],
                categories,
            ),
        ],
    )
