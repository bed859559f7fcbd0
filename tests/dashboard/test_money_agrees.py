"""The annual summary's money, on the demo data: the page, its workbook and the fund
statement show the same total, and the sums by item add up to it (cases and campaigns)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from dashboard import figures
from funds.selectors import fund_statement
from unionhome.templatetags.unionhome import yuan


@pytest.mark.django_db
def test_summary_workbook_and_fund_statement_show_the_same_money_on_the_demo():
    call_command("seed_demo", stdout=io.StringIO())
    hq = User.objects.get(username="hq")
    assert hq.handles_welfare
    # The demo pays last winter's 送温暖 on 20 January: before then, last year has both.
    today = timezone.localdate()
    year = today.year if today >= date(today.year, 1, 21) else today.year - 1

    statement = fund_statement(year=year)
    welfare = figures.annual_summary(user=hq, year=year).overview.welfare
    assert statement.paid > 0
    assert welfare.paid_total == statement.paid == statement.category_total
    assert sum(paid for _item, _n, paid in welfare.cases_by_type) == welfare.paid_total
    assert {kind for kind, *_rest in statement.categories} >= {"case", "campaign"}

    client = Client()
    client.force_login(hq)
    total = str(yuan(statement.paid))
    page = client.get(f"/summary/?year={year}").content.decode()
    assert f'id="money-by-item-total">{total}<' in page
    assert total in client.get(f"/funds/statement/?year={year}").content.decode()

    book = load_workbook(io.BytesIO(client.get(f"/summary.xlsx?year={year}").content))
    key_figures = list(book.worksheets[0].iter_rows(values_only=True))
    assert any(
        Decimal(str(value)) == statement.paid
        for _label, value in key_figures[1:]
        if isinstance(value, (int, float))
    )
    by_item = next(
        sheet
        for sheet in book.worksheets
        if sheet.max_column == 3
        and any(
            row[2] is not None and Decimal(str(row[2])) == statement.paid
            for row in sheet.iter_rows(min_row=2, values_only=True)
            if isinstance(row[2], (int, float))
        )
    )
    rows = list(by_item.iter_rows(min_row=2, values_only=True))
    assert Decimal(str(sum(row[2] for row in rows[:-1]))) == statement.paid
