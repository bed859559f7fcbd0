"""The rules that keep congress records consistent: the day a session sat, one motion per
suggestion, resolutions from filed motions, the members' 职工代表 mark, one rule of
"closed on time", and the refusals a race between two requests ends in."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from congresses import services
from congresses.models import (
    CongressSettings,
    Delegation,
    Level,
    Motion,
    MotionDecision,
    MotionSource,
    Representative,
    Session,
    SessionStatus,
    Term,
)
from groups.models import Member
from improvements.models import Improvement
from rectifications.models import Rectification, RectificationQuerySet
from tests.factories import MemberFactory

from .conftest import present, today
from .test_services import _adopted_suggestion, messages_of

pytestmark = pytest.mark.usefixtures("english")


def _moment(day):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


# The day a session sat ------------------------------------------------------------


def test_a_workshop_congress_did_not_sit_before_hq_approved_it(approved, ws_a, org):
    approved_on = today() - timedelta(days=5)
    Session.objects.filter(pk=approved.pk).update(
        created_at=_moment(today() - timedelta(days=30)), approved_at=_moment(approved_on)
    )
    present(approved, org.members["A1"] + org.members["A2"], ws_a)
    with pytest.raises(ValidationError) as error:
        services.session_hold(by=ws_a, session=approved, held_on=approved_on - timedelta(days=1))
    assert "held_on" in error.value.error_dict and "approved" in messages_of(error)
    assert Session.objects.get(pk=approved.pk).status == SessionStatus.APPROVED
    services.session_hold(by=ws_a, session=approved, held_on=approved_on)  # the boundary
    assert Session.objects.get(pk=approved.pk).held_on == approved_on


def test_a_session_did_not_sit_before_it_was_planned(meeting, leader_a1, org):
    present(meeting, org.members["A1"], leader_a1)  # planned today, for today
    with pytest.raises(ValidationError) as error:
        services.session_hold(by=leader_a1, session=meeting, held_on=today() - timedelta(days=1))
    assert "held_on" in error.value.error_dict and "planned" in messages_of(error)
    with pytest.raises(ValidationError):
        services.session_fail(by=leader_a1, session=meeting, held_on=today() - timedelta(days=1))
    services.session_hold(by=leader_a1, session=meeting, held_on=today())


def test_a_meeting_recorded_after_the_fact_sat_on_its_planned_day_not_before(org, leader_a1):
    week_ago = today() - timedelta(days=7)
    meeting = services.session_create(
        by=leader_a1,
        level=Level.GROUP,
        group=org.A1,
        title="民主会",
        planned_on=week_ago,
        agenda="议程",
    )
    present(meeting, org.members["A1"], leader_a1)
    with pytest.raises(ValidationError) as error:
        services.session_hold(by=leader_a1, session=meeting, held_on=week_ago - timedelta(days=1))
    assert "held_on" in error.value.error_dict
    services.session_hold(by=leader_a1, session=meeting, held_on=week_ago)
    assert meeting.held_on == week_ago


def test_a_congress_sat_within_its_term(org, hq):
    term = services.term_create(
        by=hq,
        level=Level.ENTERPRISE,
        name="第九届",
        starts_on=today() - timedelta(days=100),
        ends_on=today() - timedelta(days=1),
    )
    for member in org.members["A1"]:
        services.representative_add(by=hq, term=term, member=member)
    session = services.session_create(
        by=hq,
        level=Level.ENTERPRISE,
        title="职代会",
        planned_on=today() - timedelta(days=5),
        agenda="议程",
    )
    present(session, org.members["A1"], hq)
    with pytest.raises(ValidationError) as error:
        services.session_hold(by=hq, session=session, held_on=today())  # the day after
    assert "held_on" in error.value.error_dict and "term" in messages_of(error)
    services.session_hold(by=hq, session=session, held_on=term.ends_on)  # its last day
    assert session.status == SessionStatus.HELD


# One motion per suggestion ------------------------------------------------------------


def test_a_suggestion_taken_by_a_racing_request_is_refused_with_a_message(
    approved, ws_a, leader_a1, org, monkeypatch
):
    """The other request commits its motion after this one's checks passed: the database
    constraint refuses the second, and the service says so next to the field."""
    suggestion = _adopted_suggestion(org, ws_a, leader_a1)
    original = Motion.full_clean

    def racing(self, *args, **kwargs):
        original(self, *args, **kwargs)
        monkeypatch.setattr(Motion, "full_clean", original)
        Motion.objects.create(
            session=approved,
            source=MotionSource.IMPROVEMENT,
            proposer=suggestion.member,
            improvement=suggestion,
            title="另一请求",
            content="同时提交",
            recorded_by=ws_a,
        )

    monkeypatch.setattr(Motion, "full_clean", racing)
    with pytest.raises(ValidationError) as error:
        services.motion_add(
            by=ws_a, session=approved, source=MotionSource.IMPROVEMENT, improvement=suggestion
        )
    assert "improvement" in error.value.error_dict


def test_the_checks_run_under_locks(approved, ws_a, leader_a1, org, hq, monkeypatch):
    """The suggestion, the term and the congress rules are locked before the checks (on
    PostgreSQL: SELECT … FOR UPDATE; the spy records the models locked)."""
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    suggestion = _adopted_suggestion(org, ws_a, leader_a1)
    services.motion_add(
        by=ws_a, session=approved, source=MotionSource.IMPROVEMENT, improvement=suggestion
    )
    assert Improvement in locked
    locked.clear()
    services.delegation_add(by=ws_a, term=approved.term, name="一班代表组")
    assert Term in locked
    locked.clear()
    services.term_create(
        by=hq,
        level=Level.ENTERPRISE,
        name="第十一届",
        starts_on=today(),
        ends_on=today() + timedelta(days=100),
    )
    assert CongressSettings in locked


def test_a_racing_duplicate_delegation_is_refused_with_a_message(workshop_term, ws_a, monkeypatch):
    original = Delegation.full_clean

    def racing(self, *args, **kwargs):
        original(self, *args, **kwargs)
        monkeypatch.setattr(Delegation, "full_clean", original)
        Delegation.objects.create(term=workshop_term, name=self.name)

    monkeypatch.setattr(Delegation, "full_clean", racing)
    with pytest.raises(ValidationError) as error:
        services.delegation_add(by=ws_a, term=workshop_term, name="运行代表组")
    assert "name" in error.value.error_dict


def test_a_racing_duplicate_representative_is_refused_with_a_message(
    workshop_term, ws_a, org, monkeypatch
):
    newcomer = MemberFactory(group=org.A2)
    original = Representative.full_clean

    def racing(self, *args, **kwargs):
        original(self, *args, **kwargs)
        monkeypatch.setattr(Representative, "full_clean", original)
        Representative.objects.create(term=workshop_term, member=newcomer)

    monkeypatch.setattr(Representative, "full_clean", racing)
    with pytest.raises(ValidationError) as error:
        services.representative_add(by=ws_a, term=workshop_term, member=newcomer)
    assert "member" in error.value.error_dict


# Resolutions come from filed motions ------------------------------------------------------------


def _motion(session, by, org, title="题"):
    return services.motion_add(
        by=by,
        session=session,
        source=MotionSource.MEMBER,
        proposer=org.members["A1"][0],
        title=title,
        content="内容",
    )


def test_a_resolution_only_from_a_filed_motion(held_meeting, leader_a1, org):
    undecided = _motion(held_meeting, leader_a1, org, "未处理")
    refused = _motion(held_meeting, leader_a1, org, "不立案")
    services.motion_decide(
        by=leader_a1, motion=refused, decision=MotionDecision.NOT_FILED, reason="属个人诉求"
    )
    filed = _motion(held_meeting, leader_a1, org, "立案")
    services.motion_decide(by=leader_a1, motion=filed, decision=MotionDecision.FILED)
    common = {"text": "决议", "owner_department": "运行一班", "due_on": today()}
    for motion in (undecided, refused):
        with pytest.raises(ValidationError) as error:
            services.resolution_add(
                by=leader_a1,
                session=held_meeting,
                motion=Motion.objects.get(pk=motion.pk),
                **common,
            )
        assert "motion" in error.value.error_dict
    assert not Rectification.objects.exists()
    resolution = services.resolution_add(by=leader_a1, session=held_meeting, motion=filed, **common)
    assert resolution.motion == filed


# The members' 职工代表 mark ------------------------------------------------------------


def _flag(member) -> bool:
    return Member.objects.get(pk=member.pk).is_worker_representative


def test_a_representative_of_a_current_term_is_marked(enterprise_term, org):
    assert all(_flag(m) for m in org.members["A1"] + org.members["B1"])
    assert not any(_flag(m) for m in org.members["A2"])


def test_a_representative_of_a_term_not_yet_begun_is_not_marked(org, hq):
    term = services.term_create(
        by=hq,
        level=Level.ENTERPRISE,
        name="第十一届",
        starts_on=today() + timedelta(days=30),
        ends_on=today() + timedelta(days=400),
    )
    member = org.members["A2"][0]
    services.representative_add(by=hq, term=term, member=member)
    assert not _flag(member)


def test_taken_off_the_last_current_term_the_mark_goes(
    enterprise_term, workshop_term, org, hq, ws_a
):
    both = org.members["A1"][0]  # in the enterprise's and A's terms
    only_a = org.members["A2"][0]  # in A's term only
    assert _flag(both) and _flag(only_a)
    services.representative_remove(
        by=ws_a, representative=Representative.objects.get(term=workshop_term, member=both)
    )
    assert _flag(both)  # still the enterprise's representative
    services.representative_remove(
        by=hq, representative=Representative.objects.get(term=enterprise_term, member=both)
    )
    assert not _flag(both)
    services.representative_remove(
        by=ws_a, representative=Representative.objects.get(term=workshop_term, member=only_a)
    )
    assert not _flag(only_a)
    assert Member.history.filter(id=only_a.pk, is_worker_representative=False).exists()


def test_the_member_page_shows_the_mark(enterprise_term, ws_a, org, login_en):
    member = org.members["A1"][0]
    page = login_en(ws_a).get(f"/members/{member.pk}/").content.decode()
    assert "representative</dt><dd>Yes</dd>" in page


# The role and the labels ------------------------------------------------------------


def test_a_representative_without_a_role_is_a_plain_representative(workshop_term, ws_a, org):
    member = MemberFactory(group=org.A2)
    representative = services.representative_add(by=ws_a, term=workshop_term, member=member)
    assert representative.role == ""
    assert representative.role_display == "Representative"
    chief = services.representative_add(
        by=ws_a, term=workshop_term, member=MemberFactory(group=org.A2), role=" 团长 "
    )
    assert chief.role_display == "团长"


def test_the_motion_decisions_have_their_own_context():
    from django.utils.translation import pgettext

    for choice in (MotionDecision.FILED, MotionDecision.NOT_FILED):
        assert str(choice.label) == pgettext("motion decision", str(choice.label))
        assert choice.label._args[0] == "motion decision"  # pgettext_lazy(context, msgid)


# One rule of "closed on time" ------------------------------------------------------------


def test_closed_on_time_is_one_rule(held_meeting, leader_a1, hq, org):
    from .test_figures import _close

    due = today() - timedelta(days=3)
    items = []
    for i in range(4):
        services.resolution_add(
            by=leader_a1,
            session=held_meeting,
            text=f"决议{i}",
            owner_department="运行一班",
            due_on=due,
        )
        items.append(Rectification.objects.order_by("-pk").first())
    _close(items[0], leader_a1, hq, due)  # on the due date: on time
    _close(items[1], leader_a1, hq, due - timedelta(days=1))  # early: on time
    _close(items[2], leader_a1, hq, due + timedelta(days=1))  # late
    # items[3] stays open
    rows = list(Rectification.objects.all())
    by_property = {r.pk for r in rows if r.closed_on_time}
    assert by_property == {items[0].pk, items[1].pk}
    assert set(Rectification.objects.closed_on_time().values_list("pk", flat=True)) == (by_property)
    assert (
        set(
            Rectification.objects.filter(RectificationQuerySet.ON_TIME_Q).values_list(
                "pk", flat=True
            )
        )
        == by_property
    )
