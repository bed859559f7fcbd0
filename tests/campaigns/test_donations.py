"""爱心捐款: donations are the donations fund's income; the public account shows the
donors (anonymous ones unnamed) and counts the members helped without naming them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from campaigns import selectors, services
from campaigns.models import DonationGrant
from funds import services as funds
from funds.models import Fund, FundIncome
from tests.factories import UserFactory
from welfare.models import AccessLog


@pytest.fixture
def drive(welfare_hq):
    today = timezone.localdate()
    return services.drive_create(
        by=welfare_hq,
        title="冬季爱心捐款",
        starts_on=today.replace(day=1),
        ends_on=today,
        fund=Fund.objects.get(code="donations"),
    )


@pytest.fixture
def gifts(drive, welfare_hq, org):
    today = timezone.localdate()
    m = org.members
    services.donation_record(
        by=welfare_hq,
        drive=drive,
        member=m["A1"][0],
        amount="200",
        received_on=today,
        receipt_no="001",
    )
    services.donation_record(
        by=welfare_hq, drive=drive, member=m["A1"][0], amount="100", received_on=today
    )
    services.donation_record(
        by=welfare_hq,
        drive=drive,
        member=m["B1"][0],
        amount="500",
        received_on=today,
        anonymous=True,
    )
    services.donation_record(
        by=welfare_hq, drive=drive, unit="机关党支部", amount="3000", received_on=today
    )
    services.grant_add(
        by=welfare_hq, drive=drive, member=m["A2"][0], amount="1200", reason="妻子重病住院"
    )
    return m


def test_each_donation_is_income_of_the_donations_fund(drive, gifts):
    incomes = FundIncome.objects.filter(fund__code="donations")
    assert sum(i.amount for i in incomes) == Decimal("3800.00")
    assert incomes.count() == 4
    assert all("冬季爱心捐款" in i.source for i in incomes)


def test_a_donation_names_a_member_or_a_unit(drive, welfare_hq, org):
    with pytest.raises(ValidationError):
        services.donation_record(
            by=welfare_hq, drive=drive, amount="10", received_on=timezone.localdate()
        )
    with pytest.raises(ValidationError):
        services.donation_record(
            by=welfare_hq,
            drive=drive,
            member=org.members["A1"][0],
            unit="某单位",
            amount="10",
            received_on=timezone.localdate(),
        )


def test_the_public_account_totals_and_balance(drive, gifts, welfare_hq):
    account = selectors.drive_account(drive=drive)
    assert (account.received, account.donor_count) == (Decimal("3800.00"), 3)
    assert (account.given, account.recipient_count, account.committed) == (0, 0, Decimal("1200.00"))
    batch = services.grants_pay(by=welfare_hq, drive=drive, method="bank")
    line = batch.lines.get()
    assert (line.kind, line.amount) == ("donation", Decimal("1200.00"))
    batch.refresh_from_db()
    funds.batch_close_by_transfer(
        by=welfare_hq,
        batch=batch,
        version=batch.version,
        paid_on=timezone.localdate(),
        bank_reference="ZH001",
    )
    assert DonationGrant.objects.get().paid_on == timezone.localdate()
    account = selectors.drive_account(drive=drive)
    assert (account.given, account.recipient_count, account.balance) == (
        Decimal("1200.00"),
        1,
        Decimal("2600.00"),
    )


def test_every_login_reads_the_public_account_without_the_recipients_names(
    drive, gifts, login, welfare_hq
):
    services.grants_pay(by=welfare_hq, drive=drive)
    reader = UserFactory(role=Role.EVALUATOR)
    body = login(reader).get(f"/donations/{drive.pk}/account/").content.decode()
    assert gifts["A1"][0].name in body and "机关党支部" in body
    assert gifts["B1"][0].name not in body  # asked to be anonymous
    assert gifts["A2"][0].name not in body  # a recipient is counted, not named
    assert "¥3,800.00" in body
    assert login(reader).get(f"/donations/{drive.pk}/").status_code == 403


def test_the_recipients_page_is_for_hq_welfare_staff_and_logged(drive, gifts, login, welfare_hq):
    body = login(welfare_hq).get(f"/donations/{drive.pk}/").content.decode()
    assert gifts["A2"][0].name in body and "妻子重病住院" in body
    assert AccessLog.objects.filter(user=welfare_hq, target=f"drive-{drive.pk}").count() == 1
