"""The congress pages: the steps by buttons and forms, who sees what, the printables, the
query budgets."""

from datetime import timedelta

import pytest

from congresses import services
from congresses.models import Attendance, Level, MotionSource, SessionStatus
from rectifications.models import Rectification
from tests import files
from tests.factories import MemberFactory

from .conftest import present, today


def test_the_whole_workshop_congress_by_its_pages(
    org, ws_a, hq, workshop_term, login_en, leader_a1
):
    """Plan → declare → HQ approves from its queue → attendance by checkboxes → held →
    a motion → filed → a resolution with an owner, whose rectification item is raised."""
    ws, office = login_en(ws_a), login_en(hq)
    response = ws.post(
        "/congresses/new/workshop/",
        {
            "workshop": org.a.pk,
            "title": "锅炉车间职代会",
            "planned_on": today().isoformat(),
            "agenda": "一、工作报告",
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    page = ws.get(url).content.decode()
    assert "Declare to HQ" in page and "Take the attendance" not in page
    assert ws.post(url + "declare/").status_code == 302
    queue = office.get("/congresses/approvals/").content.decode()
    assert "锅炉车间职代会" in queue
    assert office.post(url + "approve/").status_code == 302
    assert "Take the attendance" in ws.get(url).content.decode()

    members = org.members["A1"] + org.members["A2"]
    form = ws.get(url + "attendance/").content.decode()
    for member in members:
        assert member.name in form
    response = ws.post(url + "attendance/", {"present": [m.pk for m in members[:4]]})
    assert response.status_code == 302
    page = ws.get(url).content.decode()
    assert "Expected (应到)" in page and "66.67%" in page and "quorum present" in page
    assert ws.post(url + "hold/", {"held_on": today().isoformat()}).status_code == 302
    session = ws.get(url).context["session"]
    assert session.status == SessionStatus.HELD

    response = ws.post(
        url + "motions/new/",
        {
            "source": MotionSource.MEMBER,
            "proposer": org.members["A2"][0].pk,
            "title": "澡堂热水",
            "content": "延长供水",
        },
    )
    assert response.status_code == 302
    motion = session.motions.get()
    assert (
        ws.post(f"/congresses/motions/{motion.pk}/decide/", {"decision": "filed"}).status_code
        == 302
    )
    response = ws.post(
        url + "resolutions/new/",
        {
            "text": "年底前完成热水改造",
            "motion": motion.pk,
            "owner_department": "机电组",
            "owner_user": leader_a1.pk,
            "due_on": (today() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    item = Rectification.objects.get()
    page = ws.get(url).content.decode()
    assert f"/rectifications/{item.pk}/" in page and "年底前完成热水改造" in page


def test_a_resolution_without_an_owner_is_refused_next_to_the_field(
    org, leader_a1, held_meeting, login_en
):
    response = login_en(leader_a1).post(
        f"/congresses/{held_meeting.pk}/resolutions/new/",
        {"text": "决议", "owner_department": "", "due_on": today().isoformat()},
    )
    assert response.status_code == 200
    assert "owner_department" in response.context["form"].errors
    assert not Rectification.objects.exists()


def test_holding_without_quorum_is_refused_with_the_reason(meeting, leader_a1, org, login_en):
    client = login_en(leader_a1)
    present(meeting, org.members["A1"][:1], leader_a1)
    page = client.get(f"/congresses/{meeting.pk}/").content.decode()
    assert "Record as failed" in page and "Record as held" not in page
    response = client.post(f"/congresses/{meeting.pk}/hold/", follow=True)
    assert "No quorum" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == SessionStatus.DRAFT
    client.post(f"/congresses/{meeting.pk}/fail/")
    meeting.refresh_from_db()
    assert meeting.status == SessionStatus.FAILED


def test_attendance_of_an_unapproved_congress_is_not_offered(congress, ws_a, login_en):
    response = login_en(ws_a).get(f"/congresses/{congress.pk}/attendance/")
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_hq_returns_a_congress_with_a_reason(congress, ws_a, hq, login_en):
    services.session_declare(by=ws_a, session=congress)
    client = login_en(hq)
    response = client.post(f"/congresses/{congress.pk}/return/", {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    client.post(f"/congresses/{congress.pk}/return/", {"reason": "议程不全"})
    page = login_en(ws_a).get(f"/congresses/{congress.pk}/").content.decode()
    assert "议程不全" in page and "Declare to HQ" in page


def test_who_sees_which_session(
    org, hq, ws_a, ws_b, leader_a1, leader_b1, evaluator, login, congress, meeting, enterprise_term
):
    enterprise = services.session_create(
        by=hq, level=Level.ENTERPRISE, title="企业职代会", planned_on=today(), agenda="议程"
    )
    seen = {
        "hq": (hq, {congress, meeting, enterprise}),
        "ws_a": (ws_a, {congress, meeting, enterprise}),
        "ws_b": (ws_b, {enterprise}),
        "leader_a1": (leader_a1, {congress, meeting, enterprise}),
        "leader_b1": (leader_b1, {enterprise}),
        "evaluator": (evaluator, {congress, meeting, enterprise}),
    }
    for name, (user, expected) in seen.items():
        response = login(user).get("/congresses/")
        assert set(response.context["sessions"]) == expected, name
        for session in {congress, meeting, enterprise} - expected:
            assert login(user).get(f"/congresses/{session.pk}/").status_code == 404, name


def test_the_list_filters_by_level_status_and_year(congress, meeting, ws_a, login):
    client = login(ws_a)
    assert list(client.get("/congresses/?level=group").context["sessions"]) == [meeting]
    assert list(client.get("/congresses/?status=draft&level=workshop").context["sessions"]) == [
        congress
    ]
    assert list(client.get(f"/congresses/?year={today().year - 5}").context["sessions"]) == []


def _sessions(org, leader_a1, count):
    for i in range(count):
        session = services.session_create(
            by=leader_a1,
            level=Level.GROUP,
            group=org.A1,
            title=f"民主会{i}",
            planned_on=today() - timedelta(days=i),
            agenda="议程",
        )
        present(session, org.members["A1"], leader_a1)
        services.session_hold(by=leader_a1, session=session)
        services.motion_add(
            by=leader_a1,
            session=session,
            source=MotionSource.MEMBER,
            proposer=org.members["A1"][0],
            title="题",
            content="内容",
        )


LIST_QUERIES = 8


@pytest.mark.parametrize("count", [1, 6])
def test_the_session_list_runs_a_fixed_number_of_queries(
    count, org, leader_a1, login, django_assert_num_queries
):
    """Session, user, roles, the panel grants (4); the menu's notice check (1); the count,
    the years, the page of sessions with their counts (3)."""
    _sessions(org, leader_a1, count)
    client = login(leader_a1)
    client.get("/congresses/")
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/congresses/")
    assert len(response.context["sessions"]) == count


DETAIL_QUERIES = 12


@pytest.mark.parametrize("extra", [0, 5])
def test_the_session_page_runs_a_fixed_number_of_queries(
    extra, org, ws_a, approved, login, django_assert_num_queries
):
    """Session, user, roles, the panel grants (4); the session, the rules (2); attendance,
    motions, resolutions, their items, photos (5); the menu's notice check (1) — the same
    with 6 or 11 attendees, 1 or 6 motions and resolutions."""
    from congresses.models import Representative

    for _i in range(extra):
        Representative.objects.create(
            term=approved.term, member=MemberFactory(group=org.A2), role="代表"
        )
    expected = list(services.expected_attendees(approved))
    present(approved, expected, ws_a)
    services.session_hold(by=ws_a, session=approved, held_on=today())
    for i in range(1 + extra):
        services.motion_add(
            by=ws_a,
            session=approved,
            source=MotionSource.MEMBER,
            proposer=org.members["A1"][0],
            title=f"题{i}",
            content="内容",
        )
        services.resolution_add(
            by=ws_a,
            session=approved,
            text=f"决议{i}",
            owner_department="机电组",
            due_on=today(),
        )
    services.photo_add(by=ws_a, session=approved, photo=files.jpeg())
    client = login(ws_a)
    client.get(f"/congresses/{approved.pk}/")
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"/congresses/{approved.pk}/")
    assert len(response.context["attendance"]) == 6 + extra
    assert len(response.context["resolutions"]) == 1 + extra


def test_the_printables(approved, ws_a, org, login_en):
    client = login_en(ws_a)
    sheet = client.get(f"/congresses/{approved.pk}/declaration/").content.decode()
    assert "declaration form" in sheet and approved.agenda.splitlines()[0] in sheet
    minutes = client.get(f"/congresses/{approved.pk}/minutes/print/").content.decode()
    assert "Sign-in sheet" in minutes
    for member in org.members["A1"] + org.members["A2"]:
        assert member.name in minutes
    assert 'class="sign"' in minutes


def test_a_group_meeting_has_no_declaration_form(meeting, leader_a1, login):
    assert login(leader_a1).get(f"/congresses/{meeting.pk}/declaration/").status_code == 404


def test_a_photo_is_served_to_those_who_read_the_session(held_meeting, leader_a1, ws_b, login):
    photo = services.photo_add(by=leader_a1, session=held_meeting, photo=files.jpeg())
    assert login(leader_a1).get(f"/congresses/photos/{photo.pk}/").status_code == 200
    assert login(ws_b).get(f"/congresses/photos/{photo.pk}/").status_code == 404


def test_a_photo_uploaded_on_the_page(held_meeting, leader_a1, login):
    response = login(leader_a1).post(
        f"/congresses/{held_meeting.pk}/photos/", {"photo": files.jpeg()}
    )
    assert response.status_code == 302
    assert held_meeting.photos.count() == 1


# Terms and representatives ------------------------------------------------------------


def test_the_term_page_shows_delegations_and_representatives(enterprise_term, ws_b, org, login):
    page = login(ws_b).get(f"/congresses/terms/{enterprise_term.pk}/").content.decode()
    assert "锅炉车间代表团" in page and "汽机车间代表团" in page
    for member in org.members["A1"] + org.members["B1"]:
        assert member.name in page
    assert "/representatives/new/" not in page  # HQ keeps the enterprise's term


def test_a_workshop_union_adds_a_representative_from_its_members(workshop_term, ws_a, org, login):
    newcomer = MemberFactory(group=org.A2)
    client = login(ws_a)
    form = client.get(f"/congresses/terms/{workshop_term.pk}/representatives/new/")
    choices = list(form.context["form"].fields["member"].queryset)
    assert choices == [newcomer]  # A's members not yet representatives; none of B
    response = client.post(
        f"/congresses/terms/{workshop_term.pk}/representatives/new/",
        {"member": newcomer.pk, "role": "代表"},
    )
    assert response.status_code == 302
    assert workshop_term.representatives.filter(member=newcomer).exists()


def test_a_workshop_union_creates_its_term_by_the_page(org, ws_a, login):
    response = login(ws_a).post(
        "/congresses/terms/new/workshop/",
        {
            "workshop": org.a.pk,
            "name": "第四届",
            "starts_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=1000)).isoformat(),
        },
    )
    assert response.status_code == 302


def test_the_members_record_shows_their_terms(enterprise_term, workshop_term, ws_a, org):
    from unionhome.extensions import member_facts

    facts = member_facts(ws_a, org.members["A1"][0])
    texts = [text for _label, text, _url in facts]
    assert any("第十届" in t and "锅炉车间代表团" in t for t in texts)
    assert any("第三届" in t for t in texts)


def test_the_member_page_shows_the_terms(enterprise_term, ws_a, org, login):
    member = org.members["A1"][0]
    page = login(ws_a).get(f"/members/{member.pk}/").content.decode()
    assert "第十届" in page


# To-do items ------------------------------------------------------------


def test_todo_items(congress, ws_a, hq, leader_a1):
    from congresses.hooks import todo_items

    services.session_declare(by=ws_a, session=congress)
    assert [n for _w, n, url in todo_items(hq) if "approvals" in url] == [1]
    services.session_approve(by=hq, session=congress)
    assert [n for _w, n, url in todo_items(ws_a) if "status=approved" in url] == [1]
    assert [n for _w, n, url in todo_items(hq) if "approvals" in url] == []


def test_a_leader_behind_the_meeting_target_is_reminded(org, leader_a1):
    from datetime import date

    from congresses.hooks import groups_behind, meetings_due_by

    assert meetings_due_by(date(2026, 3, 31), 4) == 0
    assert meetings_due_by(date(2026, 4, 1), 4) == 1
    assert meetings_due_by(date(2026, 12, 31), 4) == 3
    assert groups_behind(leader_a1, date(today().year, 12, 31)) == [org.A1]
    assert groups_behind(leader_a1, date(today().year, 1, 15)) == []


TERM_LIST_QUERIES = 6


@pytest.mark.parametrize("count", [1, 4])
def test_the_term_list_runs_a_fixed_number_of_queries(
    count, org, ws_a, login, django_assert_num_queries
):
    """The same queries with one term or four, each with its delegation and representatives."""
    from congresses.models import Term

    start = today() - timedelta(days=400 * count)
    for i in range(count):
        term = services.term_create(
            by=ws_a,
            level=Level.WORKSHOP,
            workshop=org.a,
            name=f"第{i + 1}届",
            starts_on=start + timedelta(days=400 * i),
            ends_on=start + timedelta(days=400 * i + 399),
        )
        services.delegation_add(by=ws_a, term=term, name="运行代表组")
        for member in org.members["A1"][: 1 + i % 3]:
            services.representative_add(by=ws_a, term=term, member=member)
    client = login(ws_a)
    client.get("/congresses/terms/")
    with django_assert_num_queries(TERM_LIST_QUERIES):
        response = client.get("/congresses/terms/")
    assert len(response.context["terms"]) == count == Term.objects.count()


APPROVALS_QUERIES = 5


@pytest.mark.parametrize("count", [1, 4])
def test_the_approval_queue_runs_a_fixed_number_of_queries(
    count, org, ws_a, hq, workshop_term, login, django_assert_num_queries
):
    for i in range(count):
        session = services.session_create(
            by=ws_a,
            level=Level.WORKSHOP,
            workshop=org.a,
            title=f"职代会{i}",
            planned_on=today() + timedelta(days=10 + i),
            agenda="议程",
        )
        _member_motion(session, ws_a, org)
        services.session_declare(by=ws_a, session=session)
    client = login(hq)
    client.get("/congresses/approvals/")
    with django_assert_num_queries(APPROVALS_QUERIES):
        response = client.get("/congresses/approvals/")
    assert len(response.context["sessions"]) == count


def _member_motion(session, by, org):
    services.motion_add(
        by=by,
        session=session,
        source=MotionSource.MEMBER,
        proposer=org.members["A1"][0],
        title="题",
        content="内容",
    )


DECLARATION_QUERIES = 9


@pytest.mark.parametrize("extra", [0, 5])
def test_the_declaration_form_counts_the_representatives_in_the_database(
    extra, org, ws_a, congress, login, django_assert_num_queries
):
    for _i in range(extra):
        services.representative_add(by=ws_a, term=congress.term, member=MemberFactory(group=org.A2))
    client = login(ws_a)
    client.get(f"/congresses/{congress.pk}/declaration/")
    with django_assert_num_queries(DECLARATION_QUERIES):
        response = client.get(f"/congresses/{congress.pk}/declaration/")
    assert response.context["representatives"] == 6 + extra
