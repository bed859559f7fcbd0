"""Transfers out with their letter, leaving by kind, retiring as a 退休会员, and the one
timeline of the member's page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from groups.models import LeaveKind, MemberStatus, PersonalAccess
from groups.services import member_leave, member_move, member_rejoin
from membership import services
from membership.models import Transfer
from tests.factories import MemberFactory, UnionGroupFactory, UserFactory

VALID_ID = "370802198503021230"


@pytest.fixture
def member(org):
    return MemberFactory(
        group=org.A1,
        name="黄建国",
        gender="M",
        id_number=VALID_ID,
        birth_date=date(1985, 3, 2),
        card_no="KGH-2012-00007",
        joined_union_on=date(2012, 4, 1),
    )


def transfer_data(**changes):
    data = {
        "to_organisation": "某电力建设公司",
        "to_union": "某电力建设公司工会",
        "transferred_on": timezone.localdate().isoformat(),
        "reason": "工作调动",
        "dues_paid_until": "",
    }
    data.update(changes)
    return data


class TestTransferOut:
    def test_the_workshop_union_records_it_the_membership_ends_and_the_letter_prints(
        self, org, member, workshop_a, login
    ):
        client = login(workshop_a)
        response = client.post(
            reverse("membership:transfer_create", args=[member.pk]), transfer_data()
        )
        transfer = Transfer.objects.get()
        assert response["Location"] == reverse("membership:transfer_letter", args=[transfer.pk])
        year = timezone.localdate().year
        assert transfer.letter_no == f"会转{year}-001"
        member.refresh_from_db()
        assert (member.status, member.left_kind, member.left_on) == (
            MemberStatus.LEFT,
            LeaveKind.TRANSFERRED,
            timezone.localdate(),
        )
        assert member.memberships.get().ended_on == timezone.localdate()

        letter = client.get(response["Location"])
        html = letter.content.decode()
        for text in (
            "黄建国",
            VALID_ID,
            "KGH-2012-00007",
            transfer.letter_no,
            "某电力建设公司工会",
        ):
            assert text in html
        assert 'id="counterfoil"' in html and 'id="return-slip"' in html
        # No dues data: a line to fill by hand.
        assert '<td id="letter-dues"><span class="blank-line"></span></td>' in html
        # Showing the identity number is logged as any view of it.
        assert PersonalAccess.objects.filter(member=member, user=workshop_a).exists()

        page = client.get(reverse("groups:member_detail", args=[member.pk]))
        steps = page.context["timeline"]
        line = next(s for s in steps if transfer.letter_no in s.what)
        assert line.url == response["Location"] and line.on == timezone.localdate()
        assert any(str(LeaveKind.TRANSFERRED.label) in s.what for s in steps)

    def test_the_identity_number_only_for_those_who_may_see_it(
        self, org, member, workshop_a, login
    ):
        transfer = services.transfer_out(
            member=member,
            by=workshop_a,
            to_organisation="某公司",
            transferred_on=timezone.localdate(),
            reason="调动",
            dues_paid_until=date(2026, 10, 1),
        )
        hq_without_flag = UserFactory(role=Role.HQ)
        html = (
            login(hq_without_flag)
            .get(reverse("membership:transfer_letter", args=[transfer.pk]))
            .content.decode()
        )
        assert VALID_ID not in html and "黄建国" in html
        assert '<td id="letter-id-number"><span class="blank-line"></span></td>' in html
        assert "2026年10月" in html or "October 2026" in html

    def test_letter_numbers_run_on_in_the_year(self, org, workshop_a):
        first, second = (
            services.transfer_out(
                member=m,
                by=workshop_a,
                to_organisation="某公司",
                transferred_on=timezone.localdate(),
                reason="调动",
            )
            for m in org.members["A1"][:2]
        )
        year = timezone.localdate().year
        assert (first.letter_no, second.letter_no) == (f"会转{year}-001", f"会转{year}-002")

    def test_only_the_workshop_union_and_hq_transfer_and_read_letters(
        self, org, member, leader_a1, workshop_a, login
    ):
        with pytest.raises(PermissionDenied):
            services.transfer_out(
                member=member,
                by=leader_a1,
                to_organisation="某公司",
                transferred_on=timezone.localdate(),
                reason="调动",
            )
        transfer = services.transfer_out(
            member=member,
            by=workshop_a,
            to_organisation="某公司",
            transferred_on=timezone.localdate(),
            reason="调动",
        )
        client = login(leader_a1)
        assert client.get(reverse("membership:transfer_create", args=[member.pk])).status_code in (
            403,
            404,
        )
        assert client.get(
            reverse("membership:transfer_letter", args=[transfer.pk])
        ).status_code in (403, 404)
        # The leader still reads the line in the timeline, without the letter's link.
        steps = client.get(reverse("groups:member_detail", args=[member.pk])).context["timeline"]
        line = next(s for s in steps if transfer.letter_no in s.what)
        assert line.url == ""

    def test_a_member_who_left_cannot_be_transferred(self, org, member, workshop_a):
        member_leave(member=member, left_on=timezone.localdate(), reason="离职", by=workshop_a)
        member.refresh_from_db()
        with pytest.raises(ValidationError):
            services.transfer_out(
                member=member,
                by=workshop_a,
                to_organisation="某公司",
                transferred_on=timezone.localdate(),
                reason="调动",
            )
        assert not Transfer.objects.exists()


class TestLeaving:
    @pytest.mark.parametrize("kind", [LeaveKind.QUIT, LeaveKind.RETIRED, LeaveKind.DECEASED])
    def test_the_leave_form_asks_how_and_why(self, org, member, workshop_a, login, kind):
        response = login(workshop_a).post(
            reverse("groups:member_leave", args=[member.pk]),
            {"kind": kind, "left_on": timezone.localdate().isoformat(), "reason": "说明"},
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert (member.status, member.left_kind, member.left_reason) == (
            MemberStatus.LEFT,
            kind,
            "说明",
        )

    def test_a_transfer_goes_through_its_own_page_not_the_leave_form(
        self, org, member, workshop_a, login
    ):
        response = login(workshop_a).post(
            reverse("groups:member_leave", args=[member.pk]),
            {
                "kind": LeaveKind.TRANSFERRED,
                "left_on": timezone.localdate().isoformat(),
                "reason": "调走",
            },
        )
        assert "kind" in response.context["form"].errors
        member.refresh_from_db()
        assert member.status == MemberStatus.ACTIVE

    def test_the_timeline_holds_joining_moves_leaving_and_rejoining_in_order(
        self, org, member, workshop_a, login
    ):
        today = timezone.localdate()
        member_move(
            member=member, to_group=org.A2, moved_on=today - timedelta(days=30), by=workshop_a
        )
        member_leave(
            member=member,
            left_on=today - timedelta(days=20),
            reason="病故",
            by=workshop_a,
            kind=LeaveKind.DECEASED,
        )
        member.refresh_from_db()
        member_rejoin(
            member=member, group=org.A1, rejoined_on=today - timedelta(days=10), by=workshop_a
        )
        member.refresh_from_db()
        assert member.left_kind == ""  # back in the union, nothing ended
        steps = login(workshop_a).get(reverse("groups:member_detail", args=[member.pk]))
        whats = [str(s.what) for s in steps.context["timeline"]]
        assert len(whats) == 5
        assert "运行一班" in whats[0]  # rejoined, newest first
        assert str(LeaveKind.DECEASED.label) in whats[1]
        assert "检修班" in whats[2]  # moved
        assert "运行一班" in whats[3]  # enrolled (2020-01-01)
        assert whats[4]  # joined the union (2012-04-01)
        assert [s.on for s in steps.context["timeline"]] == sorted(
            (s.on for s in steps.context["timeline"]), reverse=True
        )


class TestRetiring:
    def test_a_retiree_stays_a_member_in_the_retirees_group(self, org, member, workshop_a):
        retirees = UnionGroupFactory(workshop=org.a, name="退休职工小组")
        services.member_retire(
            member=member, by=workshop_a, retired_on=timezone.localdate(), to_group=retirees
        )
        member.refresh_from_db()
        assert (member.status, member.is_retired, member.group) == (
            MemberStatus.ACTIVE,
            True,
            retirees,
        )
        with pytest.raises(ValidationError):
            services.member_retire(member=member, by=workshop_a, retired_on=timezone.localdate())

    def test_the_retire_page_keeps_the_group_when_none_is_chosen(
        self, org, member, workshop_a, login
    ):
        response = login(workshop_a).post(
            reverse("membership:member_retire", args=[member.pk]),
            {"retired_on": timezone.localdate().isoformat(), "to_group": ""},
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.is_retired and member.group == org.A1

    def test_the_member_page_offers_transfer_and_retire_to_the_workshop_union_only(
        self, org, member, workshop_a, leader_a1, login
    ):
        labels = [
            str(label)
            for label, _url in login(workshop_a)
            .get(reverse("groups:member_detail", args=[member.pk]))
            .context["links"]
        ]
        transfer_url = reverse("membership:transfer_create", args=[member.pk])
        urls = [
            url
            for _label, url in login(workshop_a)
            .get(reverse("groups:member_detail", args=[member.pk]))
            .context["links"]
        ]
        assert transfer_url in urls and len(labels) >= 2
        leader_urls = [
            url
            for _label, url in login(leader_a1)
            .get(reverse("groups:member_detail", args=[member.pk]))
            .context["links"]
        ]
        assert transfer_url not in leader_urls
