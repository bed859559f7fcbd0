"""Two people adding lines to one fund at the same moment, each on their own database
connection: the fund's budget row is locked, so together they cannot overdraw it
(PostgreSQL; SQLite serialises every writer, so there the test is skipped)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from funds import services
from funds.models import Fund, PaymentLine
from funds.selectors import fund_balance
from tests.factories import MemberFactory, UnionGroupFactory, UserFactory, WorkshopUnionFactory
from tests.hardening.test_concurrency import postgresql_only, race  # noqa: F401

from .conftest import YEAR

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_two_lines_at_once_cannot_overdraw_a_fund():
    hq = UserFactory(role=Role.HQ, handles_welfare=True)
    group = UnionGroupFactory(workshop=WorkshopUnionFactory())
    one, two = MemberFactory.create_batch(2, group=group)
    fund = Fund.objects.get(code="mutual_aid")
    services.budget_set(by=hq, fund=fund, year=YEAR, amount=Decimal("1000"))
    # Two batches of the same fund: the lock is the fund's, not the batch's.
    first = services.batch_open(by=hq, fund=fund, method="bank", title="一", year=YEAR)
    second = services.batch_open(by=hq, fund=fund, method="cash", title="二", year=YEAR)

    def add(batch, member, reference):
        return lambda: services.batch_add_line(
            by=hq,
            batch=batch,
            member=member,
            amount=Decimal("600"),
            kind="case",
            category="职工大病互助",
            reference=reference,
        )

    results = race(
        add(first, one, "BF-1"),
        add(second, two, "BF-2"),
        hold=(services, "_locked_budget"),
    )
    winners = [r for r in results if isinstance(r, PaymentLine)]
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "¥400.00" in losers[0].message_dict["amount"][0]
    balance = fund_balance(fund=fund, year=YEAR)
    assert (balance.committed, balance.available) == (Decimal("600.00"), Decimal("400.00"))
