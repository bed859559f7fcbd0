"""Random query strings on every list and export page, for every kind of user: the answer
is a page, a refusal or a redirect, never a server error (a month of year 9999, an id too
long for the database, "²" as a number …)."""

from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from scoring import services as scoring
from scoring.models import AssessmentPeriod
from tests.factories import UserFactory, leader_user, publish, workshop_user

LISTS = [
    "/",
    "/org/",
    "/members/",
    "/members/export.xlsx",
    "/activities/",
    "/activities/deleted/",
    "/activities/participation/",
    "/activities/calendar/{A1}/",
    "/reports/",
    "/reports/overdue/",
    "/reports/review/",
    "/reports/export.xlsx",
    "/welfare/cases/",
    "/welfare/cases/export.xlsx",
    "/welfare/archive/",
    "/welfare/archive/export.xlsx",
    "/welfare/access-log/",
    "/assessment/",
    "/assessment/{period}/ranking/",
    "/assessment/{period}/ranking.xlsx",
    "/homes/",
    "/homes/groups/",
    "/homes/plans/",
    "/homes/declarations/",
    "/homes/notices/",
    "/todo/",
    "/summary/",
]
KEYS = [
    "month",
    "year",
    "workshop",
    "group",
    "member",
    "user",
    "status",
    "level",
    "page",
    "q",
    "area",
    "kind",
    "start",
    "end",
    "version",
    "stage",
    "flag",
    "type",
    "sort",
]
ODD = [
    "9999-12",
    "0000-00",
    "2026-13",
    "-1",
    "0",
    "99999999999999999999999",
    "²",
    "１２",
    "2026-02-30",
    "",
    " ",
    "'",
    "%00",
    "\x00",
    "null",
    "1e9",
    "NaN",
    "2026年1月",
    "１",
]
values = st.one_of(st.sampled_from(ODD), st.text(max_size=12), st.integers().map(str))
queries = st.dictionaries(st.sampled_from(KEYS), values, max_size=4)


@pytest.fixture
def world(org, hq):
    period = AssessmentPeriod.objects.create(
        name="2026年第一季度", start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    scoring.score_compute(period=period, by=hq)
    publish(period, hq)
    return {
        "users": [
            hq,
            UserFactory(role=Role.HQ, handles_welfare=True),
            workshop_user(org.a),
            leader_user(org.A1),
            UserFactory(role=Role.EVALUATOR),
        ],
        "names": {"A1": org.A1.pk, "period": period.pk},
    }


@pytest.mark.parametrize("path", LISTS)
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=queries)
@example(query={"month": "9999-12"})
@example(query={"workshop": "99999999999999999999999", "group": "99999999999999999999999"})
@example(query={"year": "0", "member": "99999999999999999999999", "user": "²"})
@example(query={"member": "9223372036854775808"})
def test_no_query_string_gives_a_server_error(world, login, path, query):
    url = path.format(**world["names"])
    for user in world["users"]:
        client = login(user)
        client.raise_request_exception = False
        response = client.get(url, query)
        assert response.status_code < 500, (user.username, url, query)
