"""The funds pages: what each shows, the forms, the workbooks, the printed 签领表, the
cache headers, and a fixed number of queries whatever the data."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from funds import hooks, services
from funds.models import BankLayout, Fund, Method, PaymentBatch
from tests import files
from tests.factories import MemberFactory, leader_user, workshop_user

from .conftest import YEAR

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def workbook(response):
    return load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def no_store(response):
    cache = response["Cache-Control"]
    return "no-store" in cache and "private" in cache


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def cash_batch(org, budget, open_batch, add_line):
    batch = open_batch(method=Method.CASH, workshop=org.a, title="元旦春节送温暖")
    add_line(batch, org.members["A1"][0], "800", kind="campaign", category="元旦春节送温暖")
    add_line(batch, org.members["A2"][0], "400", kind="campaign", category="元旦春节送温暖")
    batch.refresh_from_db()
    return batch


@pytest.fixture
def bank_batch(org, welfare_hq, budget, open_batch, add_line):
    member = org.members["A1"][1]
    services.account_save(
        by=welfare_hq,
        member=member,
        account_name=member.name,
        account_no="6222021001123456",
        bank="工商银行某某支行",
    )
    batch = open_batch(title="大病互助第一批")
    add_line(batch, member, "3000")
    add_line(batch, org.members["B1"][0], "1500.50")
    batch.refresh_from_db()
    return batch


def test_overview_shows_each_fund_and_hq_sets_budget_and_income(org, welfare_hq, login):
    client = login(welfare_hq)
    fund = Fund.objects.get(code="mutual_aid")
    response = client.post(
        reverse("funds:budget_edit") + f"?year={YEAR}",
        {"fund": fund.pk, "amount": "100000", "note": "职代会通过"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("funds:income_create") + f"?year={YEAR}",
        {
            "fund": fund.pk,
            "received_on": TODAY.isoformat(),
            "amount": "2500",
            "source": "上级工会拨付",
        },
    )
    assert response.status_code == 302
    response = client.get(reverse("funds:overview"), {"year": YEAR})
    assert no_store(response)
    page = response.content.decode()
    assert "互助金" in page and "¥100,000.00" in page and "¥102,500.00" in page
    assert "上级工会拨付" in page
    # A refusal shows next to its field.
    response = client.post(
        reverse("funds:income_create") + f"?year={YEAR}",
        {"fund": fund.pk, "received_on": TODAY.isoformat(), "amount": "-1", "source": "x"},
    )
    assert response.status_code == 200 and "amount" in response.context["form"].errors


def test_batch_detail_flags_members_without_an_account(bank_batch, org, welfare_hq, login):
    response = login(welfare_hq).get(reverse("funds:batch_detail", args=[bank_batch.pk]))
    assert no_store(response)
    page = response.content.decode()
    assert 'id="missing-accounts"' in page
    assert org.members["B1"][0].name in page
    assert "**** 3456" in page and "6222021001123456" not in page
    assert "¥4,500.50" in page and "肆仟伍佰元伍角" in page


def test_the_bank_workbook_follows_the_layout(bank_batch, org, welfare_hq, login):
    client = login(welfare_hq)
    response = client.get(reverse("funds:batch_workbook", args=[bank_batch.pk]))
    assert no_store(response)
    sheet = workbook(response).active
    assert sheet.title == "批量代发"
    rows = list(sheet.values)
    assert rows[0] == ("户名", "账号", "金额", "开户行", "备注")
    assert rows[1][1:4] == ("6222021001123456", 3000, "工商银行某某支行")
    assert rows[2][1] in (None, "")
    # HQ changes the bank's layout in the admin site: the workbook follows.
    layout = BankLayout.objects.get()
    layout.sheet_title = "代发工资"
    layout.save()
    layout.columns.filter(field="bank").delete()
    layout.columns.create(field="sequence", header="序号", sort_order=0)
    sheet = workbook(client.get(reverse("funds:batch_workbook", args=[bank_batch.pk]))).active
    assert sheet.title == "代发工资"
    assert next(sheet.values) == ("序号", "户名", "账号", "金额", "备注")


def test_the_signature_sheet(cash_batch, org, login):
    response = login(workshop_user(org.a)).get(reverse("funds:batch_sheet", args=[cash_batch.pk]))
    assert no_store(response)
    page = response.content.decode()
    for text in (
        cash_batch.title,
        cash_batch.number,
        "本级经费",
        org.members["A1"][0].name,
        "¥1,200.00",
        "壹仟贰佰元整",
        org.a.name,
    ):
        assert text in page
    assert page.count('<td class="sign"></td>') == 2


def test_workshop_uploads_the_signed_sheet_and_the_batch_closes(cash_batch, org, login):
    client = login(workshop_user(org.a))
    url = reverse("funds:batch_upload_sheet", args=[cash_batch.pk])
    response = client.post(
        url,
        {
            "version": cash_batch.version,
            "paid_on": TODAY.isoformat(),
            "uploaded": files.pdf("签领表.pdf"),
        },
    )
    assert response.status_code == 302
    cash_batch.refresh_from_db()
    assert not cash_batch.is_open and cash_batch.signed_sheet_mime == "application/pdf"
    response = client.get(reverse("funds:signed_sheet", args=[cash_batch.pk]))
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert no_store(response)
    # Closed: no more forms.
    page = client.get(reverse("funds:batch_detail", args=[cash_batch.pk])).content.decode()
    assert 'id="upload-sheet"' not in page


def test_a_wrong_file_is_refused_next_to_the_field(cash_batch, org, login):
    response = login(workshop_user(org.a)).post(
        reverse("funds:batch_upload_sheet", args=[cash_batch.pk]),
        {
            "version": cash_batch.version,
            "paid_on": TODAY.isoformat(),
            "uploaded": files.html_named_pdf(),
        },
    )
    assert response.status_code == 200
    assert "uploaded" in response.context["upload_form"].errors
    cash_batch.refresh_from_db()
    assert cash_batch.is_open


def test_hq_closes_a_bank_batch_with_the_reference(bank_batch, welfare_hq, login):
    client = login(welfare_hq)
    url = reverse("funds:batch_close_transfer", args=[bank_batch.pk])
    response = client.post(url, {"version": bank_batch.version, "paid_on": TODAY.isoformat()})
    assert "bank_reference" in response.context["close_form"].errors
    response = client.post(
        url,
        {"version": bank_batch.version, "paid_on": TODAY.isoformat(), "bank_reference": "HX0042"},
    )
    assert response.status_code == 302
    bank_batch.refresh_from_db()
    assert (bank_batch.status, bank_batch.bank_reference) == ("closed", "HX0042")


def test_statement_and_its_workbook_agree(cash_batch, bank_batch, org, welfare_hq, login):
    services.batch_close_by_transfer(
        by=welfare_hq,
        batch=bank_batch,
        version=bank_batch.version,
        paid_on=TODAY,
        bank_reference="HX1",
    )
    client = login(welfare_hq)
    response = client.get(reverse("funds:statement"), {"year": YEAR})
    assert no_store(response)
    page = response.content.decode()
    # 本级经费: budget 10,000; paid 4,500.50 (bank); promised 1,200 (cash); left 4,299.50
    for figure in ("¥10,000.00", "¥4,500.50", "¥1,200.00", "¥4,299.50"):
        assert figure in page
    response = client.get(reverse("funds:statement_export"), {"year": YEAR})
    assert no_store(response)
    book = workbook(response)
    funds, items = book.worksheets
    row = next(r for r in funds.values if r[0] == "本级经费")
    assert [Decimal(str(v)) for v in row[1:]] == [
        Decimal("10000"),
        Decimal("0"),
        Decimal("4500.5"),
        Decimal("1200"),
        Decimal("4299.5"),
    ]
    item_rows = list(items.values)[1:]
    assert item_rows[-1][3] == 4500.5 == sum(r[3] for r in item_rows[:-1])


def test_account_page_masks_the_number(org, welfare_hq, login):
    member = org.members["A1"][0]
    client = login(workshop_user(org.a))
    url = reverse("funds:account", args=[member.pk])
    response = client.post(
        url, {"account_name": member.name, "account_no": "6228480012345678", "bank": "农业银行"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "**** 5678" in page and "6228480012345678" not in page
    assert login(workshop_user(org.b)).get(url).status_code == 404
    # Back to the batch page it came from, never elsewhere.
    page = client.get(url, {"next": "javascript:alert(1)"}).content.decode()
    assert "javascript:" not in page
    response = client.post(
        url,
        {
            "account_name": member.name,
            "account_no": "6228480012345678",
            "bank": "农业银行",
            "next": "//evil.example/funds/",
        },
    )
    assert response["Location"] == url
    response = client.post(
        url,
        {
            "account_name": member.name,
            "account_no": "6228480012345678",
            "bank": "农业银行",
            "next": "/funds/batches/1/",
        },
    )
    assert response["Location"] == "/funds/batches/1/"


def test_navigation_and_todo(cash_batch, org, welfare_hq, plain_hq):
    assert hooks.navigation(welfare_hq) == [("Funds and payments", "funds:overview")]
    workshop = workshop_user(org.a)
    assert hooks.navigation(workshop) == [("Funds and payments", "funds:batch_list")]
    assert hooks.navigation(plain_hq) == hooks.navigation(leader_user(org.A1)) == []
    assert [c for _w, c, _u in hooks.todo_items(workshop)] == [1]
    assert [c for _w, c, _u in hooks.todo_items(welfare_hq)] == [1]
    assert hooks.todo_items(workshop_user(org.b)) == []
    assert hooks.todo_items(plain_hq) == []


class TestQueryBudgets:
    """Every page runs the same number of queries with few rows and with many."""

    def grow(self, org, batch, add_line, count=8):
        group = org.groups["A1"]
        for member in MemberFactory.create_batch(count, group=group):
            add_line(batch, member, "10", kind="campaign", category="元旦春节送温暖")

    def test_batch_list_detail_sheet_and_statement(
        self, org, cash_batch, welfare_hq, open_batch, add_line, login
    ):
        pages = [
            reverse("funds:batch_list"),
            reverse("funds:batch_detail", args=[cash_batch.pk]),
            reverse("funds:batch_sheet", args=[cash_batch.pk]),
            reverse("funds:statement") + f"?year={YEAR}",
            reverse("funds:overview") + f"?year={YEAR}",
        ]
        # Session, user, roles (2), menu, then: the list's rows; the batch and its lines;
        # the funds, budgets, income, lines by fund and spending by item (statement);
        # with the year's income list (overview). A workshop union's batch pages ask one more.
        expected = {True: [6, 6, 6, 9, 10], False: [6, 7, 7]}
        for user in (welfare_hq, workshop_user(org.a)):
            client = login(user)
            client.get(pages[0])  # the session is warm
            allowed = [
                p for p in pages if ("statement" not in p and "year" not in p) or user == welfare_hq
            ]
            before = {page: count_queries(client, page) for page in allowed}
            self.grow(org, cash_batch, add_line)
            more = open_batch(method=Method.CASH, workshop=org.a, title=f"更多 {user.pk}")
            self.grow(org, more, add_line, 3)
            after = {page: count_queries(client, page) for page in allowed}
            assert before == after
            assert list(before.values()) == expected[user == welfare_hq]
        assert PaymentBatch.objects.count() == 3


def test_every_funds_page_and_file_is_kept_out_of_caches(
    cash_batch, bank_batch, org, welfare_hq, login
):
    client = login(welfare_hq)
    services.batch_close_by_signed_sheet(
        by=welfare_hq,
        batch=cash_batch,
        version=cash_batch.version,
        paid_on=TODAY,
        uploaded=files.png(),
    )
    urls = [
        reverse("funds:overview"),
        reverse("funds:budget_edit"),
        reverse("funds:income_create"),
        reverse("funds:batch_list"),
        reverse("funds:batch_detail", args=[bank_batch.pk]),
        reverse("funds:batch_workbook", args=[bank_batch.pk]),
        reverse("funds:batch_sheet", args=[cash_batch.pk]),
        reverse("funds:signed_sheet", args=[cash_batch.pk]),
        reverse("funds:statement"),
        reverse("funds:statement_export"),
        reverse("funds:account", args=[org.members["A1"][0].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url
    for url, data in (
        (reverse("funds:batch_open"), {}),
        (reverse("funds:batch_close_transfer", args=[bank_batch.pk]), {}),
        (reverse("funds:line_remove", args=[bank_batch.pk, bank_batch.lines.first().pk]), {}),
    ):
        assert no_store(client.post(url, data)), url


def test_reads_and_changes_of_details_reach_the_access_log(bank_batch, org, welfare_hq, login):
    """funds does not know the welfare access log; it says what was read or changed, in the
    words of `log_access`, and the log writes it down."""
    from funds import signals
    from welfare.access import log_access
    from welfare.models import AccessLog

    def receiver(sender, signal, **kwargs):
        log_access(**kwargs)

    signals.details_accessed.connect(receiver)
    try:
        member = org.members["A1"][0]
        client = login(workshop_user(org.a))
        url = reverse("funds:account", args=[member.pk])
        client.post(
            url, {"account_name": member.name, "account_no": "6228480012345678", "bank": "农业银行"}
        )
        client.get(url)
        hq = login(welfare_hq)
        hq.get(reverse("funds:batch_workbook", args=[bank_batch.pk]))
        hq.get(reverse("funds:batch_detail", args=[bank_batch.pk]))
    finally:
        signals.details_accessed.disconnect(receiver)
    rows = list(AccessLog.objects.order_by("pk").values_list("action", "target", "member"))
    assert rows == [
        ("create", _("bank account") + " **** 5678", member.pk),
        ("view", _("bank account") + " **** 5678", member.pk),
        ("export", bank_batch.number, None),
        ("view", bank_batch.number, None),
    ]
