"""Disclosure fixtures: the test organisation (tests/conftest.py) with the categories the
migration seeds, a login of each kind, and helpers that walk a disclosure through its
steps."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.models import Role
from disclosures import services
from disclosures.models import DisclosureCategory, Level
from tests import files
from tests.factories import UserFactory, leader_user, member_user, workshop_user


@pytest.fixture(autouse=True)
def english():
    """The messages in English (the msgids), whatever the catalogue holds: the tests
    assert what a refusal says."""
    with translation.override("en"):
        yield


@pytest.fixture
def login(login):
    """login(user) with the pages in English."""

    def make(user):
        client = login(user)
        client.cookies["django_language"] = "en"
        return client

    return make


@pytest.fixture
def category(db):
    return DisclosureCategory.objects.get(code="bonus")


@pytest.fixture
def people(org):
    """HQ (two persons), the workshop unions A and B, the leaders of A1 and B1, and the
    logins of a member of A1, A2 and B1."""
    return {
        "hq": UserFactory(role=Role.HQ, name="王干事"),
        "hq2": UserFactory(role=Role.HQ, name="李干事"),
        "ws_a": workshop_user(org.a),
        "ws_b": workshop_user(org.b),
        "leader_a1": leader_user(org.A1),
        "leader_b1": leader_user(org.B1),
        "member_a1": member_user(org.members["A1"][0]),
        "member_a2": member_user(org.members["A2"][0]),
        "member_b1": member_user(org.members["B1"][0]),
    }


def today():
    return timezone.localdate()


def propose(by, category, level=Level.GROUP, *, group=None, workshop=None, title="三季度奖金分配"):
    return services.disclosure_propose(
        by=by,
        level=level,
        category=category,
        title=title,
        content="按岗位系数分配三季度安全奖。",
        planned_where="班组公开栏",
        planned_days=7,
        workshop=workshop,
        group=group,
    )


def reviewed(disclosure, by):
    return services.disclosure_review(by=by, disclosure=disclosure, approve=True, note="同意公开")


def posted(disclosure, by, *, start=None, days=7):
    start = start or today()
    return services.disclosure_post(
        by=by,
        disclosure=disclosure,
        posted_on=start,
        posted_until=start + timedelta(days=days - 1),
        posted_where="班组公开栏",
        photo=files.jpeg("notice.jpg"),
    )


@pytest.fixture
def group_posted(org, people, category):
    """A1's 班务公开, proposed by its leader, reviewed by workshop union A, posted today."""
    d = propose(people["leader_a1"], category, group=org.A1)
    d = reviewed(d, people["ws_a"])
    return posted(d, people["leader_a1"])
