"""Welfare fixtures: HQ welfare staff, HQ staff without the welfare flag, and a case maker."""

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.models import Role
from tests.factories import UserFactory
from tests.welfare.helpers import STAY
from welfare import services
from welfare.models import CaseType


@pytest.fixture
def welfare_hq(db):
    return UserFactory(role=Role.HQ, handles_welfare=True, username="welfare_hq")


@pytest.fixture
def plain_hq(db):
    """HQ staff who do not handle welfare: they see that cases exist, not their details."""
    return UserFactory(role=Role.HQ, handles_welfare=False, username="plain_hq")


@pytest.fixture
def illness():
    return CaseType.objects.get(code="serious_illness")


@pytest.fixture
def file_case(illness):
    def make(by, member, amount="8000", case_type=None, **extra):
        case_type = case_type or illness
        if case_type.needs_medical_bills:
            extra.setdefault("bills", [STAY])
        return services.case_create(
            by=by,
            member=member,
            case_type=case_type,
            reason="住院手术，自付费用高",
            situation="配偶无业",
            amount_requested=Decimal(amount),
            **extra,
        )

    return make


@pytest.fixture
def english():
    """Messages in English (the msgids), whatever the catalogue holds."""
    with translation.override("en"):
        yield


@pytest.fixture
def login_en(login):
    """login(user) with the pages in English."""

    def make(user):
        client = login(user)
        client.cookies["django_language"] = "en"
        return client

    return make
