import random
from datetime import date
from decimal import Decimal

import pytest

from funds.demo import seed
from funds.models import BankAccount, FundBudget
from unionhome.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_budgets_and_accounts(org):
    context = DemoContext(size="demo", rng=random.Random(1), today=date(2026, 11, 25), log=print)
    seed(context)
    budgets = {(b.fund.code, b.year): b.amount for b in FundBudget.objects.select_related("fund")}
    assert budgets[("higher_union", 2026)] == Decimal("200000")
    assert budgets[("union_funds", 2025)] == Decimal("150000")
    assert budgets[("assistance_fund", 2026)] == Decimal("0")
    assert len(budgets) == 10
    accounts = list(BankAccount.objects.all())
    assert len(accounts) == 12
    for account in accounts:
        account.full_clean()
    seed(context)  # a second run adds nothing
    assert FundBudget.objects.count() == 10
