"""The funds' rules: balances, overdraw refused, batches closed once with their lines paid."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from accounts.scoping import CHANGE, VIEW
from funds import services, signals
from funds.models import SHEET, BankAccount, Fund, Method, PaymentBatch, PaymentLine
from funds.money import capital_yuan
from funds.selectors import fund_balance, fund_statement, spending_by_category
from tests.factories import leader_user, workshop_user

from .conftest import YEAR

pytestmark = pytest.mark.django_db

PAID_ON = timezone.localdate()


def png(name="sheet.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def close(batch, by):
    batch.refresh_from_db()
    return services.batch_close_by_transfer(
        by=by, batch=batch, version=batch.version, paid_on=PAID_ON, bank_reference="PB0310"
    )


def test_seeded_funds_have_the_contract_codes(db):
    assert list(Fund.objects.values_list("code", "name")) == [
        ("higher_union", "上级补助"),
        ("union_funds", "本级经费"),
        ("donations", "爱心捐款"),
        ("mutual_aid", "互助金"),
        ("assistance_fund", "帮扶资金"),
    ]


def test_balance_is_budget_plus_income_less_every_line(
    org, welfare_hq, fund, budget, open_batch, add_line
):
    services.record_income(
        by=welfare_hq,
        fund=fund,
        year=YEAR,
        received_on=date(YEAR, 1, 1),
        amount="2000",
        source="上级工会拨付",
    )
    paid = open_batch()
    add_line(paid, org.members["A1"][0], "2500")
    close(paid, welfare_hq)
    waiting = open_batch()
    add_line(waiting, org.members["A1"][1], "3000")
    add_line(waiting, org.members["B1"][0], "1500")
    # Another year and another fund do not count.
    other = services.batch_open(
        by=welfare_hq, fund=Fund.objects.get(code="donations"), method="cash", title="x"
    )
    assert other.year == YEAR

    balance = fund_balance(fund=fund, year=YEAR)
    # 10,000 + 2,000 − 4,500 promised − 2,500 paid = 5,000
    assert balance.budget == Decimal("10000.00")
    assert balance.income == Decimal("2000.00")
    assert balance.committed == Decimal("4500.00")
    assert balance.paid == Decimal("2500.00")
    assert balance.available == Decimal("5000.00")

    statement = fund_statement(year=YEAR)
    row = next(r for r in statement.funds if r.fund == fund)
    assert (row.budget, row.income, row.paid, row.committed, row.balance) == (
        Decimal("10000.00"),
        Decimal("2000.00"),
        Decimal("2500.00"),
        Decimal("4500.00"),
        Decimal("5000.00"),
    )
    assert statement.paid == Decimal("2500.00") == statement.category_total
    assert spending_by_category(year=YEAR) == [("case", "职工大病互助", 1, Decimal("2500.00"))]
    assert spending_by_category(year=YEAR - 1) == []


def test_a_line_that_would_overdraw_is_refused_with_the_balance(
    org, fund, budget, open_batch, add_line
):
    batch = open_batch()
    add_line(batch, org.members["A1"][0], "6000")
    with pytest.raises(ValidationError) as refused:
        add_line(batch, org.members["A1"][1], "4000.01")
    assert refused.value.message_dict["amount"] == [
        f"本级经费 has a balance of ¥4,000.00 for {YEAR}, not enough to pay ¥4,000.01."
    ]
    assert batch.lines.count() == 1
    # The last yuan exactly is fine.
    add_line(batch, org.members["A1"][1], "4000.00")
    assert fund_balance(fund=fund, year=YEAR).available == Decimal("0.00")


def test_a_fund_without_a_budget_pays_nothing(org, open_batch, add_line):
    batch = open_batch()
    with pytest.raises(ValidationError) as refused:
        add_line(batch, org.members["A1"][0], "1")
    assert "¥0.00" in refused.value.message_dict["amount"][0]


def test_budget_cannot_go_below_what_the_batches_hold(
    org, welfare_hq, fund, budget, open_batch, add_line
):
    add_line(open_batch(), org.members["A1"][0], "6000")
    with pytest.raises(ValidationError) as refused:
        services.budget_set(by=welfare_hq, fund=fund, year=YEAR, amount="5999")
    assert "¥6,000.00" in refused.value.message_dict["amount"][0]
    services.budget_set(by=welfare_hq, fund=fund, year=YEAR, amount="6000")


def test_closing_a_batch_sends_lines_paid(org, welfare_hq, budget, open_batch, add_line):
    batch = open_batch()
    first = add_line(batch, org.members["A1"][0], "1000")
    second = add_line(batch, org.members["B1"][0], "200")
    heard = []

    def receiver(sender, **kwargs):
        heard.append((sender, kwargs))

    signals.lines_paid.connect(receiver)
    try:
        close(batch, welfare_hq)
    finally:
        signals.lines_paid.disconnect(receiver)
    assert len(heard) == 1
    sender, sent = heard[0]
    assert sender is PaymentBatch
    assert sent["batch"].pk == batch.pk
    assert [line.pk for line in sent["lines"]] == [first.pk, second.pk]
    assert sent["paid_on"] == PAID_ON
    assert sent["by"] == welfare_hq
    batch.refresh_from_db()
    assert (batch.status, batch.closed_on, batch.bank_reference) == (
        "closed",
        PAID_ON,
        "PB0310",
    )


def test_a_receiver_failing_leaves_the_batch_open(org, welfare_hq, budget, open_batch, add_line):
    batch = open_batch()
    add_line(batch, org.members["A1"][0], "1000")

    def broken(sender, **kwargs):
        raise ValidationError("案件状态不对")

    signals.lines_paid.connect(broken)
    try:
        with pytest.raises(ValidationError):
            close(batch, welfare_hq)
    finally:
        signals.lines_paid.disconnect(broken)
    batch.refresh_from_db()
    assert batch.is_open


def test_a_closed_batch_cannot_change(org, welfare_hq, budget, open_batch, add_line):
    batch = open_batch()
    line = add_line(batch, org.members["A1"][0], "1000")
    close(batch, welfare_hq)
    with pytest.raises(ValidationError, match="is closed"):
        add_line(batch, org.members["A1"][1], "10")
    with pytest.raises(ValidationError, match="is closed"):
        services.batch_remove_line(by=welfare_hq, line=line)
    with pytest.raises(ValidationError, match="is closed"):
        close(batch, welfare_hq)
    assert PaymentLine.objects.filter(batch=batch).count() == 1


def test_a_stale_version_is_refused(org, welfare_hq, budget, open_batch, add_line):
    batch = open_batch()
    seen = batch.version
    add_line(batch, org.members["A1"][0], "1000")
    with pytest.raises(services.ConcurrentChange):
        services.batch_close_by_transfer(
            by=welfare_hq, batch=batch, version=seen, paid_on=PAID_ON, bank_reference="x"
        )


def test_every_line_is_in_exactly_one_batch(org, welfare_hq, budget, open_batch, add_line):
    member = org.members["A1"][0]
    first = open_batch()
    add_line(first, member, "500", reference="BF2026-00042")
    with pytest.raises(ValidationError) as refused:
        add_line(open_batch(), member, "500", reference="BF2026-00042")
    assert first.number in refused.value.messages[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(
            batch=None, member=member, workshop=org.a, amount=1, kind="case", category="x"
        )


def test_removing_a_line_gives_its_money_back_and_says_so(
    org, welfare_hq, fund, budget, open_batch, add_line
):
    batch = open_batch()
    line = add_line(batch, org.members["A1"][0], "7000")
    heard = []
    signals.line_removed.connect(receiver := lambda sender, **kw: heard.append(kw["line"].pk))
    try:
        services.batch_remove_line(by=welfare_hq, line=line)
    finally:
        signals.line_removed.disconnect(receiver)
    assert heard == [line.pk]
    assert fund_balance(fund=fund, year=YEAR).available == Decimal("10000.00")


def test_payment_date_must_be_in_the_batch_year(org, welfare_hq, budget, open_batch, add_line):
    batch = open_batch()
    add_line(batch, org.members["A1"][0], "100")
    batch.refresh_from_db()

    def close_on(day, batch=batch):
        return services.batch_close_by_transfer(
            by=welfare_hq, batch=batch, version=batch.version, paid_on=day, bank_reference="x"
        )

    with pytest.raises(ValidationError) as refused:
        close_on(PAID_ON + timedelta(days=1))
    assert refused.value.message_dict["paid_on"] == ["The date cannot be in the future."]
    with pytest.raises(ValidationError) as refused:
        close_on(PAID_ON - timedelta(days=400))
    assert refused.value.message_dict["paid_on"] == ["The batch was opened after that date."]
    services.budget_set(by=welfare_hq, fund=batch.fund, year=YEAR - 1, amount="100")
    last_year = open_batch(year=YEAR - 1)
    add_line(last_year, org.members["A1"][1], "100")
    last_year.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        close_on(PAID_ON, batch=last_year)
    assert str(YEAR - 1) in refused.value.message_dict["paid_on"][0]


def test_cash_batch_closes_with_the_signed_sheet_by_its_workshop(org, budget, open_batch, add_line):
    batch = open_batch(method=Method.CASH, workshop=org.a)
    add_line(batch, org.members["A1"][0], "800", kind="campaign", category="元旦春节送温暖")
    batch.refresh_from_db()
    other_workshop = workshop_user(org.b)
    with pytest.raises(PermissionDenied):
        services.batch_close_by_signed_sheet(
            by=other_workshop, batch=batch, version=batch.version, paid_on=PAID_ON, uploaded=png()
        )
    # A workshop union hands out cash; bank transfers are HQ's.
    with pytest.raises(PermissionDenied):
        services.batch_close_by_transfer(
            by=workshop_user(org.a, username="ws_a2"),
            batch=batch,
            version=batch.version,
            paid_on=PAID_ON,
            bank_reference="x",
        )
    with pytest.raises(ValidationError, match="is not a member of"):
        add_line(batch, org.members["B1"][0], "100")
    bad = SimpleUploadedFile("sheet.png", b"not a picture")
    own = workshop_user(org.a)
    with pytest.raises(ValidationError) as refused:
        services.batch_close_by_signed_sheet(
            by=own, batch=batch, version=batch.version, paid_on=PAID_ON, uploaded=bad
        )
    assert "uploaded" in refused.value.message_dict
    services.batch_close_by_signed_sheet(
        by=own, batch=batch, version=batch.version, paid_on=PAID_ON, uploaded=png()
    )
    batch.refresh_from_db()
    assert not batch.is_open
    assert batch.signed_sheet_mime == "image/png"
    assert spending_by_category(year=YEAR, workshop_id=org.a.pk) == [
        ("campaign", "元旦春节送温暖", 1, Decimal("800.00"))
    ]
    assert spending_by_category(year=YEAR, workshop_id=org.b.pk) == []


def test_who_reaches_batches(org, welfare_hq, plain_hq, open_batch):
    own = open_batch(method=Method.CASH, workshop=org.a)
    central = open_batch()
    ws_a, leader, ws_b = workshop_user(org.a), leader_user(org.A1), workshop_user(org.b)
    assert set(PaymentBatch.objects.restrict(welfare_hq)) == {own, central}
    assert set(PaymentBatch.objects.restrict(ws_a)) == {own}
    assert set(PaymentBatch.objects.restrict(ws_a, SHEET)) == {own}
    assert not PaymentBatch.objects.restrict(ws_a, CHANGE).exists()
    assert not PaymentBatch.objects.restrict(ws_b).exists()
    for nobody in (plain_hq, leader):
        assert not PaymentBatch.objects.may(nobody, VIEW)
    with pytest.raises(PermissionDenied):
        services.batch_open(by=plain_hq, fund=own.fund, method="bank", title="x")


def test_lines_copy_the_bank_account_and_open_lines_follow_a_correction(
    org, welfare_hq, budget, open_batch, add_line
):
    member = org.members["A1"][0]
    services.account_save(
        by=welfare_hq,
        member=member,
        account_name=member.name,
        account_no="6222 0210 0112 3456",
        bank="工商银行",
    )
    line = add_line(open_batch(), member, "100")
    assert (line.account_no, line.bank) == ("6222021001123456", "工商银行")
    account = services.account_save(
        by=workshop_user(org.a),
        member=member,
        account_name=member.name,
        account_no="6228480012345678",
        bank="农业银行",
    )
    assert account.masked_no == "**** 5678"
    line.refresh_from_db()
    assert line.account_no == "6228480012345678"
    with pytest.raises(PermissionDenied):
        services.account_save(
            by=workshop_user(org.b),
            member=member,
            account_name="x",
            account_no="62284800123456",
            bank="x",
        )
    with pytest.raises(ValidationError):
        services.account_save(
            by=welfare_hq, member=member, account_name="x", account_no="12ab", bank="x"
        )
    assert BankAccount.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1200", "壹仟贰佰元整"),
        ("1005.50", "壹仟零伍元伍角"),
        ("10.05", "壹拾元零伍分"),
        ("0.08", "捌分"),
        ("100000", "壹拾万元整"),
        ("101000", "壹拾万壹仟元整"),
        ("10010", "壹万零壹拾元整"),
        ("1234567.89", "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
        ("0", "零元整"),
        ("100000001", "壹亿零壹元整"),
    ],
)
def test_capital_numerals(amount, words):
    assert capital_yuan(Decimal(amount)) == words


def test_the_admin_site_lists_budgets_without_changing_them(welfare_hq, budget):
    """Budgets are set on the funds page, where the fund is locked; the admin site only
    lists them."""
    from django.contrib import admin
    from django.test import RequestFactory

    from funds.models import FundBudget

    request = RequestFactory().get("/")
    request.user = welfare_hq
    model_admin = admin.site._registry[FundBudget]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, budget)
    assert not model_admin.has_delete_permission(request, budget)
