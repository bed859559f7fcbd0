"""合理化建议 over the small organisation of tests/conftest.py (workshop unions A and B;
groups A1, A2, B1, B2; three members each): the workshop unions' logins, the leaders of A1
and B1, and the own login of A1's first member."""

import pytest
from django.utils import timezone

from tests.factories import leader_user, member_user, workshop_user


@pytest.fixture
def ws_a(org):
    return workshop_user(org.a, username="ws_a")


@pytest.fixture
def ws_b(org):
    return workshop_user(org.b, username="ws_b")


@pytest.fixture
def leader_b1(org):
    return leader_user(org.B1, username="leader_b1")


@pytest.fixture
def member_a(org):
    """A1's first member, whose own login is activated."""
    return org.members["A1"][0]


@pytest.fixture
def member_login(member_a):
    return member_user(member_a, username="member_a")


def today():
    return timezone.localdate()


def file(by, member, title="皮带机头加装清扫器", **kwargs):
    from improvements import services

    kwargs.setdefault("problem", "回程带粘煤严重")
    kwargs.setdefault("proposal", "加装聚氨酯清扫器")
    return services.improvement_file(by=by, member=member, title=title, **kwargs)
