"""Member logins: a one-time code issued by those who change the member's details, then
the member's own password; wrong codes lock the number and the address for a while."""

from datetime import timedelta

import pytest
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from groups.models import MemberStatus
from portal import services
from portal.codes import ALPHABET, CODE_LENGTH, code_hash
from portal.models import ActivationCode, ActivationFailure, LoginEvent, PortalSettings
from tests.factories import leader_user, member_user, workshop_user

GOOD_PASSWORD = "Hongqi-Road-2026"


@pytest.fixture
def member(org):
    return org.members["A1"][0]


def activate(member, code, password=GOOD_PASSWORD, username="", address="10.0.0.1"):
    return services.member_login_activate(
        employee_no=member.employee_no,
        code=code,
        password=password,
        username=username,
        address=address,
    )


def refusal(**kwargs) -> str:
    with pytest.raises(services.ActivationRefused) as refused:
        services.member_login_activate(
            password=GOOD_PASSWORD, address=kwargs.pop("address", "10.0.0.1"), **kwargs
        )
    return refused.value.code


def test_a_code_is_short_unambiguous_and_kept_only_as_a_hash(member, leader_a1):
    record, code = services.member_login_code_issue(member=member, by=leader_a1)
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    assert not set(code) & set("01OIL")
    assert record.code_hash == code_hash(member.pk, code) and code not in record.code_hash
    # Issuing is recorded: by whom and when.
    assert record.issued_by == leader_a1
    event = LoginEvent.objects.get(member=member)
    assert (event.kind, event.by) == (LoginEvent.Kind.ISSUED, leader_a1)


def test_a_code_lasts_the_days_hq_sets(member, hq):
    PortalSettings(code_valid_days=3).save()
    before = timezone.now()
    record, _code = services.member_login_code_issue(member=member, by=hq)
    assert before + timedelta(days=3) <= record.expires_at <= timezone.now() + timedelta(days=3)


def test_those_who_change_the_member_issue_codes_and_nobody_else(org, member, hq, workshop_a):
    services.member_login_code_issue(member=member, by=hq)
    services.member_login_code_issue(member=member, by=workshop_a)
    services.member_login_code_issue(member=member, by=leader_user(org.A1))
    for outsider in (leader_user(org.A2), workshop_user(org.b), member_user(org.members["A1"][1])):
        with pytest.raises(PermissionDenied):
            services.member_login_code_issue(member=member, by=outsider)


def test_a_member_who_left_gets_no_code(member, hq):
    member.status = MemberStatus.LEFT
    member.left_on = timezone.localdate()
    member.save()
    with pytest.raises(ValidationError):
        services.member_login_code_issue(member=member, by=hq)


def test_activation_opens_the_login_with_the_employee_no_and_the_members_password(member, hq):
    _record, code = services.member_login_code_issue(member=member, by=hq)
    user = activate(member, code.lower())  # typed in small letters: forgiven
    member.refresh_from_db()
    assert member.user == user
    assert user.username == member.employee_no and user.name == member.name
    assert user.check_password(GOOD_PASSWORD)
    assert ActivationCode.objects.get(member=member).used_at is not None
    assert [g.role for g in user.grants] == [Role.MEMBER]
    grant = user.grants[0]
    assert (grant.group_id, grant.member_id) == (member.group_id, member.pk)


def test_the_member_may_choose_another_username_but_not_a_taken_one(org, member, hq):
    taken = org.members["A1"][1]
    member_user(taken, username="zhangsan")
    _record, code = services.member_login_code_issue(member=member, by=hq)
    with pytest.raises(ValidationError) as error:
        activate(member, code, username="zhangsan")
    assert "username" in error.value.message_dict
    user = activate(member, code, username="lisi")
    assert user.username == "lisi"


def test_a_weak_password_is_refused_next_to_the_field_and_the_code_stays_usable(member, hq):
    _record, code = services.member_login_code_issue(member=member, by=hq)
    for weak in ("12345678901", "short1A!", member.employee_no + "aA"):
        with pytest.raises(ValidationError) as error:
            activate(member, code, password=weak)
        assert list(error.value.message_dict) == ["password"]
    assert ActivationCode.objects.get(member=member).used_at is None
    assert not ActivationFailure.objects.exists()  # the code was right: no failure counted
    activate(member, code)


def test_a_code_is_used_once(member, hq):
    _record, code = services.member_login_code_issue(member=member, by=hq)
    activate(member, code)
    assert refusal(employee_no=member.employee_no, code=code) == "used"


def test_a_new_code_voids_the_one_before(member, hq, leader_a1):
    _first, old = services.member_login_code_issue(member=member, by=hq)
    _second, new = services.member_login_code_issue(member=member, by=leader_a1)
    assert ActivationCode.objects.live().filter(member=member).count() == 1
    assert refusal(employee_no=member.employee_no, code=old) == "replaced"
    activate(member, new)


def test_an_expired_code_is_refused(member, hq):
    record, code = services.member_login_code_issue(member=member, by=hq)
    ActivationCode.objects.filter(pk=record.pk).update(expires_at=timezone.now())
    assert refusal(employee_no=member.employee_no, code=code) == "expired"


def test_an_unknown_employee_no_and_a_wrong_code_get_the_same_answer(org, member, hq):
    services.member_login_code_issue(member=member, by=hq)
    answers = []
    for employee_no, code in (("99999999", "ABCDEFGH"), (member.employee_no, "ABCDEFGH")):
        with pytest.raises(services.ActivationRefused) as refused:
            services.member_login_activate(
                employee_no=employee_no, code=code, password=GOOD_PASSWORD, address="10.0.0.1"
            )
        answers.append((refused.value.code, refused.value.messages))
    assert answers[0] == answers[1]
    assert answers[0][0] == services.NO_MATCH
    # A member without any code answers the same too.
    other = org.members["A1"][1]
    assert refusal(employee_no=other.employee_no, code="ABCDEFGH") == services.NO_MATCH


def test_wrong_codes_lock_the_employee_no_then_the_lock_lapses(member, hq):
    PortalSettings(failure_limit=3, lock_minutes=15).save()
    _record, code = services.member_login_code_issue(member=member, by=hq)
    for n in range(3):
        address = f"10.0.1.{n}"  # from three addresses: the number's own count locks
        assert refusal(employee_no=member.employee_no, code="XXXXXXXX", address=address) == (
            services.NO_MATCH
        )
    # Locked: even the right code is refused now.
    assert refusal(employee_no=member.employee_no, code=code, address="10.0.2.1") == "locked"
    ActivationFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    activate(member, code, address="10.0.2.1")
    assert not ActivationFailure.objects.filter(employee_no=member.employee_no).exists()


def test_wrong_codes_from_one_address_lock_that_address_for_every_number(org, member, hq):
    PortalSettings(failure_limit=5, address_failure_limit=4).save()
    _record, code = services.member_login_code_issue(member=member, by=hq)
    guesses = [m.employee_no for m in org.members["B1"]] + ["70000001"]
    for employee_no in guesses:
        refusal(employee_no=employee_no, code="XXXXXXXX", address="10.9.9.9")
    assert refusal(employee_no=member.employee_no, code=code, address="10.9.9.9") == "locked"
    activate(member, code, address="10.9.9.8")  # another address is not locked


def test_disabling_stops_the_login_and_a_new_code_opens_it_again(member, leader_a1):
    _record, code = services.member_login_code_issue(member=member, by=leader_a1)
    user = activate(member, code)
    _record, pending = services.member_login_code_issue(member=member, by=leader_a1)
    services.member_login_disable(member=member, by=leader_a1)
    user.refresh_from_db()
    assert not user.is_active
    assert not ModelBackend().user_can_authenticate(user)
    assert refusal(employee_no=member.employee_no, code=pending) == "replaced"
    with pytest.raises(ValidationError):
        services.member_login_disable(member=member, by=leader_a1)  # not in use any more
    _record, code = services.member_login_code_issue(member=member, by=leader_a1)
    again = activate(member, code, password="Another-Road-2027")
    assert again.pk == user.pk and again.is_active


def test_only_those_who_change_the_member_disable_the_login(org, member, leader_a1):
    member_user(member)
    with pytest.raises(PermissionDenied):
        services.member_login_disable(member=member, by=leader_user(org.B1))


def test_a_group_is_issued_codes_for_members_without_a_login_in_use(org, leader_a1):
    with_login = org.members["A1"][0]
    member_user(with_login)
    issued = services.member_login_codes_issue(group=org.A1, by=leader_a1)
    assert [m for m, _r, _c in issued] == sorted(org.members["A1"][1:], key=lambda m: m.employee_no)
    with pytest.raises(PermissionDenied):
        services.member_login_codes_issue(group=org.A2, by=leader_a1)


def test_a_member_who_leaves_loses_the_member_role(member, hq):
    user = member_user(member)
    assert [g.role for g in user.grants] == [Role.MEMBER]
    member.status = MemberStatus.LEFT
    member.left_on = timezone.localdate()
    member.save()
    user.forget_grants()
    assert user.grants == ()
