"""Fixtures shared by the suite: a small organisation and a login for every role.

The organisation: workshop unions A and B, each with groups 1 and 2 (A1, A2, B1, B2),
three active members in each group.
"""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
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


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache. Its writes are rolled back, never committed,
    so the dashboard's figures token (renewed on commit) cannot tell one test's data from
    the next test's."""
    cache.clear()
    yield
    cache.clear()


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


# The data migrations that put reference data in place (content areas, record kinds,
# assistance types, assessment criteria). A test that commits (a browser test against the
# live server, a test across database connections) empties every table when it ends, so
# such a test puts that data back first.
REFERENCE_DATA = [
    ("activities.migrations.0002_seed_areas_and_kinds", "create"),
    ("welfare.migrations.0002_case_types_and_append_only_log", "create_types"),
    ("scoring.migrations.0002_default_criteria", "create"),
    ("homes.migrations.0003_default_checklist", "create"),
]


@pytest.fixture
def reference_data(transactional_db):
    import importlib

    from django.apps import apps

    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)
