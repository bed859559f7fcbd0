"""Dues fixtures: the test organisation (see tests/conftest.py) with base pay for a month."""

from datetime import date
from decimal import Decimal

import pytest

from dues.models import BasePay, DuesRule

OCTOBER = date(2026, 10, 1)
NOVEMBER = date(2026, 11, 1)


def pay(member, month, amount) -> BasePay:
    return BasePay.objects.update_or_create(
        member=member, month=month, defaults={"amount": Decimal(amount)}
    )[0]


@pytest.fixture
def rule(db):
    """The default rule the migration puts in place: 0.5 %, to the fen, since 2000."""
    return DuesRule.objects.get(starts_on=date(2000, 1, 1))


@pytest.fixture
def payroll(org, rule):
    """Every member of the organisation has base pay for October: 6,850.00 for the first of
    each group, 5,000.00 for the others."""
    for members in org.members.values():
        for index, member in enumerate(members):
            pay(member, OCTOBER, "6850.00" if index == 0 else "5000.00")
    return OCTOBER
