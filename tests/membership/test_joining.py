"""Joining the union: the public link, a leader's entry, the workshop union's decision, the
membership card number by HQ's rule, and what the public side never gives away."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from groups.models import Member, MemberStatus
from membership import services
from membership.models import (
    Application,
    ApplicationKind,
    ApplicationSource,
    ApplicationStatus,
    JoinLink,
    NumberCounter,
    NumberingRule,
)
from tests.factories import MemberFactory, leader_user, workshop_user

from .conftest import application_data, submit

# 370802 region, born 1985-03-02, sequence 123, check digit 0 (tests/groups/test_idnumbers.py).
VALID_ID = "370802198503021230"


def join_url(link):
    return reverse("membership:join", args=[link.token])


def apply(client, link, **changes):
    return client.post(join_url(link), application_data(**changes))


class TestThePublicLink:
    def test_applicant_files_then_workshop_approves_and_a_member_with_a_card_exists(
        self, org, client, link_a1, workshop_a, login
    ):
        response = apply(client, link_a1)
        assert response.status_code == 200
        filed = response.context["filed"]
        application = Application.objects.get(reference=filed.reference)
        assert (application.group, application.source, application.status) == (
            org.A1,
            ApplicationSource.LINK,
            ApplicationStatus.SUBMITTED,
        )
        assert application.check_code_matches(filed.check_code)
        assert filed.check_code not in application.check_digest  # only its digest is kept

        office = login(workshop_a)
        response = office.post(
            reverse("membership:application_approve", args=[application.pk]),
            {"approved_on": timezone.localdate().isoformat()},
        )
        assert response.status_code == 302
        member = Member.objects.get(employee_no="88001")
        year = timezone.localdate().year
        assert member.card_no == f"KGH-{year}-00001"
        # The join date is the day of approval, the group history starts that day.
        assert member.joined_union_on == timezone.localdate()
        assert member.group == org.A1 and member.status == MemberStatus.ACTIVE
        assert member.memberships.get().started_on == timezone.localdate()
        assert (member.position, member.phone, member.birth_date) == (
            "锅炉运行工",
            "13912345678",
            date(1996, 3, 8),
        )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.APPROVED
        assert application.member == member and application.decided_by == workshop_a

        # The applicant follows it with the reference no. and check code.
        status = client.post(
            reverse("membership:join_status"),
            {"reference": filed.reference.lower(), "check_code": filed.check_code},
        )
        assert status.context["application"] == application
        assert f"KGH-{year}-00001" in status.content.decode()

        # The member's page shows the card number and the approval in the timeline.
        page = office.get(reverse("groups:member_detail", args=[member.pk]))
        steps = [step.what for step in page.context["timeline"]]
        assert any(application.reference in what and member.card_no in what for what in steps)

    def test_a_workshop_link_lets_the_applicant_choose_one_of_its_groups_only(
        self, org, client, link_a
    ):
        apply(client, link_a, group=org.A2.pk)
        assert Application.objects.get().group == org.A2
        response = apply(client, link_a, group=org.B1.pk, employee_no="88002")
        assert "group" in response.context["form"].errors
        assert Application.objects.count() == 1

    def test_the_statement_must_be_ticked_and_errors_stand_next_to_their_field(
        self, client, link_a1
    ):
        response = apply(client, link_a1, statement=None, id_number="370802198503021238")
        errors = response.context["form"].errors
        assert set(errors) == {"statement", "id_number"}
        assert Application.objects.count() == 0

    def test_the_identity_number_fills_birth_date_and_gender_or_disagrees(self, client, link_a1):
        response = apply(client, link_a1, id_number=VALID_ID, birth_date="", gender="")
        assert response.status_code == 200 and "filed" in response.context
        application = Application.objects.get()
        assert (application.birth_date, application.gender) == (date(1985, 3, 2), "M")
        response = apply(
            client, link_a1, employee_no="88002", id_number=VALID_ID, birth_date="1990-01-01"
        )
        assert "birth_date" in response.context["form"].errors

    def test_a_closed_or_expired_link_takes_nothing(self, org, client, link_a1, hq):
        services.join_link_close(link=link_a1, by=hq)
        assert apply(client, link_a1).status_code == 404
        expired = services.join_link_create(by=hq, workshop=org.a, expires_on=date(2020, 1, 1))
        assert apply(client, expired, group=org.A1.pk).status_code == 404
        assert client.get("/join/no-such-token/").status_code == 404
        assert Application.objects.count() == 0


class TestNothingLeaks:
    def test_an_employee_no_already_a_member_gets_the_same_answer_and_the_office_sees_it(
        self, org, client, link_a1, workshop_a, login
    ):
        existing = org.members["A1"][0]
        fresh = apply(client, link_a1, employee_no="88009")
        duplicate = apply(client, link_a1, employee_no=existing.employee_no)
        assert duplicate.status_code == fresh.status_code == 200
        assert duplicate.templates[0].name == fresh.templates[0].name
        assert existing.name not in duplicate.content.decode()

        office = login(workshop_a)
        listed = office.get(reverse("membership:application_list"), {"duplicate": "true"})
        assert [a.employee_no for a in listed.context["page"]] == [existing.employee_no]
        application = Application.objects.get(employee_no=existing.employee_no)
        page = office.get(reverse("membership:application_detail", args=[application.pk]))
        assert page.context["duplicates"]["employee_no"][0] == existing
        with pytest.raises(ValidationError) as error:
            services.application_approve(application=application, by=workshop_a)
        assert "employee_no" in error.value.message_dict
        assert Member.objects.filter(employee_no=existing.employee_no).count() == 1

    def test_an_identity_number_already_a_member_is_caught_at_the_decision(
        self, org, client, link_a1, workshop_a
    ):
        holder = org.members["B1"][0]
        holder.id_number = VALID_ID
        holder.birth_date = date(1985, 3, 2)
        holder.save()
        response = apply(client, link_a1, id_number=VALID_ID, birth_date="")
        assert "filed" in response.context
        application = Application.objects.get()
        assert services.application_duplicates(application) == {"id_number": holder}
        with pytest.raises(ValidationError):
            services.application_approve(application=application, by=workshop_a)

    def test_the_hidden_box_filled_by_a_program_is_answered_but_nothing_is_kept(
        self, client, link_a1
    ):
        response = apply(client, link_a1, website="http://spam.example")
        assert response.status_code == 200 and "filed" in response.context
        assert Application.objects.count() == 0

    def test_one_address_may_file_only_a_few_an_hour(self, client, link_a1):
        limit = services.APPLICATIONS_PER_ADDRESS_PER_HOUR
        for n in range(limit):
            assert "filed" in apply(client, link_a1, employee_no=f"8810{n}").context
        refused = apply(client, link_a1, employee_no="88199")
        assert "filed" not in refused.context
        assert refused.context["form"].non_field_errors()
        assert Application.objects.count() == limit
        # Another address is not held back.
        other = client.post(
            join_url(link_a1),
            application_data(employee_no="88200"),
            REMOTE_ADDR="10.1.2.3",
        )
        assert "filed" in other.context

    def test_the_status_page_says_the_same_for_a_wrong_code_and_an_unknown_reference(
        self, client, link_a1
    ):
        filed = apply(client, link_a1).context["filed"]
        wrong = "000000" if filed.check_code != "000000" else "111111"
        answers = [
            client.post(
                reverse("membership:join_status"),
                {"reference": reference, "check_code": code},
            )
            for reference, code in ((filed.reference, wrong), ("ZZZZZZZZZZ", filed.check_code))
        ]
        for response in answers:
            assert response.context["application"] is None
            assert "周晓明" not in response.content.decode()
        first, second = (r.context["form"].non_field_errors() for r in answers)
        assert first == second and first

    def test_guessing_codes_is_stopped_after_a_few_misses(self, client, link_a1):
        filed = apply(client, link_a1).context["filed"]
        url = reverse("membership:join_status")
        for _ in range(10):
            client.post(url, {"reference": filed.reference, "check_code": "999999"})
        right = client.post(url, {"reference": filed.reference, "check_code": filed.check_code})
        assert right.context["application"] is None


class TestReturned:
    def test_returned_with_a_reason_the_applicant_reads(self, client, link_a1, workshop_a, login):
        filed = apply(client, link_a1).context["filed"]
        application = filed.application
        office = login(workshop_a)
        url = reverse("membership:application_return", args=[application.pk])
        office.post(url, {"reason": ""})
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SUBMITTED  # a reason is required
        office.post(url, {"reason": "请补充身份证号"})
        application.refresh_from_db()
        assert (application.status, application.return_reason) == (
            ApplicationStatus.RETURNED,
            "请补充身份证号",
        )
        status = client.post(
            reverse("membership:join_status"),
            {"reference": filed.reference, "check_code": filed.check_code},
        )
        assert "请补充身份证号" in status.content.decode()
        assert not Member.objects.filter(employee_no="88001").exists()
        with pytest.raises(ValidationError):
            services.application_approve(application=application, by=workshop_a)


class TestLeadersEntry:
    def test_a_leader_enters_an_application_for_their_group_and_follows_it(
        self, org, leader_a1, login
    ):
        client = login(leader_a1)
        response = client.post(
            reverse("membership:application_create"),
            {
                "kind": ApplicationKind.NEW,
                "group": org.A1.pk,
                **application_data(),
            },
        )
        assert response.status_code == 302
        application = Application.objects.get()
        assert (application.source, application.submitted_by) == (
            ApplicationSource.LEADER,
            leader_a1,
        )
        page = client.get(response["Location"])
        assert page.status_code == 200 and not page.context["may_decide"]
        # The leader follows it but does not decide.
        refused = client.post(
            reverse("membership:application_approve", args=[application.pk]),
            {"approved_on": timezone.localdate().isoformat()},
        )
        assert refused.status_code == 403
        with pytest.raises(PermissionDenied):
            services.application_approve(application=application, by=leader_a1)

    def test_a_leader_cannot_file_for_another_group(self, org, leader_a1, login):
        response = login(leader_a1).post(
            reverse("membership:application_create"),
            {"kind": ApplicationKind.NEW, "group": org.A2.pk, **application_data()},
        )
        assert "group" in response.context["form"].errors
        with pytest.raises(PermissionDenied):
            submit(by=leader_a1, group=org.A2)

    def test_a_transfer_in_keeps_the_first_join_date(self, org, workshop_a, login):
        client = login(workshop_a)
        response = client.post(
            reverse("membership:application_create"),
            {
                "kind": ApplicationKind.TRANSFER_IN,
                "group": org.A1.pk,
                **application_data(),
                "joined_union_on": "2010-05-01",
                "former_organisation": "某煤业集团工会",
                "letter_no_received": "煤工转〔2026〕12号",
            },
        )
        assert response.status_code == 302
        application = Application.objects.get()
        member = services.application_approve(application=application, by=workshop_a)
        assert member.joined_union_on == date(2010, 5, 1)  # membership continuous
        assert member.card_no.startswith(f"KGH-{timezone.localdate().year}-")
        page = client.get(reverse("groups:member_detail", args=[member.pk]))
        steps = [step.what for step in page.context["timeline"]]
        assert any("某煤业集团工会" in s and "煤工转〔2026〕12号" in s for s in steps)

    def test_a_transfer_in_needs_the_former_union_and_join_date(self, org, workshop_a):
        with pytest.raises(ValidationError) as error:
            submit(by=workshop_a, group=org.A1, kind=ApplicationKind.TRANSFER_IN)
        assert set(error.value.message_dict) == {"former_organisation", "joined_union_on"}


class TestCardNumbers:
    def test_the_default_rule_prefix_year_and_five_digits(self, db):
        rule = NumberingRule.current()
        assert rule.card_number(year=2026, workshop_code="A", sequence=42) == "KGH-2026-00042"

    def test_a_rule_hq_wrote_workshop_code_no_year_four_digits(self, org, hq):
        NumberingRule.objects.create(
            prefix="GH", with_year=False, with_workshop_code=True, digits=4, separator=""
        )
        first = services.card_no_assign(workshop=org.a, year=2026)
        second = services.card_no_assign(workshop=org.a, year=2027)
        other = services.card_no_assign(workshop=org.b, year=2026)
        # Without the year one sequence runs on; each workshop union counts its own.
        assert (first, second, other) == ("GHA0001", "GHA0002", "GHB0001")

    def test_the_sequence_starts_again_each_year_and_skips_numbers_already_held(self, org):
        MemberFactory(group=org.A1, card_no="KGH-2026-00002")
        numbers = [services.card_no_assign(workshop=org.a, year=2026) for _ in range(2)]
        assert numbers == ["KGH-2026-00001", "KGH-2026-00003"]
        assert services.card_no_assign(workshop=org.a, year=2027) == "KGH-2027-00001"

    def test_two_approvals_take_two_numbers_from_the_locked_counter(self, org, workshop_a, link_a1):
        applications = [
            services.application_submit_public(
                link=link_a1,
                address=None,
                employee_no=number,
                name="申请人",
                gender="F",
                statement=True,
            ).application
            for number in ("88011", "88012")
        ]
        members = [services.application_approve(application=a, by=workshop_a) for a in applications]
        year = timezone.localdate().year
        assert [m.card_no for m in members] == [f"KGH-{year}-00001", f"KGH-{year}-00002"]
        assert NumberCounter.objects.get(key=f"card:{year}").last == 2


def test_only_the_deciding_union_approves(org, link_a1):
    application = services.application_submit_public(
        link=link_a1, address=None, employee_no="88031", name="甲", gender="M", statement=True
    ).application
    with pytest.raises(PermissionDenied):
        services.application_approve(application=application, by=workshop_user(org.b))
    with pytest.raises(PermissionDenied):
        services.application_return(application=application, by=leader_user(org.A1), reason="不行")


def test_links_are_made_by_the_workshop_union_for_its_own_groups(org, workshop_a):
    link = services.join_link_create(by=workshop_a, workshop=org.a, group=org.A2)
    assert link.is_open_on(timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.join_link_create(by=workshop_a, workshop=org.b)
    with pytest.raises(ValidationError):
        services.join_link_create(by=workshop_a, workshop=org.a, group=org.B1)
    assert JoinLink.objects.count() == 1
