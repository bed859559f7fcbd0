"""Funds fixtures: HQ welfare staff, a fund with a budget, a batch maker."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from funds import services
from funds.models import Fund, Method
from tests.factories import UserFactory

YEAR = timezone.localdate().year


@pytest.fixture
def welfare_hq(db):
    return UserFactory(role=Role.HQ, handles_welfare=True, username="funds_hq")


@pytest.fixture
def plain_hq(db):
    return UserFactory(role=Role.HQ, handles_welfare=False, username="plain_hq")


@pytest.fixture
def fund(db):
    return Fund.objects.get(code="union_funds")


@pytest.fixture
def budget(fund, welfare_hq):
    """本级经费 this year: a budget of ¥10,000."""
    return services.budget_set(by=welfare_hq, fund=fund, year=YEAR, amount=Decimal("10000"))


@pytest.fixture
def open_batch(welfare_hq, fund):
    def make(method=Method.BANK, workshop=None, year=YEAR, title="大病互助第一批"):
        return services.batch_open(
            by=welfare_hq, fund=fund, method=method, title=title, workshop=workshop, year=year
        )

    return make


@pytest.fixture
def add_line(welfare_hq):
    counter = iter(range(1, 10_000))

    def make(batch, member, amount, reference=None, kind="case", category="职工大病互助"):
        return services.batch_add_line(
            by=welfare_hq,
            batch=batch,
            member=member,
            amount=Decimal(amount),
            kind=kind,
            category=category,
            reference=reference or f"BF{YEAR}-{next(counter):05d}",
        )

    return make


@pytest.fixture(autouse=True)
def only_funds_listening():
    """The funds rules are tested on their own: the receivers other apps connect (welfare
    cases, campaigns) are tested in those apps."""
    from funds import signals

    saved = {s: (s.receivers[:], s.sender_receivers_cache.copy()) for s in signals.ALL}
    for each in signals.ALL:
        each.receivers = []
        each.sender_receivers_cache.clear()
    yield
    for each, (receivers, _cache) in saved.items():
        each.receivers = receivers
        each.sender_receivers_cache.clear()


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked as written in the source (the catalogue may translate them)."""
    from django.utils import translation

    with translation.override("en"):
        yield
