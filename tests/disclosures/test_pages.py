"""The disclosure pages: each step through its form, who sees what, the author's name kept
from everybody but HQ, printables, the query budget of the list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from disclosures import services
from disclosures.models import (
    Disclosure,
    DisclosureSettings,
    Feedback,
    IdentityLook,
    Level,
    Status,
)
from rectifications.models import Rectification
from tests import files
from tests.factories import leader_user, member_user

from .conftest import posted, propose, reviewed, today

pytestmark = pytest.mark.django_db


def test_the_whole_way_through_the_pages(org, people, category, login):
    leader, ws, member = (login(people[k]) for k in ("leader_a1", "ws_a", "member_a1"))
    page = leader.get("/disclosures/new/")
    assert page.status_code == 200
    place = f"g{org.A1.pk}"
    assert place in page.content.decode()
    response = leader.post(
        "/disclosures/new/",
        {
            "place": place,
            "category": category.pk,
            "title": "十月考勤",
            "content": "全班十月出勤情况。",
            "planned_where": "班组公开栏",
            "planned_days": 7,
        },
    )
    d = Disclosure.objects.get()
    assert response.status_code == 302 and d.status == Status.PROPOSED
    assert ws.post(f"/disclosures/{d.pk}/review/", {"decision": "return"}).status_code == 200
    d.refresh_from_db()
    assert d.status == Status.PROPOSED  # a return without a note is refused on the form
    ws.post(f"/disclosures/{d.pk}/review/", {"decision": "approve", "note": "同意"})
    d.refresh_from_db()
    assert d.status == Status.REVIEWED
    response = leader.post(
        f"/disclosures/{d.pk}/post/",
        {
            "posted_on": today().isoformat(),
            "posted_until": (today() + timedelta(days=6)).isoformat(),
            "posted_where": "班组公开栏",
            "photo": files.jpeg(),
        },
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.POSTED
    assert leader.get(f"/disclosures/{d.pk}/photo?size=thumb").status_code == 200
    board = member.get("/disclosures/board/").content.decode()
    assert "十月考勤" in board
    response = member.post(f"/disclosures/{d.pk}/feedback/new/", {"text": "病假天数有误"})
    assert response.status_code == 302
    fb = Feedback.objects.get()
    assert "病假天数有误" in member.get("/disclosures/board/").content.decode()
    leader.post(f"/disclosures/feedback/{fb.pk}/answer/", {"answer": "已更正"})
    fb.refresh_from_db()
    assert fb.answer == "已更正"
    response = leader.post(
        f"/disclosures/feedback/{fb.pk}/rectify/",
        {
            "title": "考勤复核",
            "owner_department": "班组考勤员",
            "due_on": (today() + timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Rectification.objects.get().source == fb
    Disclosure.objects.filter(pk=d.pk).update(posted_until=today())
    leader.post(f"/disclosures/{d.pk}/supervision/end/")
    leader.post(f"/disclosures/{d.pk}/close/")
    d.refresh_from_db()
    assert d.status == Status.RECTIFIED
    body = leader.get(f"/disclosures/{d.pk}/").content.decode()
    assert "考勤复核" in body and 'id="step-rectify"' in body


def test_closing_with_unanswered_feedback_says_why(org, people, group_posted, login):
    services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    Disclosure.objects.filter(pk=group_posted.pk).update(posted_until=today())
    leader = login(people["leader_a1"])
    leader.post(f"/disclosures/{group_posted.pk}/supervision/end/")
    response = leader.post(f"/disclosures/{group_posted.pk}/close/", follow=True)
    assert "not answered" in response.content.decode()
    group_posted.refresh_from_db()
    assert group_posted.status == Status.SUPERVISED


def test_the_authors_name_is_never_on_a_workshop_unions_page_or_export(
    org, people, group_posted, login
):
    author = org.members["A1"][0]
    services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="奖金系数偏低")
    ws = login(people["ws_a"])
    for url in (
        f"/disclosures/{group_posted.pk}/",
        "/disclosures/",
        "/disclosures/export.xlsx",
        f"/disclosures/feedback/{Feedback.objects.get().pk}/print/",
    ):
        response = ws.get(url)
        assert response.status_code == 200, url
        assert author.name.encode() not in response.content, url
        assert author.employee_no.encode() not in response.content, url
    assert "奖金系数偏低" in ws.get(f"/disclosures/{group_posted.pk}/").content.decode()
    fb = Feedback.objects.get()
    assert ws.get(f"/disclosures/feedback/{fb.pk}/identity/").status_code == 403
    assert not IdentityLook.objects.exists()


def test_hq_sees_the_author_through_a_logged_look(org, people, group_posted, login):
    services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    fb = Feedback.objects.get()
    hq = login(people["hq"])
    assert (
        org.members["A1"][0].name not in hq.get(f"/disclosures/{group_posted.pk}/").content.decode()
    )
    response = hq.get(f"/disclosures/feedback/{fb.pk}/identity/")
    assert org.members["A1"][0].name in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert IdentityLook.objects.get().user == people["hq"]


def test_a_member_sees_posted_disclosures_of_their_audience_only(org, people, category, login):
    group_a1 = propose(people["leader_a1"], category, group=org.A1, title="A1考勤")
    leader_a2 = leader_user(org.A2)
    group_a2 = posted(
        reviewed(propose(leader_a2, category, group=org.A2, title="A2奖金"), people["ws_a"]),
        leader_a2,
    )
    workshop_b = posted(
        reviewed(
            propose(people["ws_b"], category, Level.WORKSHOP, workshop=org.b, title="B车间费用"),
            people["hq"],
        ),
        people["ws_b"],
    )
    workshop_a = posted(
        reviewed(
            propose(people["ws_a"], category, Level.WORKSHOP, workshop=org.a, title="A车间劳保"),
            people["hq"],
        ),
        people["ws_a"],
    )
    member = login(people["member_a1"])
    assert member.get(f"/disclosures/{group_a1.pk}/").status_code == 404  # not posted yet
    assert member.get(f"/disclosures/{workshop_b.pk}/").status_code == 404
    assert member.get(f"/disclosures/{workshop_a.pk}/").status_code == 200
    board = member.get("/disclosures/board/").content.decode()
    assert "A车间劳保" in board and "B车间费用" not in board and "A1考勤" not in board
    assert member.get("/disclosures/new/").status_code == 403
    assert member.get(f"/disclosures/{group_a2.pk}/").status_code == 404
    assert "A2奖金" not in board


def test_a_leader_records_a_paper_form_through_the_page(org, people, group_posted, login):
    leader = login(people["leader_a1"])
    page = leader.get(f"/disclosures/{group_posted.pk}/feedback/new/?paper=1")
    assert page.status_code == 200
    other = org.members["B1"][0]
    assert other.name not in page.content.decode()
    member = org.members["A1"][1]
    response = leader.post(
        f"/disclosures/{group_posted.pk}/feedback/new/",
        {"paper": "1", "member": member.pk, "text": "纸质意见"},
    )
    assert response.status_code == 302
    fb = Feedback.objects.get()
    assert fb.on_paper and fb.member == member
    assert (
        login(people["member_a1"])
        .get(f"/disclosures/{group_posted.pk}/feedback/new/?paper=1")
        .status_code
        == 403
    )


def test_the_printables(org, people, group_posted, login):
    services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    fb = Feedback.objects.get()
    services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="答复内容")
    leader = login(people["leader_a1"])
    sheet = leader.get(f"/disclosures/{group_posted.pk}/print/").content.decode()
    assert group_posted.number in sheet and "同意公开" in sheet and people["ws_a"].name in sheet
    assert (
        'id="feedback-sheet"'
        in leader.get(f"/disclosures/{group_posted.pk}/feedback/blank/").content.decode()
    )
    filled = leader.get(f"/disclosures/feedback/{fb.pk}/print/").content.decode()
    assert "答复内容" in filled and org.members["A1"][0].name not in filled


@pytest.mark.parametrize("count", [1, 5])
def test_the_list_runs_a_fixed_number_of_queries(
    count, org, people, category, login, django_assert_num_queries
):
    """Session, user, roles, the panel grants (4); the categories of the filter, count,
    rows (3); the settings of the to-do (1)."""
    for i in range(count):
        d = posted(
            reviewed(
                propose(people["leader_a1"], category, group=org.A1, title=f"第{i}项"),
                people["ws_a"],
            ),
            people["leader_a1"],
        )
        services.feedback_file(by=people["member_a1"], disclosure=d, text="x")
    client = login(people["ws_a"])
    client.get("/disclosures/")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/disclosures/?level=group")
    assert len(response.context["disclosures"]) == count


LIST_QUERIES = 8


@pytest.mark.parametrize("count", [1, 4])
def test_the_detail_runs_a_fixed_number_of_queries(
    count, org, people, group_posted, login, django_assert_num_queries
):
    for _i in range(count):
        fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
        services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="y")
    client = login(people["leader_a1"])
    client.get(f"/disclosures/{group_posted.pk}/")
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"/disclosures/{group_posted.pk}/")
    assert len(response.context["rows"]) == count


DETAIL_QUERIES = 9


def test_the_filters(org, people, category, login):
    a = posted(
        reviewed(
            propose(people["leader_a1"], category, group=org.A1, title="已公开"), people["ws_a"]
        ),
        people["leader_a1"],
    )
    propose(people["ws_a"], category, Level.WORKSHOP, workshop=org.a, title="待审查")
    client = login(people["ws_a"])
    body = client.get("/disclosures/?status=posted").content.decode()
    assert "已公开" in body and "待审查" not in body
    body = client.get("/disclosures/?level=workshop").content.decode()
    assert "待审查" in body and "已公开" not in body
    q = (today().month - 1) // 3 + 1
    body = client.get(f"/disclosures/?quarter={today().year}-{q}").content.decode()
    assert "已公开" in body and "待审查" in body
    assert a.pk
    body = client.get("/disclosures/?quarter=1999-1").content.decode()
    assert "已公开" not in body


def test_hq_reads_every_disclosure_and_the_time_on_feedback(org, people, group_posted, login):
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    Feedback.objects.filter(pk=fb.pk).update(filed_at=timezone.now() - timedelta(days=10))
    body = login(people["hq"]).get(f"/disclosures/{group_posted.pk}/").content.decode()
    assert "Answer overdue" in body or "答复逾期" in body


@pytest.mark.parametrize(
    "query",
    [
        "quarter=9",
        "quarter=abc",
        "quarter=99999-1",
        "category=abc",
        "category=99999999999999999999",
        "level=x",
        "status=x",
        "todo=x",
        "page=abc",
        "page=99999999999999999999",
    ],
)
def test_bad_parameters_narrow_the_list_and_the_export(org, people, group_posted, login, query):
    client = login(people["ws_a"])
    response = client.get(f"/disclosures/?{query}")
    assert response.status_code == 200
    assert client.get(f"/disclosures/export.xlsx?{query}").status_code == 200
    if not query.startswith(("todo", "page")):
        assert group_posted.title not in response.content.decode()
        assert 'class="errorlist' in response.content.decode()  # said next to the field


def test_the_steps_that_change_things_take_no_get(org, people, group_posted, login):
    leader = login(people["leader_a1"])
    for step in ("supervision/end", "close"):
        assert leader.get(f"/disclosures/{group_posted.pk}/{step}/").status_code == 405


def test_the_board_lists_the_members_own_feedback_only(org, people, group_posted, login):
    services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="我写的意见")
    neighbour = member_user(org.members["A1"][1])
    services.feedback_file(by=neighbour, disclosure=group_posted, text="邻座的意见")
    board = login(people["member_a1"]).get("/disclosures/board/")
    mine = [f.text for f in board.context["own_feedback"]]
    assert mine == ["我写的意见"]
    assert login(people["leader_a1"]).get("/disclosures/board/").context["own_feedback"] == []


@pytest.mark.parametrize("count", [1, 4])
def test_the_board_runs_a_fixed_number_of_queries(
    count, org, people, category, login, django_assert_num_queries
):
    """The same number of queries with one posting or four (the page's own: the
    disclosures and the member's own forms)."""
    for i in range(count):
        d = posted(
            reviewed(
                propose(people["leader_a1"], category, group=org.A1, title=f"第{i}项"),
                people["ws_a"],
            ),
            people["leader_a1"],
        )
        services.feedback_file(by=people["member_a1"], disclosure=d, text="x")
    client = login(people["member_a1"])
    client.get("/disclosures/board/")
    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get("/disclosures/board/")
    assert len(response.context["disclosures"]) == len(response.context["own_feedback"]) == count


BOARD_QUERIES = 8


@pytest.mark.parametrize("count", [1, 4])
def test_the_export_runs_a_fixed_number_of_queries(
    count, org, people, category, login, django_assert_num_queries
):
    for i in range(count):
        d = propose(people["leader_a1"], category, group=org.A1, title=f"第{i}项")
        reviewed(d, people["ws_a"])
    client = login(people["ws_a"])
    client.get("/disclosures/export.xlsx")
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get("/disclosures/export.xlsx")
    assert response.status_code == 200


EXPORT_QUERIES = 5


def test_a_rectification_is_due_by_the_rules_days(org, people, group_posted, login):
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="y")
    DisclosureSettings.objects.update_or_create(pk=1, defaults={"rectify_within_days": 12})
    page = login(people["leader_a1"]).get(f"/disclosures/feedback/{fb.pk}/rectify/")
    assert page.context["form"].initial["due_on"] == today() + timedelta(days=12)


def test_a_leader_proposes_for_their_own_group_only(org, people, login):
    form = login(people["leader_a1"]).get("/disclosures/new/").context["form"]
    assert [value for value, _label in form.fields["place"].choices] == [f"g{org.A1.pk}"]
    form = login(people["ws_a"]).get("/disclosures/new/").context["form"]
    assert [value for value, _label in form.fields["place"].choices] == [f"w{org.a.pk}"]
    form = login(people["hq"]).get("/disclosures/new/").context["form"]
    assert [value for value, _label in form.fields["place"].choices] == ["enterprise"]
