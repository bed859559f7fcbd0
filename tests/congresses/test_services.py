"""The congress services: every step of a session and every refusal."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from congresses import services
from congresses.models import (
    Attendance,
    CongressSettings,
    Level,
    MotionDecision,
    MotionSource,
    SessionStatus,
)
from rectifications.models import Kind, Rectification
from tests.factories import MemberFactory, UserFactory

from .conftest import present, today

pytestmark = pytest.mark.usefixtures("english")


def messages_of(error) -> str:
    return " ".join(error.value.messages)


# Terms and representatives ------------------------------------------------------------


def test_hq_records_the_enterprise_term_and_a_workshop_union_may_not(org, hq, ws_a):
    starts, ends = today(), today() + timedelta(days=365 * 5)
    with pytest.raises(PermissionDenied):
        services.term_create(
            by=ws_a, level=Level.ENTERPRISE, name="第十届", starts_on=starts, ends_on=ends
        )
    term = services.term_create(
        by=hq, level=Level.ENTERPRISE, name="第十届", starts_on=starts, ends_on=ends
    )
    assert term.workshop is None


def test_a_workshop_union_records_only_its_own_term(org, ws_a, hq):
    starts, ends = today(), today() + timedelta(days=365)
    with pytest.raises(PermissionDenied):
        services.term_create(
            by=ws_a, level=Level.WORKSHOP, workshop=org.b, name="x", starts_on=starts, ends_on=ends
        )
    with pytest.raises(PermissionDenied):  # HQ reads workshop terms, does not keep them
        services.term_create(
            by=hq, level=Level.WORKSHOP, workshop=org.a, name="x", starts_on=starts, ends_on=ends
        )


def test_terms_of_one_congress_cannot_overlap(workshop_term, ws_a, org):
    with pytest.raises(ValidationError) as error:
        services.term_create(
            by=ws_a,
            level=Level.WORKSHOP,
            workshop=org.a,
            name="第四届",
            starts_on=workshop_term.ends_on,
            ends_on=workshop_term.ends_on + timedelta(days=10),
        )
    assert "starts_on" in error.value.error_dict


def test_a_representative_once_per_term_and_from_the_terms_workshop(
    workshop_term, ws_a, org, enterprise_term, hq
):
    with pytest.raises(ValidationError) as error:
        services.representative_add(by=ws_a, term=workshop_term, member=org.members["A1"][0])
    assert "already" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        services.representative_add(by=ws_a, term=workshop_term, member=org.members["B1"][0])
    assert "member" in error.value.error_dict
    # a delegation of another term is refused
    other = enterprise_term.delegations.first()
    newcomer = MemberFactory(group=org.A2)
    with pytest.raises(ValidationError) as error:
        services.representative_add(by=ws_a, term=workshop_term, member=newcomer, delegation=other)
    assert "delegation" in error.value.error_dict


def test_a_leader_cannot_add_representatives(workshop_term, leader_a1, org):
    with pytest.raises(PermissionDenied):
        services.representative_add(
            by=leader_a1, term=workshop_term, member=MemberFactory(group=org.A1)
        )


def test_delegation_names_are_unique_in_a_term(enterprise_term, hq):
    with pytest.raises(ValidationError):
        services.delegation_add(by=hq, term=enterprise_term, name="锅炉车间代表团")


# Sessions: planning, declaring, approving ---------------------------------------------------------


def test_a_congress_needs_a_term_covering_its_date(org, ws_a):
    with pytest.raises(ValidationError) as error:
        services.session_create(
            by=ws_a,
            level=Level.WORKSHOP,
            workshop=org.a,
            title="职代会",
            planned_on=today(),
            agenda="议程",
        )
    assert "planned_on" in error.value.error_dict


def test_a_congress_belongs_to_the_term_of_its_date(congress, workshop_term):
    assert congress.term == workshop_term
    assert congress.status == SessionStatus.DRAFT


def test_who_plans_which_level(org, hq, ws_a, leader_a1, enterprise_term, workshop_term):
    common = {"title": "会", "planned_on": today(), "agenda": "议程"}
    with pytest.raises(PermissionDenied):
        services.session_create(by=ws_a, level=Level.ENTERPRISE, **common)
    with pytest.raises(PermissionDenied):
        services.session_create(by=hq, level=Level.WORKSHOP, workshop=org.a, **common)
    with pytest.raises(PermissionDenied):
        services.session_create(by=leader_a1, level=Level.GROUP, group=org.A2, **common)
    with pytest.raises(PermissionDenied):
        services.session_create(by=ws_a, level=Level.GROUP, group=org.A1, **common)
    assert services.session_create(by=hq, level=Level.ENTERPRISE, **common).term == (
        enterprise_term
    )
    meeting = services.session_create(by=leader_a1, level=Level.GROUP, group=org.A1, **common)
    assert meeting.workshop == org.a and meeting.term is None


def test_declare_then_approve(congress, ws_a, hq):
    services.session_declare(by=ws_a, session=congress)
    assert congress.status == SessionStatus.DECLARED and congress.declared_by == ws_a
    services.session_approve(by=hq, session=congress)
    congress.refresh_from_db()
    assert congress.status == SessionStatus.APPROVED and congress.approved_by == hq


def test_only_the_own_workshop_union_declares(congress, ws_b, hq, leader_a1):
    for user in (ws_b, hq, leader_a1):
        with pytest.raises(PermissionDenied):
            services.session_declare(by=user, session=congress)


def test_only_hq_approves(congress, ws_a):
    services.session_declare(by=ws_a, session=congress)
    with pytest.raises(PermissionDenied):
        services.session_approve(by=ws_a, session=congress)


def test_an_undeclared_congress_cannot_be_approved(congress, hq):
    with pytest.raises(ValidationError):
        services.session_approve(by=hq, session=congress)


def test_hq_returns_with_a_reason_and_the_union_declares_again(congress, ws_a, hq):
    services.session_declare(by=ws_a, session=congress)
    with pytest.raises(ValidationError) as error:
        services.session_return(by=hq, session=congress, reason=" ")
    assert "reason" in error.value.error_dict
    services.session_return(by=hq, session=congress, reason="议程缺少提案审议")
    assert congress.status == SessionStatus.DRAFT and congress.return_note == "议程缺少提案审议"
    services.session_update(
        by=ws_a,
        session=congress,
        title=congress.title,
        planned_on=congress.planned_on,
        agenda="一、工作报告\n二、审议提案\n三、表决",
    )
    services.session_declare(by=ws_a, session=congress)
    assert congress.status == SessionStatus.DECLARED and congress.return_note == ""


def test_a_group_meeting_or_enterprise_congress_is_not_declared(meeting, leader_a1):
    with pytest.raises(ValidationError):
        services.session_declare(by=leader_a1, session=meeting)


def test_declaring_after_the_planned_date_is_refused(congress, ws_a):
    congress.planned_on = today() - timedelta(days=1)
    congress.save()
    with pytest.raises(ValidationError) as error:
        services.session_declare(by=ws_a, session=congress)
    assert "planned_on" in error.value.error_dict


def test_declaring_too_late_for_the_days_ahead_in_the_rules(congress, ws_a):
    rules = CongressSettings.current()
    rules.declare_days_ahead = 14
    rules.save()
    with pytest.raises(ValidationError) as error:
        services.session_declare(by=ws_a, session=congress)
    assert "14" in messages_of(error)
    rules.declare_days_ahead = 10
    rules.save()
    services.session_declare(by=ws_a, session=congress)


def test_a_declared_congress_cannot_be_changed(congress, ws_a):
    services.session_declare(by=ws_a, session=congress)
    with pytest.raises(ValidationError):
        services.session_update(
            by=ws_a, session=congress, title="x", planned_on=congress.planned_on, agenda="y"
        )


# Attendance and quorum ------------------------------------------------------------


def test_a_workshop_congress_is_not_sat_before_approval(congress, ws_a, org):
    with pytest.raises(ValidationError) as error:
        present(congress, org.members["A1"], ws_a)
    assert "approved" in messages_of(error)
    services.session_declare(by=ws_a, session=congress)
    with pytest.raises(ValidationError):
        present(congress, org.members["A1"], ws_a)
    assert not Attendance.objects.filter(session=congress).exists()


def test_holding_a_workshop_congress_before_approval_is_refused(congress, ws_a, org):
    # even with the attendance somehow taken, holding checks the approval itself
    congress.attendance_taken_at = congress.created_at
    congress.expected_count, congress.present_count = 6, 6
    congress.save()
    with pytest.raises(ValidationError) as error:
        services.session_hold(by=ws_a, session=congress, held_on=today())
    assert "approved" in messages_of(error)


def test_expected_are_the_terms_representatives(approved, org):
    expected = set(services.expected_attendees(approved))
    assert expected == set(org.members["A1"] + org.members["A2"])


def test_expected_at_a_group_meeting_are_the_groups_current_members(meeting, org):
    from groups.models import Member

    Member.objects.filter(pk=org.members["A1"][2].pk).update(status="left", left_on=today())
    assert set(services.expected_attendees(meeting)) == set(org.members["A1"][:2])


def test_attendance_records_everybody_expected(approved, ws_a, org):
    here = org.members["A1"] + org.members["A2"][:1]
    present(approved, here, ws_a)
    assert approved.expected_count == 6 and approved.present_count == 4
    rows = dict(Attendance.objects.filter(session=approved).values_list("member_id", "present"))
    assert len(rows) == 6 and sum(rows.values()) == 4


def test_attendance_of_somebody_not_expected_is_refused(approved, ws_a, org):
    with pytest.raises(ValidationError) as error:
        present(approved, org.members["B1"][:1], ws_a)
    assert "present" in error.value.error_dict


def test_held_with_two_thirds_present(approved, ws_a, org):
    present(approved, org.members["A1"] + org.members["A2"][:1], ws_a)  # 4 of 6: 66.67 %
    services.session_hold(by=ws_a, session=approved, held_on=today())
    approved.refresh_from_db()
    assert approved.status == SessionStatus.HELD and approved.held_on == today()


def test_without_quorum_held_is_refused_and_only_failed_allowed(approved, ws_a, org):
    present(approved, org.members["A1"], ws_a)  # 3 of 6: 50 %
    with pytest.raises(ValidationError) as error:
        services.session_hold(by=ws_a, session=approved, held_on=today())
    text = messages_of(error)
    assert "No quorum" in text and "3 of 6" in text and "failed" in text
    services.session_fail(by=ws_a, session=approved, held_on=today())
    approved.refresh_from_db()
    assert approved.status == SessionStatus.FAILED


def test_failed_is_refused_when_the_quorum_is_present(approved, ws_a, org):
    present(approved, org.members["A1"] + org.members["A2"], ws_a)
    with pytest.raises(ValidationError):
        services.session_fail(by=ws_a, session=approved, held_on=today())


def test_the_quorum_is_data(approved, ws_a, org):
    rules = CongressSettings.current()
    rules.quorum_percent = 50
    rules.save()
    present(approved, org.members["A1"], ws_a)
    services.session_hold(by=ws_a, session=approved, held_on=today())
    assert approved.status == SessionStatus.HELD


def test_holding_needs_the_attendance_first(meeting, leader_a1):
    with pytest.raises(ValidationError) as error:
        services.session_hold(by=leader_a1, session=meeting)
    assert "attendance" in messages_of(error)


def test_a_session_is_not_recorded_before_its_day(approved, ws_a, org):
    present(approved, org.members["A1"] + org.members["A2"], ws_a)
    with pytest.raises(ValidationError) as error:
        services.session_hold(by=ws_a, session=approved)  # planned ten days ahead
    assert "held_on" in error.value.error_dict


def test_a_closed_session_keeps_its_attendance(held_meeting, leader_a1, org):
    with pytest.raises(ValidationError):
        present(held_meeting, org.members["A1"][:1], leader_a1)
    with pytest.raises(ValidationError):
        services.session_hold(by=leader_a1, session=held_meeting)


def test_only_the_groups_leader_records_its_meeting(meeting, ws_a, hq, leader_b1, org):
    for user in (ws_a, hq, leader_b1):
        with pytest.raises(PermissionDenied):
            present(meeting, org.members["A1"], user)


def test_hq_records_the_enterprise_congress(org, hq, enterprise_term):
    session = services.session_create(
        by=hq, level=Level.ENTERPRISE, title="职代会", planned_on=today(), agenda="议程"
    )
    present(session, org.members["A1"] + org.members["B1"][:1], hq)  # 4 of 6
    services.session_hold(by=hq, session=session)
    assert session.status == SessionStatus.HELD


# Motions ------------------------------------------------------------


def test_a_member_puts_a_motion_and_it_is_filed(approved, ws_a, org):
    motion = services.motion_add(
        by=ws_a,
        session=approved,
        source=MotionSource.MEMBER,
        proposer=org.members["A2"][0],
        title="改善澡堂条件",
        content="增加热水供应时间",
    )
    services.motion_decide(by=ws_a, motion=motion, decision=MotionDecision.FILED)
    motion.refresh_from_db()
    assert motion.decision == MotionDecision.FILED and motion.decided_by == ws_a


def test_not_filed_needs_a_reason(approved, ws_a, org):
    motion = services.motion_add(
        by=ws_a,
        session=approved,
        source=MotionSource.MEMBER,
        proposer=org.members["A2"][0],
        title="题",
        content="内容",
    )
    with pytest.raises(ValidationError) as error:
        services.motion_decide(by=ws_a, motion=motion, decision=MotionDecision.NOT_FILED)
    assert "reason" in error.value.error_dict
    services.motion_decide(
        by=ws_a, motion=motion, decision=MotionDecision.NOT_FILED, reason="属个人诉求"
    )
    with pytest.raises(ValidationError):  # decided once
        services.motion_decide(by=ws_a, motion=motion, decision=MotionDecision.FILED)


def test_a_representative_motion_needs_a_representative(approved, ws_a, org):
    outsider = MemberFactory(group=org.A2)  # joined after the election
    with pytest.raises(ValidationError) as error:
        services.motion_add(
            by=ws_a,
            session=approved,
            source=MotionSource.REPRESENTATIVE,
            proposer=outsider,
            title="题",
            content="内容",
        )
    assert "proposer" in error.value.error_dict
    services.motion_add(
        by=ws_a,
        session=approved,
        source=MotionSource.REPRESENTATIVE,
        proposer=org.members["A1"][0],
        title="题",
        content="内容",
    )


def test_a_motion_needs_a_proposer_title_and_content(approved, ws_a, org):
    with pytest.raises(ValidationError) as error:
        services.motion_add(by=ws_a, session=approved, source=MotionSource.MEMBER)
    assert "proposer" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.motion_add(
            by=ws_a,
            session=approved,
            source=MotionSource.MEMBER,
            proposer=org.members["A1"][0],
            title="",
            content="x",
        )
    assert "title" in error.value.error_dict


def test_a_proposer_of_another_workshop_is_refused(approved, ws_a, org):
    with pytest.raises(ValidationError) as error:
        services.motion_add(
            by=ws_a,
            session=approved,
            source=MotionSource.MEMBER,
            proposer=org.members["B1"][0],
            title="题",
            content="内容",
        )
    assert "proposer" in error.value.error_dict


def test_a_failed_session_takes_no_motions(approved, ws_a, org):
    present(approved, org.members["A1"][:1], ws_a)
    services.session_fail(by=ws_a, session=approved, held_on=today())
    with pytest.raises(ValidationError):
        services.motion_add(
            by=ws_a,
            session=approved,
            source=MotionSource.MEMBER,
            proposer=org.members["A1"][0],
            title="题",
            content="内容",
        )


def _adopted_suggestion(org, ws_a, leader_a1):
    from improvements import services as improvements

    suggestion = improvements.improvement_file(
        by=leader_a1,
        member=org.members["A1"][1],
        title="锅炉给水泵加装变频器",
        problem="水泵长期满负荷运行，耗电大",
        proposal="给水泵加装变频调速装置",
        expected_effect="年节电约十万度",
    )
    improvements.improvement_adopt(
        by=ws_a,
        improvement=suggestion,
        responsible="锅炉车间机电组",
        due_on=today() + timedelta(days=60),
    )
    return suggestion


def test_an_adopted_suggestion_becomes_a_motion_once(approved, ws_a, leader_a1, org):
    suggestion = _adopted_suggestion(org, ws_a, leader_a1)
    assert suggestion in services.improvement_choices(user=ws_a, session=approved)
    motion = services.motion_add(
        by=ws_a, session=approved, source=MotionSource.IMPROVEMENT, improvement=suggestion
    )
    assert motion.proposer == suggestion.member
    assert motion.title == suggestion.title and motion.content == suggestion.proposal
    assert suggestion not in services.improvement_choices(user=ws_a, session=approved)
    with pytest.raises(ValidationError) as error:
        services.motion_add(
            by=ws_a, session=approved, source=MotionSource.IMPROVEMENT, improvement=suggestion
        )
    assert "improvement" in error.value.error_dict


def test_a_suggestion_motion_needs_the_suggestion(approved, ws_a):
    with pytest.raises(ValidationError) as error:
        services.motion_add(by=ws_a, session=approved, source=MotionSource.IMPROVEMENT)
    assert "improvement" in error.value.error_dict


# Resolutions ------------------------------------------------------------


@pytest.fixture
def held_congress(approved, ws_a, org):
    present(approved, org.members["A1"] + org.members["A2"], ws_a)
    return services.session_hold(by=ws_a, session=approved, held_on=today())


def test_a_resolution_raises_its_rectification_item(held_congress, ws_a, org):
    owner = UserFactory(role=Role.GROUP_LEADER, group=org.A2)
    resolution = services.resolution_add(
        by=ws_a,
        session=held_congress,
        text="年底前完成澡堂热水改造",
        owner_department="锅炉车间机电组",
        owner_user=owner,
        due_on=today() + timedelta(days=30),
    )
    item = Rectification.objects.get()
    assert item.kind == Kind.RESOLUTION and item.source == resolution
    assert item.workshop == org.a and item.group is None
    assert item.owner_department == "锅炉车间机电组" and item.owner_user == owner
    assert item.raised_by == ws_a and item.due_on == resolution.due_on


def test_a_resolution_without_an_owner_is_refused(held_congress, ws_a):
    with pytest.raises(ValidationError) as error:
        services.resolution_add(
            by=ws_a,
            session=held_congress,
            text="决议",
            owner_department=" ",
            due_on=today(),
        )
    assert "owner_department" in error.value.error_dict
    assert not Rectification.objects.exists()


def test_a_resolution_needs_a_due_date_and_text(held_congress, ws_a):
    with pytest.raises(ValidationError) as error:
        services.resolution_add(
            by=ws_a, session=held_congress, text="", owner_department="机电组", due_on=None
        )
    assert {"text", "due_on"} <= set(error.value.error_dict)


def test_a_resolution_only_on_a_held_session(approved, ws_a):
    with pytest.raises(ValidationError) as error:
        services.resolution_add(
            by=ws_a, session=approved, text="决议", owner_department="机电组", due_on=today()
        )
    assert "held" in messages_of(error)


def test_a_group_meetings_resolution_is_the_groups_item(held_meeting, leader_a1, org):
    services.resolution_add(
        by=leader_a1,
        session=held_meeting,
        text="每月公开班组奖金分配",
        owner_department="运行一班",
        due_on=today() + timedelta(days=7),
    )
    item = Rectification.objects.get()
    assert item.group == org.A1 and item.workshop == org.a
    assert item.owner_user == leader_a1  # the leader reports on their meeting's resolution


def test_an_enterprise_resolution_names_the_workshop_union(org, hq, enterprise_term):
    session = services.session_create(
        by=hq, level=Level.ENTERPRISE, title="职代会", planned_on=today(), agenda="议程"
    )
    present(session, org.members["A1"] + org.members["B1"], hq)
    services.session_hold(by=hq, session=session)
    with pytest.raises(ValidationError) as error:
        services.resolution_add(
            by=hq, session=session, text="决议", owner_department="机电科", due_on=today()
        )
    assert "workshop" in error.value.error_dict
    services.resolution_add(
        by=hq,
        session=session,
        text="决议",
        owner_department="机电科",
        due_on=today(),
        workshop=org.b,
    )
    assert Rectification.objects.get().workshop == org.b


def test_a_resolution_is_not_recorded_by_hq_for_a_workshop_congress(held_congress, hq):
    with pytest.raises(PermissionDenied):
        services.resolution_add(
            by=hq, session=held_congress, text="决议", owner_department="机电组", due_on=today()
        )


# Minutes and photos ------------------------------------------------------------


def test_minutes_once_the_session_has_sat(meeting, held_meeting, leader_a1):
    services.minutes_save(by=leader_a1, session=held_meeting, minutes="会议讨论了奖金分配")
    held_meeting.refresh_from_db()
    assert held_meeting.minutes == "会议讨论了奖金分配"


def test_minutes_of_a_session_not_yet_sat_are_refused(meeting, leader_a1):
    with pytest.raises(ValidationError):
        services.minutes_save(by=leader_a1, session=meeting, minutes="x")


def test_a_photo_must_be_a_picture(held_meeting, leader_a1):
    from tests import files

    with pytest.raises(ValidationError) as error:
        services.photo_add(by=leader_a1, session=held_meeting, photo=files.pdf())
    assert "photo" in error.value.error_dict
    photo = services.photo_add(by=leader_a1, session=held_meeting, photo=files.jpeg())
    assert photo.mime == "image/jpeg" and photo.thumbnail


def test_a_representative_is_taken_off_the_term_by_its_keeper(workshop_term, ws_a, ws_b, org):
    from congresses.models import Representative

    representative = Representative.objects.get(term=workshop_term, member=org.members["A1"][0])
    with pytest.raises(PermissionDenied):
        services.representative_remove(by=ws_b, representative=representative)
    services.representative_remove(by=ws_a, representative=representative)
    assert not workshop_term.representatives.filter(member=org.members["A1"][0]).exists()
