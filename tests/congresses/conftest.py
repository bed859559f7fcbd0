"""Congresses over the small organisation of tests/conftest.py (workshop unions A and B;
groups A1, A2, B1, B2; three members each):

- the enterprise's current term with six representatives (the members of A1 and B1), in
  two delegations (锅炉车间代表团, 汽机车间代表团);
- workshop union A's current term with its six members of A1 and A2 as representatives;
- a workshop congress of A planned for ten days ahead; a group meeting of A1 today.
With six expected, four present is 66.67 % (the quorum, two thirds); three is 50 %.
"""

from datetime import date, timedelta

import pytest
from django.utils import translation

from congresses import services
from congresses.models import Level
from tests.factories import leader_user, workshop_user


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def login_en(login):
    def make(user):
        client = login(user)
        client.cookies["django_language"] = "en"
        return client

    return make


@pytest.fixture
def ws_a(org):
    return workshop_user(org.a, username="ws_a")


@pytest.fixture
def ws_b(org):
    return workshop_user(org.b, username="ws_b")


@pytest.fixture
def leader_b1(org):
    return leader_user(org.B1, username="leader_b1")


def term_span():
    year = today().year
    return date(year - 1, 1, 1), date(year + 3, 12, 31)


@pytest.fixture
def enterprise_term(org, hq):
    starts, ends = term_span()
    term = services.term_create(
        by=hq, level=Level.ENTERPRISE, name="第十届", starts_on=starts, ends_on=ends
    )
    boiler = services.delegation_add(by=hq, term=term, name="锅炉车间代表团", workshop=org.a)
    turbine = services.delegation_add(by=hq, term=term, name="汽机车间代表团", workshop=org.b)
    for member in org.members["A1"]:
        services.representative_add(by=hq, term=term, member=member, delegation=boiler)
    for member in org.members["B1"]:
        services.representative_add(by=hq, term=term, member=member, delegation=turbine)
    return term


@pytest.fixture
def workshop_term(org, ws_a):
    starts, ends = term_span()
    term = services.term_create(
        by=ws_a,
        level=Level.WORKSHOP,
        workshop=org.a,
        name="第三届",
        starts_on=starts,
        ends_on=ends,
    )
    for member in org.members["A1"] + org.members["A2"]:
        services.representative_add(by=ws_a, term=term, member=member)
    return term


@pytest.fixture
def congress(org, ws_a, workshop_term):
    """Workshop union A's congress, planned ten days ahead (not declared)."""
    return services.session_create(
        by=ws_a,
        level=Level.WORKSHOP,
        workshop=org.a,
        title="锅炉车间第三届第二次职工代表大会",
        planned_on=today() + timedelta(days=10),
        agenda="一、车间工作报告\n二、审议提案",
    )


@pytest.fixture
def approved(congress, ws_a, hq):
    services.session_declare(by=ws_a, session=congress)
    services.session_approve(by=hq, session=congress)
    return congress


@pytest.fixture
def meeting(org, leader_a1):
    """A1's democratic meeting, today."""
    return services.session_create(
        by=leader_a1,
        level=Level.GROUP,
        group=org.A1,
        title="运行一班班组民主会",
        planned_on=today(),
        agenda="讨论班组奖金分配方案",
    )


def present(session, members, by):
    return services.attendance_record(by=by, session=session, present_ids=[m.pk for m in members])


@pytest.fixture
def held_meeting(meeting, org, leader_a1):
    present(meeting, org.members["A1"], leader_a1)
    return services.session_hold(by=leader_a1, session=meeting)
