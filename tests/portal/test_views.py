"""The pages of member logins: the leader issues and prints, the member activates on the
public page and lands on their own page; the workshop union answers suggestions."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal import services
from portal.models import ActivationCode, PortalSettings, Suggestion, SuggestionStatus
from tests.factories import ActivityFactory, leader_user, member_user, workshop_user

GOOD_PASSWORD = "Hongqi-Road-2026"


@pytest.fixture
def member(org):
    return org.members["A1"][0]


def issue(client, member) -> str:
    response = client.post(reverse("portal:member_login", args=[member.pk]))
    assert response.status_code == 200
    return re.search(r"data-code>([A-Z0-9]{8})<", response.content.decode()).group(1)


def test_the_leader_opens_a_login_from_the_members_page_and_prints_its_slip(
    org, member, leader_a1, login
):
    client = login(leader_a1)
    page = client.get(reverse("groups:member_detail", args=[member.pk])).content.decode()
    assert reverse("portal:member_login", args=[member.pk]) in page
    response = client.post(reverse("portal:member_login", args=[member.pk]))
    slip = response.content.decode()
    code = re.search(r"data-code>([A-Z0-9]{8})<", slip).group(1)
    assert member.name in slip and member.employee_no in slip
    assert "http://testserver/activate/" in slip and "<svg" in slip  # address and QR code
    record = ActivationCode.objects.get(member=member)
    assert timezone.localtime(record.expires_at).strftime("%d") in slip
    assert code not in ActivationCode.objects.values_list("code_hash", flat=True)[0]
    # Another group's leader cannot even open the page.
    other = login(leader_user(org.B1))
    assert other.get(reverse("portal:member_login", args=[member.pk])).status_code == 404
    assert other.post(reverse("portal:member_login", args=[member.pk])).status_code == 404


def test_a_whole_group_is_printed_at_once(org, member, leader_a1, login):
    member_user(member)
    client = login(leader_a1)
    page = client.get(reverse("groups:group_detail", args=[org.A1.pk])).content.decode()
    assert reverse("portal:group_slips", args=[org.A1.pk]) in page
    response = client.post(reverse("portal:group_slips", args=[org.A1.pk]))
    codes = re.findall(r"data-code>([A-Z0-9]{8})<", response.content.decode())
    assert len(codes) == 2  # the two members without a login
    assert ActivationCode.objects.live().count() == 2
    assert (
        login(workshop_user(org.b)).get(reverse("portal:group_slips", args=[org.A1.pk])).status_code
        == 404
    )


def test_the_member_activates_on_the_public_page_and_lands_on_their_own_page(
    org, member, leader_a1, login
):
    code = issue(login(leader_a1), member)
    phone = Client()
    url = reverse("portal:activate")
    assert phone.get(url + f"?no={member.employee_no}").status_code == 200
    response = phone.post(
        url,
        {
            "employee_no": member.employee_no,
            "code": code,
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    home = phone.get("/")
    body = home.content.decode()
    assert member.name in body and org.A1.name in body
    assert reverse("portal:suggestion_new") in body
    # Another member's page is not found; the member list is refused.
    other = org.members["A1"][1]
    assert phone.get(reverse("groups:member_detail", args=[other.pk])).status_code == 404
    assert phone.get(reverse("groups:member_list")).status_code == 403
    assert phone.get(reverse("groups:member_detail", args=[member.pk])).status_code == 200
    # Later, they sign in with the employee no. and their password.
    again = Client()
    response = again.post(
        reverse("login"), {"username": member.employee_no, "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302


def test_the_activation_page_answers_alike_and_locks(org, member, leader_a1, login):
    PortalSettings(failure_limit=2).save()
    code = issue(login(leader_a1), member)
    phone = Client(REMOTE_ADDR="10.1.1.1")

    def post(employee_no, typed):
        return phone.post(
            reverse("portal:activate"),
            {
                "employee_no": employee_no,
                "code": typed,
                "password": GOOD_PASSWORD,
                "password_again": GOOD_PASSWORD,
            },
        )

    unknown, wrong = post("99999999", "ABCDEFGH"), post(member.employee_no, "ABCDEFGH")
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    post(member.employee_no, "ABCDEFGH")
    locked = post(member.employee_no, code)
    assert locked.status_code == 429
    assert member.employee_no not in str(locked.context["form"].non_field_errors())


def test_the_password_is_checked_next_to_its_field(org, member, leader_a1, login):
    code = issue(login(leader_a1), member)
    response = Client().post(
        reverse("portal:activate"),
        {
            "employee_no": member.employee_no,
            "code": code,
            "password": "12345678901",
            "password_again": "12345678901",
        },
    )
    assert "password" in response.context["form"].errors
    assert ActivationCode.objects.live().filter(member=member).exists()


def test_disabling_from_the_members_page_signs_the_member_out(org, member, leader_a1, login):
    user = member_user(member)
    phone = login(user)
    assert phone.get("/").status_code == 200
    leader = login(leader_a1)
    assert leader.get(reverse("portal:member_login_disable", args=[member.pk])).status_code == 200
    leader.post(reverse("portal:member_login_disable", args=[member.pk]))
    response = phone.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


class TestMemberHome:
    def test_the_home_shows_the_record_group_calendar_applications_and_suggestions(
        self, org, member, leader_a1, login
    ):
        from welfare import services as welfare
        from welfare.models import CaseType

        today = timezone.localdate()
        ActivityFactory(
            group=org.A1,
            title="班组安全学习",
            held_on=today,
            recorded_by=leader_a1,
            participants=[member],
        )
        ActivityFactory(group=org.A2, title="别组活动", held_on=today, recorded_by=leader_a1)
        welfare.case_create(
            by=leader_a1,
            member=member,
            case_type=CaseType.objects.get(code="relief"),
            reason="机密原因",
            amount_requested="2999.37",
        )
        Suggestion.objects.create(member=member, group=org.A1, text="增设微波炉")
        body = login(member_user(member)).get("/").content.decode()
        assert "班组安全学习" in body and "别组活动" not in body
        assert "机密原因" not in body and "2999.37" not in body  # the state only
        assert "增设微波炉" in body
        assert member.employee_no in body and member.phone in body
        for other in org.members["A1"][1:]:
            assert other.name not in body

    def test_the_home_runs_a_fixed_number_of_queries(
        self, org, member, leader_a1, login, django_assert_num_queries
    ):
        client = login(member_user(member))
        today = timezone.localdate()

        def grow(n):
            for i in range(n):
                ActivityFactory(
                    group=org.A1,
                    held_on=today - timedelta(days=i % 20),
                    recorded_by=leader_a1,
                    participants=org.members["A1"],
                )
                Suggestion.objects.create(member=member, group=org.A1, text=f"建议{i}")

        # session, the user with their member, assigned roles, panels; the page: the
        # member, the activities, the notices, the suggestions, the applications (welfare,
        # membership, 合理化建议, 意见表: one each); the menu: is the user on a panel, is
        # there a notice.
        grow(2)
        with django_assert_num_queries(QUERIES_AT_HOME) as captured:
            assert client.get("/").status_code == 200
        grow(10)
        with django_assert_num_queries(len(captured.captured_queries)):
            assert client.get("/").status_code == 200


QUERIES_AT_HOME = 14


class TestSuggestions:
    def test_a_member_files_and_the_workshop_union_answers(self, org, member, login):
        me = login(member_user(member))
        response = me.post(
            reverse("portal:suggestion_new"), {"kind": "suggestion", "text": "夜班增设热饭点"}
        )
        assert response.status_code == 302
        suggestion = Suggestion.objects.get()
        assert (suggestion.member, suggestion.group) == (member, org.A1)
        chair = workshop_user(org.a)
        todo = login(chair).get(reverse("dashboard:todo")).content.decode()
        assert reverse("portal:suggestion_list") + "?open=1" in todo
        listing = login(chair).get(reverse("portal:suggestion_list")).content.decode()
        assert member.name in listing
        # Workshop union B sees nothing of it; a group leader has no such list.
        assert (
            login(workshop_user(org.b))
            .get(reverse("portal:suggestion_detail", args=[suggestion.pk]))
            .status_code
            == 404
        )
        assert login(leader_user(org.A1)).get(reverse("portal:suggestion_list")).status_code == 403
        answer = login(chair).post(
            reverse("portal:suggestion_detail", args=[suggestion.pk]), {"reply": "已安排"}
        )
        assert answer.status_code == 302
        suggestion.refresh_from_db()
        assert suggestion.status == SuggestionStatus.ANSWERED and suggestion.answered_by == chair
        assert "已安排" in me.get("/").content.decode()

    def test_an_empty_suggestion_is_refused_next_to_its_field(self, org, member, login):
        response = login(member_user(member)).post(
            reverse("portal:suggestion_new"), {"kind": "opinion", "text": "  "}
        )
        assert "text" in response.context["form"].errors

    def test_taking_up_then_an_empty_reply(self, org, member, login):
        suggestion = services.suggestion_file(
            member=member, by=member_user(member), kind="opinion", text="意见"
        )
        chair = login(workshop_user(org.a))
        url = reverse("portal:suggestion_detail", args=[suggestion.pk])
        chair.post(url, {"step": "accept"})
        suggestion.refresh_from_db()
        assert suggestion.status == SuggestionStatus.ACCEPTED
        response = chair.post(url, {"reply": ""})
        assert "reply" in response.context["form"].errors
