"""民主管理: the section's page, the star table read from the apps' figures, and HQ's
confirmation of a year that has ended."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from congresses import services as congresses
from congresses.models import Level
from democracy import services
from democracy.models import StarRating
from groups.models import WorkshopUnion
from tests.factories import (
    UnionGroupFactory,
    WorkshopUnionFactory,
    leader_user,
    member_user,
    workshop_user,
)

pytestmark = pytest.mark.django_db


def this_year() -> int:
    return timezone.localdate().year


def hold(session, by, members):
    congresses.attendance_record(by=by, session=session, present_ids=[m.pk for m in members])
    return congresses.session_hold(by=by, session=session)


def congress_today(org, ws_a, hq):
    session = congresses.session_create(
        by=ws_a,
        level=Level.WORKSHOP,
        workshop=org.a,
        title="锅炉车间第三届第一次职工代表大会",
        planned_on=timezone.localdate(),
        agenda="一、车间工作报告",
    )
    congresses.session_declare(by=ws_a, session=session)
    return congresses.session_approve(by=hq, session=session)


def test_a_held_congress_counts_on_its_workshop_unions_row(login, hq, org, workshop_term, ws_a):
    hold(congress_today(org, ws_a, hq), ws_a, org.members["A1"] + org.members["A2"])
    page = login(hq).get("/democracy/")
    assert page.status_code == 200
    rows = {row.workshop.code: row for row in page.context["rows"]}
    assert (rows["A"].sessions_held, rows["A"].sessions_target) == (1, 2)
    assert rows["B"].sessions_held == 0
    # One congress of the two a year the default levels ask for: one star at most.
    assert rows["A"].stars <= 1 and rows["B"].stars == 0
    assert "锅炉车间" in page.content.decode()


def test_each_reads_the_rows_of_their_own_part(login, org):
    ws_b = workshop_user(org.b, username="ws_b_overview")
    rows = login(ws_b).get("/democracy/").context["rows"]
    assert [row.workshop.code for row in rows] == ["B"]
    leader_rows = login(leader_user(org.A1, username="l_a1")).get("/democracy/").context["rows"]
    assert [row.workshop.code for row in leader_rows] == ["A"]


def test_a_members_login_opens_the_section_without_the_star_table(login, org):
    page = login(member_user(org.members["A1"][0])).get("/democracy/")
    assert page.status_code == 200
    assert page.context["sees_stars"] is False
    urls = [section.url for section in page.context["sections"]]
    assert "/improvements/" in urls
    assert 'id="stars"' not in page.content.decode()


def test_the_page_runs_the_same_queries_for_two_and_six_workshop_unions(
    login, hq, org, django_assert_num_queries
):
    client = login(hq)
    client.get("/democracy/")  # the session and the user's roles, read once per request
    with django_assert_num_queries(_count(client)):
        client.get("/democracy/")
    for index in range(4):
        workshop = WorkshopUnionFactory(name=f"第{index}车间", code=f"W{index}")
        UnionGroupFactory(workshop=workshop, name="运行班", code=f"W{index}G")
    assert WorkshopUnion.objects.count() == 6
    with django_assert_num_queries(_count(client)):
        assert len(client.get("/democracy/").context["rows"]) == 6


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get("/democracy/")
    return len(queries)


def test_hq_confirms_a_year_that_has_ended_once(login, hq, org):
    last = this_year() - 1
    with pytest.raises(ValidationError):
        services.star_ratings_confirm(year=this_year(), by=hq)
    ratings = services.star_ratings_confirm(year=last, by=hq)
    assert sorted(r.workshop.code for r in ratings) == ["A", "B"]
    assert all(r.confirmed_by == hq for r in ratings)
    with pytest.raises(ValidationError) as again:
        services.star_ratings_confirm(year=last, by=hq)
    assert str(last) in " ".join(again.value.messages)
    page = login(hq).get(f"/democracy/?year={last}")
    assert page.context["confirmed"] is True and page.context["can_confirm"] is False


def test_only_hq_confirms(login, org, hq):
    ws = workshop_user(org.a, username="ws_a_confirm")
    with pytest.raises(PermissionDenied):
        services.star_ratings_confirm(year=this_year() - 1, by=ws)
    assert login(ws).post(f"/democracy/{this_year() - 1}/confirm/").status_code == 403
    assert not StarRating.objects.exists()
    response = login(hq).post(f"/democracy/{this_year() - 1}/confirm/")
    assert response.status_code == 302
    assert StarRating.objects.count() == 2


def test_a_confirmed_rating_keeps_its_figures(login, hq, org):
    """What HQ confirmed stays, whatever is recorded afterwards (a late entry of a past
    year's congress would change the live figures)."""
    last = this_year() - 1
    services.star_ratings_confirm(year=last, by=hq)
    StarRating.objects.filter(workshop=org.a, year=last).update(sessions_held=2, stars=2)
    page = login(hq).get(f"/democracy/?year={last}").content.decode()
    assert "★★☆☆☆" in page


def test_a_year_out_of_any_record_is_not_found(login, hq, org):
    assert login(hq).post("/democracy/99999/confirm/").status_code == 404
    with pytest.raises(ValidationError):
        services.star_ratings_confirm(year=1, by=hq)
