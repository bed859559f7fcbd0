"""The 会员实名制 registration: the identity number fills and checks the birth date and
gender, the lists are data, and the identity number and 户籍 are seen (and logged) only
by those entitled."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups import services
from groups.idnumbers import check_digit, gender_of, normalise, validate_id_number
from groups.models import PersonalAccess
from tests.factories import UserFactory, leader_user, workshop_user

# Born 1985-03-02, a man (odd 17th digit).
MAN = "370802198503021230"
# An old 15-digit number of the same man (no century, no check digit).
OLD_MAN = "370802850302123"


def test_a_15_digit_number_is_converted_to_its_18_digit_form():
    converted = normalise(OLD_MAN)
    assert converted == "37080219850302123" + check_digit("37080219850302123") == MAN
    validate_id_number(OLD_MAN)


def test_gender_is_read_from_the_17th_digit():
    assert gender_of(MAN) == "M"
    assert gender_of("11010519491231002X") == "F"


class TestEnrolling:
    def test_birth_date_and_gender_come_from_the_identity_number(self, org, hq):
        member = services.member_create(
            by=hq, employee_no="T1", name="张三", group=org.A1, id_number=OLD_MAN
        )
        assert (member.id_number, member.birth_date, member.gender) == (
            MAN,
            date(1985, 3, 2),
            "M",
        )

    def test_entered_values_that_disagree_are_refused_by_field(self, org, hq):
        with pytest.raises(ValidationError) as error:
            services.member_create(
                by=hq,
                employee_no="T2",
                name="李四",
                group=org.A1,
                id_number=MAN,
                gender="F",
                birth_date=date(1985, 3, 3),
            )
        assert set(error.value.message_dict) == {"birth_date", "gender"}

    def test_a_wrong_check_digit_is_refused_next_to_the_field(self, org, hq):
        with pytest.raises(ValidationError) as error:
            services.member_create(
                by=hq,
                employee_no="T3",
                name="王五",
                gender="M",
                group=org.A1,
                id_number=MAN[:-1] + "9",
            )
        assert list(error.value.message_dict) == ["id_number"]

    def test_two_members_cannot_share_an_identity_number(self, org, hq):
        services.member_create(by=hq, employee_no="T4", name="赵六", group=org.A1, id_number=MAN)
        with pytest.raises(ValidationError) as error:
            services.member_create(
                by=hq, employee_no="T5", name="钱七", group=org.A1, id_number=OLD_MAN
            )
        assert "id_number" in str(error.value) or "__all__" in error.value.message_dict

    def test_a_model_worker_title_marks_the_model_worker(self, org, hq):
        from groups.models import MemberOption

        title = MemberOption.objects.get(option_list="model_worker", name="企业劳动模范")
        member = services.member_create(
            by=hq,
            employee_no="T6",
            name="孙八",
            gender="M",
            group=org.A1,
            model_worker_level=title,
        )
        assert member.is_model_worker

    def test_the_form_takes_the_lists_entries_and_leaves_the_gender_to_the_number(
        self, org, hq, login
    ):
        from groups.models import Member, MemberOption

        party = MemberOption.objects.get(option_list="political", name="中共党员")
        response = login(hq).post(
            reverse("groups:member_create"),
            {
                "employee_no": "T7",
                "name": "周九",
                "group": org.A1.pk,
                "id_number": MAN,
                "political_status": party.pk,
                "hukou_type": "rural",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        member = Member.objects.get(employee_no="T7")
        assert (member.gender, member.political_status, member.hukou_type) == ("M", party, "rural")


@pytest.fixture
def registered(org, hq):
    member = org.members["A1"][0]
    member.birth_date = None
    member.gender = ""
    member.id_number = MAN
    member.hukou_type = "rural"
    member.full_clean()
    member.save()
    return member


class TestPersonalDetails:
    """The welfare details' rule: HQ's welfare staff and the member's workshop union."""

    @pytest.mark.parametrize(
        ("who", "sees"),
        [
            ("welfare_hq", True),
            ("hq", False),
            ("workshop_own", True),
            ("leader_own", False),
        ],
    )
    def test_who_sees_the_identity_number(self, org, registered, login, who, sees):
        user = {
            "welfare_hq": lambda: UserFactory(role="hq", handles_welfare=True),
            "hq": lambda: UserFactory(role="hq"),
            "workshop_own": lambda: workshop_user(org.a),
            "leader_own": lambda: leader_user(org.A1),
        }[who]()
        page = login(user).get(reverse("groups:member_detail", args=[registered.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert (MAN in text) is sees
        logged = PersonalAccess.objects.filter(user=user, member=registered, action="view")
        assert logged.exists() is sees
        edit = login(user).get(reverse("groups:member_edit", args=[registered.pk]))
        assert (MAN in edit.content.decode()) is sees
        assert ('name="hukou_type"' in edit.content.decode()) is sees

    def test_the_history_hides_the_number_from_those_not_entitled(self, org, registered, login):
        plain_hq = UserFactory(role="hq")
        welfare_hq = UserFactory(role="hq", handles_welfare=True)
        registered.id_number = "11010519491231002X"
        registered.birth_date = None
        registered.gender = ""
        registered.full_clean()
        registered.save()
        plain = login(plain_hq).get(reverse("groups:member_detail", args=[registered.pk]))
        assert "11010519491231002X" not in plain.content.decode()
        assert MAN not in plain.content.decode()
        full = login(welfare_hq).get(reverse("groups:member_detail", args=[registered.pk]))
        assert MAN in full.content.decode()

    def test_the_log_cannot_be_changed(self, org, registered, hq):
        entry = services.personal_access_log(user=hq, action="view", member=registered)
        with pytest.raises(PermissionError):
            entry.save()
        with pytest.raises(PermissionError):
            PersonalAccess.objects.all().delete()

    def test_the_admin_site_leaves_the_number_out_for_hq_without_the_flag(
        self, org, registered, login
    ):
        from accounts.services import hq_group_sync_permissions, user_sync_access

        plain_hq = UserFactory(role="hq")
        hq_group_sync_permissions()
        user_sync_access(user=plain_hq)
        page = login(plain_hq).get(f"/admin/groups/member/{registered.pk}/change/")
        assert page.status_code == 200
        assert MAN not in page.content.decode()
