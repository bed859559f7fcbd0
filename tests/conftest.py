"""Fixtures shared by the suite: a small organisation and a login for every role.

The organisation: workshop unions A and B, each with groups 1 and 2 (A1, A2, B1, B2),
three active members in each group.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from accounts.models import Role

from .factories import (
    MemberFactory,
    UnionGroupFactory,
    UserFactory,
    WorkshopUnionFactory,
    leader_user,
    workshop_user,
)


@pytest.fixture
def org(db):
    a = WorkshopUnionFactory(name="锅炉车间", code="A")
    b = WorkshopUnionFactory(name="汽机车间", code="B")
    groups = {
        "A1": UnionGroupFactory(workshop=a, name="运行一班", code="A1"),
        "A2": UnionGroupFactory(workshop=a, name="检修班", code="A2"),
        "B1": UnionGroupFactory(workshop=b, name="运行甲班", code="B1"),
        "B2": UnionGroupFactory(workshop=b, name="点检班", code="B2"),
    }
    members = {key: MemberFactory.create_batch(3, group=group) for key, group in groups.items()}
    return SimpleNamespace(a=a, b=b, groups=groups, members=members, **groups)


@pytest.fixture
def hq(db):
    return UserFactory(role=Role.HQ, username="hq")


@pytest.fixture
def workshop_a(org):
    return workshop_user(org.a, username="ws_a")


@pytest.fixture
def leader_a1(org):
    return leader_user(org.A1, username="leader_a1")


@pytest.fixture
def evaluator(db):
    return UserFactory(role=Role.EVALUATOR, username="evaluator")


@pytest.fixture
def login():
    """login(user) -> a test client with that user logged in."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
