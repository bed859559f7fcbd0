"""The six steps and their refusals, the feedback forms, the rectification raised from an
answer."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from disclosures import services
from disclosures.models import Disclosure, Feedback, IdentityLook, Level, Status
from rectifications.models import Rectification
from tests import files
from tests.factories import leader_user

from .conftest import posted, propose, reviewed, today

pytestmark = pytest.mark.django_db


# 1 提出 -------------------------------------------------------------------------------------


def test_a_leader_proposes_their_groups_disclosure(org, people, category):
    d = propose(people["leader_a1"], category, group=org.A1)
    assert d.status == Status.PROPOSED
    assert (d.workshop_id, d.group_id) == (org.a.pk, org.A1.pk)
    assert d.proposed_by == people["leader_a1"]


@pytest.mark.parametrize("who", ["leader_b1", "ws_a", "hq", "member_a1"])
def test_only_the_groups_leader_proposes_its_disclosure(org, people, category, who):
    with pytest.raises(PermissionDenied):
        propose(people[who], category, group=org.A1)
    assert not Disclosure.objects.exists()


def test_a_workshop_union_proposes_its_own_and_hq_the_enterprises(org, people, category):
    w = propose(people["ws_a"], category, Level.WORKSHOP, workshop=org.a)
    e = propose(people["hq"], category, Level.ENTERPRISE)
    assert (w.workshop_id, w.group_id) == (org.a.pk, None)
    assert (e.workshop_id, e.group_id) == (None, None)
    with pytest.raises(PermissionDenied):
        propose(people["ws_b"], category, Level.WORKSHOP, workshop=org.a)
    with pytest.raises(PermissionDenied):
        propose(people["ws_a"], category, Level.ENTERPRISE)
    with pytest.raises(PermissionDenied):
        propose(people["hq"], category, Level.WORKSHOP, workshop=org.a)


def test_a_proposal_needs_its_place_and_enough_posting_days(org, people, category):
    with pytest.raises(ValidationError) as error:
        propose(people["leader_a1"], category, group=None)
    assert "group" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.disclosure_propose(
            by=people["leader_a1"],
            level=Level.GROUP,
            group=org.A1,
            category=category,
            title="考勤",
            content="十月考勤",
            planned_where="公开栏",
            planned_days=2,
        )
    assert "planned_days" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.disclosure_propose(
            by=people["leader_a1"],
            level=Level.GROUP,
            group=org.A1,
            category=category,
            title="",
            content="",
            planned_where="公开栏",
        )
    assert {"title", "content"} <= set(error.value.message_dict)
    assert not Disclosure.objects.exists()


# 2 审查 -------------------------------------------------------------------------------------


def test_the_workshop_union_reviews_its_groups_disclosure(org, people, category):
    d = propose(people["leader_a1"], category, group=org.A1)
    with pytest.raises(PermissionDenied):
        reviewed(d, people["ws_b"])
    with pytest.raises(PermissionDenied):
        reviewed(d, people["leader_a1"])
    d = reviewed(d, people["ws_a"])
    assert d.status == Status.REVIEWED and d.reviewed_by == people["ws_a"]
    assert d.review_note == "同意公开"
    with pytest.raises(ValidationError):
        reviewed(d, people["ws_a"])  # not waiting any more


def test_hq_reviews_a_workshop_and_an_enterprise_disclosure_not_its_own(org, people, category):
    w = propose(people["ws_a"], category, Level.WORKSHOP, workshop=org.a)
    with pytest.raises(PermissionDenied):
        reviewed(w, people["ws_a"])
    assert reviewed(w, people["hq"]).status == Status.REVIEWED
    e = propose(people["hq"], category, Level.ENTERPRISE)
    with pytest.raises(ValidationError, match="another person"):
        reviewed(e, people["hq"])
    assert reviewed(e, people["hq2"]).status == Status.REVIEWED


def test_a_return_needs_a_note_and_the_office_resubmits(org, people, category):
    d = propose(people["leader_a1"], category, group=org.A1)
    with pytest.raises(ValidationError) as error:
        services.disclosure_review(by=people["ws_a"], disclosure=d, approve=False, note=" ")
    assert "note" in error.value.message_dict
    d = services.disclosure_review(
        by=people["ws_a"], disclosure=d, approve=False, note="补充分配系数"
    )
    assert d.status == Status.RETURNED and d.review_note == "补充分配系数"
    with pytest.raises(ValidationError):
        reviewed(d, people["ws_a"])  # returned: the office changes it first
    with pytest.raises(PermissionDenied):
        services.disclosure_update(
            by=people["ws_a"],
            disclosure=d,
            category=d.category,
            title=d.title,
            content="x",
            planned_where="公开栏",
            planned_days=7,
        )
    d = services.disclosure_update(
        by=people["leader_a1"],
        disclosure=d,
        category=d.category,
        title=d.title,
        content="按岗位系数（附系数表）分配。",
        planned_where="班组公开栏",
        planned_days=7,
    )
    assert d.status == Status.PROPOSED
    assert reviewed(d, people["ws_a"]).status == Status.REVIEWED


# 3 公开 -------------------------------------------------------------------------------------


def test_posting_records_place_dates_and_a_real_photo(org, people, category):
    d = reviewed(propose(people["leader_a1"], category, group=org.A1), people["ws_a"])
    d = posted(d, people["leader_a1"])
    assert d.status == Status.POSTED
    assert d.posted_until == today() + timedelta(days=6)
    assert d.photo.name and d.photo_thumb.name and d.photo_mime == "image/jpeg"


def test_posting_refusals(org, people, category):
    d = propose(people["leader_a1"], category, group=org.A1)
    with pytest.raises(ValidationError, match="reviewed"):
        posted(d, people["leader_a1"])  # not reviewed yet
    d = reviewed(d, people["ws_a"])
    with pytest.raises(PermissionDenied):
        posted(d, people["ws_a"])  # the workshop union does not post the group's notice
    cases = [
        ({"photo": None}, "photo"),
        ({"photo": files.exe_named_jpg()}, "photo"),
        ({"photo": files.pdf()}, "photo"),
        ({"posted_until": today() + timedelta(days=1)}, "posted_until"),
        ({"posted_on": today() + timedelta(days=1)}, "posted_on"),
        ({"posted_where": ""}, "posted_where"),
    ]
    for change, field in cases:
        args = {
            "posted_on": today(),
            "posted_until": today() + timedelta(days=6),
            "posted_where": "公开栏",
            "photo": files.jpeg(),
            **change,
        }
        with pytest.raises(ValidationError) as error:
            services.disclosure_post(by=people["leader_a1"], disclosure=d, **args)
        assert field in error.value.message_dict, change
    d.refresh_from_db()
    assert d.status == Status.REVIEWED and not d.photo


# 4 监督 and the feedback --------------------------------------------------------------------


def test_a_member_of_the_group_files_feedback_while_posted(org, people, group_posted):
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="系数偏低")
    assert fb.member == org.members["A1"][0] and not fb.on_paper
    for who in ("member_a2", "member_b1", "ws_a", "leader_a1"):
        with pytest.raises(PermissionDenied):
            services.feedback_file(by=people[who], disclosure=group_posted, text="x")


def test_feedback_audience_follows_the_level(org, people, category):
    w = posted(
        reviewed(propose(people["ws_a"], category, Level.WORKSHOP, workshop=org.a), people["hq"]),
        people["ws_a"],
    )
    e = posted(
        reviewed(propose(people["hq"], category, Level.ENTERPRISE), people["hq2"]), people["hq"]
    )
    assert services.feedback_file(by=people["member_a2"], disclosure=w, text="好")
    with pytest.raises(PermissionDenied):
        services.feedback_file(by=people["member_b1"], disclosure=w, text="x")
    assert services.feedback_file(by=people["member_b1"], disclosure=e, text="好")


def test_no_feedback_before_posting_or_outside_the_period(org, people, category):
    d = reviewed(propose(people["leader_a1"], category, group=org.A1), people["ws_a"])
    with pytest.raises(PermissionDenied):
        services.feedback_file(by=people["member_a1"], disclosure=d, text="x")
    d = posted(d, people["leader_a1"], start=today() - timedelta(days=10))
    with pytest.raises(ValidationError, match="posted"):
        services.feedback_file(by=people["member_a1"], disclosure=d, text="x")
    with pytest.raises(ValidationError) as error:
        services.feedback_file(
            by=people["member_a1"],
            disclosure=posted_now(people, category, org),
            text="  ",
        )
    assert "text" in error.value.message_dict


def posted_now(people, category, org):
    d = reviewed(propose(people["leader_a1"], category, group=org.A1, title="考勤"), people["ws_a"])
    return posted(d, people["leader_a1"])


def test_a_leader_records_a_paper_form_for_a_member_of_their_group(org, people, group_posted):
    member = org.members["A1"][2]
    fb = services.feedback_file(
        by=people["leader_a1"], disclosure=group_posted, text="纸质意见表", member=member
    )
    assert fb.on_paper and fb.member == member and fb.filed_by == people["leader_a1"]
    with pytest.raises(ValidationError) as error:
        services.feedback_file(
            by=people["leader_a1"],
            disclosure=group_posted,
            text="x",
            member=org.members["B1"][0],
        )
    assert "member" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.feedback_file(
            by=people["leader_b1"], disclosure=group_posted, text="x", member=member
        )


def test_the_supervision_ends_on_the_last_posted_day(org, people, group_posted):
    with pytest.raises(ValidationError, match="posted until"):
        services.disclosure_end_supervision(by=people["leader_a1"], disclosure=group_posted)
    last = group_posted.posted_until
    with pytest.raises(PermissionDenied):
        services.disclosure_end_supervision(by=people["ws_a"], disclosure=group_posted, today=last)
    d = services.disclosure_end_supervision(
        by=people["leader_a1"], disclosure=group_posted, today=last
    )
    assert d.status == Status.FEEDBACK  # nothing to answer
    assert d.supervision_ended_at is not None


def test_answers_move_the_disclosure_to_feedback_and_then_it_closes(org, people, group_posted):
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="系数偏低")
    d = services.disclosure_end_supervision(
        by=people["leader_a1"], disclosure=group_posted, today=group_posted.posted_until
    )
    assert d.status == Status.SUPERVISED
    with pytest.raises(ValidationError, match="1 feedback form"):
        services.disclosure_close(by=people["leader_a1"], disclosure=d)
    with pytest.raises(PermissionDenied):
        services.feedback_answer(by=people["ws_a"], feedback=fb, answer="x")
    with pytest.raises(ValidationError) as error:
        services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="")
    assert "answer" in error.value.message_dict
    fb = services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="已按系数表复核")
    assert fb.answered_by == people["leader_a1"] and fb.answered_at is not None
    d.refresh_from_db()
    assert d.status == Status.FEEDBACK
    with pytest.raises(ValidationError, match="already answered"):
        services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="again")
    d = services.disclosure_close(by=people["leader_a1"], disclosure=d)
    assert d.status == Status.CLOSED and d.closed_by == people["leader_a1"]
    with pytest.raises(ValidationError):
        services.disclosure_close(by=people["leader_a1"], disclosure=d)


def test_closing_during_the_posting_is_refused(org, people, group_posted):
    with pytest.raises(ValidationError, match="supervision"):
        services.disclosure_close(by=people["leader_a1"], disclosure=group_posted)
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    with pytest.raises(ValidationError, match="not answered"):
        services.disclosure_close(by=people["leader_a1"], disclosure=group_posted)
    assert fb.pk


def _timeliness(fb, days, today=None):
    row = Feedback.objects.with_timeliness(days, today).get(pk=fb.pk)
    return row.on_time, row.overdue


def test_answered_on_time_follows_the_settings(org, people, group_posted):
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    assert _timeliness(fb, 7) == (False, False)  # open, not yet due
    Feedback.objects.filter(pk=fb.pk).update(filed_at=timezone.now() - timedelta(days=9))
    fb.refresh_from_db()
    assert _timeliness(fb, 7) == (False, True)
    assert _timeliness(fb, 9) == (False, False)  # due today
    fb = services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="迟复")
    assert _timeliness(fb, 7) == (False, False)  # late, no longer overdue
    assert _timeliness(fb, 10) == (True, False)


def test_on_time_counts_local_days(org, people, group_posted):
    """Filed at 23:30 and answered seven local days later is on time, and at 00:30 the day
    after is late — although in UTC both answers are seven days after the filing."""
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    zone = timezone.get_current_timezone()
    filed = datetime(2026, 3, 1, 23, 30, tzinfo=zone)
    cases = [(datetime(2026, 3, 8, 23, 59, tzinfo=zone), True)]
    cases += [(datetime(2026, 3, 9, 0, 30, tzinfo=zone), False)]
    for answered, on_time in cases:
        Feedback.objects.filter(pk=fb.pk).update(
            filed_at=filed, answered_at=answered, answer="答复"
        )
        assert _timeliness(fb, 7)[0] is on_time, answered


# The author's identity ----------------------------------------------------------------------


def test_only_hq_looks_up_the_author_and_every_look_is_logged(org, people, group_posted):
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    for who in ("ws_a", "leader_a1", "member_a1"):
        with pytest.raises(PermissionDenied):
            services.feedback_author(by=people[who], feedback=fb)
    assert services.feedback_author(by=people["hq"], feedback=fb, address="10.0.0.1") == fb.member
    look = IdentityLook.objects.get()
    assert (look.user, look.feedback, look.ip_address) == (people["hq"], fb, "10.0.0.1")
    with pytest.raises(PermissionError):
        IdentityLook.objects.all().delete()


# 6 整改 -------------------------------------------------------------------------------------


def _answered(people, disclosure):
    fb = services.feedback_file(by=people["member_a1"], disclosure=disclosure, text="劳保鞋不合脚")
    return services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="更换供货")


def _rectify(by, fb, **extra):
    args = {
        "title": "更换劳保鞋",
        "owner_department": "供应科",
        "due_on": today() + timedelta(days=30),
        **extra,
    }
    return services.feedback_rectify(by=by, feedback=fb, **args)


def test_a_rectification_is_raised_from_an_answer_and_the_close_says_so(org, people, group_posted):
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    with pytest.raises(ValidationError, match="Answer the feedback"):
        _rectify(people["leader_a1"], fb)
    fb = services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="更换供货")
    with pytest.raises(PermissionDenied):
        _rectify(people["ws_b"], fb)
    with pytest.raises(ValidationError) as error:
        _rectify(people["leader_a1"], fb, owner_department="")
    assert "owner_department" in error.value.message_dict
    item = _rectify(people["leader_a1"], fb)
    assert (item.kind, item.source, item.raised_by) == ("feedback", fb, people["leader_a1"])
    assert (item.workshop_id, item.group_id) == (org.a.pk, org.A1.pk)
    with pytest.raises(ValidationError, match="already raised"):
        _rectify(people["leader_a1"], fb)
    d = services.disclosure_end_supervision(
        by=people["leader_a1"], disclosure=group_posted, today=group_posted.posted_until
    )
    assert services.disclosure_close(by=people["leader_a1"], disclosure=d).status == (
        Status.RECTIFIED
    )
    assert Rectification.objects.count() == 1


def test_an_enterprise_rectification_names_its_workshop_union(org, people, category):
    e = posted(
        reviewed(propose(people["hq"], category, Level.ENTERPRISE), people["hq2"]), people["hq"]
    )
    fb = services.feedback_file(by=people["member_b1"], disclosure=e, text="食堂价格")
    fb = services.feedback_answer(by=people["hq"], feedback=fb, answer="调整")
    with pytest.raises(ValidationError) as error:
        _rectify(people["hq"], fb)
    assert "workshop" in error.value.message_dict
    item = _rectify(people["hq"], fb, workshop=org.b)
    assert (item.workshop_id, item.group_id) == (org.b.pk, None)


# Two people at once ----------------------------------------------------------------------------


def test_a_feedback_answered_meanwhile_is_not_answered_again(org, people, group_posted):
    """Two people of the office open the same form; the second answer, sent from the
    page loaded before the first, is refused and the first answer stays."""
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    stale = Feedback.objects.get(pk=fb.pk)
    other = leader_user(org.A1)
    services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="第一份答复")
    with pytest.raises(ValidationError, match="already answered"):
        services.feedback_answer(by=other, feedback=stale, answer="第二份答复")
    fb.refresh_from_db()
    assert (fb.answer, fb.answered_by) == ("第一份答复", people["leader_a1"])


def test_a_disclosure_closed_meanwhile_is_not_closed_again(org, people, group_posted):
    d = services.disclosure_end_supervision(
        by=people["leader_a1"], disclosure=group_posted, today=group_posted.posted_until
    )
    stale = Disclosure.objects.get(pk=d.pk)
    closed = services.disclosure_close(by=people["leader_a1"], disclosure=d)
    with pytest.raises(ValidationError):
        services.disclosure_close(by=leader_user(org.A1), disclosure=stale)
    stale.refresh_from_db()
    assert (stale.closed_by, stale.closed_at) == (people["leader_a1"], closed.closed_at)
