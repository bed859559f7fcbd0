"""Congress records for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: workshop union A's term (A1's members as
representatives) and its congress, approved and held with a motion, a resolution and a
photo; a planned congress of A; and B2's democratic meeting titled with the marker."""

from datetime import date

from congresses.models import (
    Attendance,
    Level,
    Motion,
    MotionSource,
    Representative,
    Resolution,
    Session,
    SessionPhoto,
    SessionStatus,
    Term,
)
from tests import files

MARKER = "标记甲乙"


def congress_records(world):
    if not hasattr(world, "congresses"):
        org, hq = world.org, world.users["hq"]
        workshop = world.users["workshop_own"]
        term = Term.objects.create(
            level=Level.WORKSHOP,
            workshop=org.a,
            name="第三届",
            starts_on=date(2025, 1, 1),
            ends_on=date(2029, 12, 31),
        )
        for member in org.members["A1"]:
            Representative.objects.create(term=term, member=member, role="代表")
        common = {"level": Level.WORKSHOP, "workshop": org.a, "term": term, "created_by": workshop}
        held = Session.objects.create(
            title="锅炉车间职代会",
            planned_on=date(2026, 1, 10),
            held_on=date(2026, 1, 10),
            agenda="工作报告",
            status=SessionStatus.HELD,
            expected_count=3,
            present_count=3,
            approved_by=hq,
            **common,
        )
        for member in org.members["A1"]:
            Attendance.objects.create(session=held, member=member, present=True)
        motion = Motion.objects.create(
            session=held,
            source=MotionSource.MEMBER,
            proposer=world.member,
            title="澡堂热水",
            content="延长供水时间",
            recorded_by=workshop,
        )
        Resolution.objects.create(
            session=held,
            text="年底前完成热水改造",
            workshop=org.a,
            owner_department="机电组",
            due_on=date(2026, 12, 31),
            recorded_by=workshop,
        )
        photo = SessionPhoto(session=held, mime="image/jpeg", uploaded_by=workshop)
        photo.photo.save("session.jpg", files.jpeg(), save=False)
        photo.save()
        planned = Session.objects.create(
            title="锅炉车间职代会（下半年）",
            planned_on=date(2026, 7, 10),
            agenda="工作报告",
            **common,
        )
        Session.objects.create(
            level=Level.GROUP,
            workshop=org.b,
            group=org.B2,
            title=MARKER,
            planned_on=date(2026, 1, 12),
            agenda="议程",
            created_by=hq,
        )
        world.congresses = {
            "term": term,
            "held": held,
            "planned": planned,
            "motion": motion,
            "photo": photo,
        }
    return world.congresses


def _c(world, key):
    return congress_records(world)[key].pk


HQ = {"hq", "welfare_hq", "hq_evaluator"}
# Every role with a place in the organisation or that assesses it (a member's login: no).
STAFF = HQ | {
    "workshop_own",
    "workshop_other",
    "leader_own",
    "leader_other",
    "evaluator",
    "multi_own",
    "inspector",
}
# Those who read workshop union A's congress: HQ, A's union, the leaders of A's groups (the
# leader of A1, and the workshop union of B who also leads A1), the evaluators, and the
# inspector whose panel holds A1.
READERS = HQ | {"workshop_own", "leader_own", "multi_own", "evaluator", "inspector"}
A_UNION = {"workshop_own"}
LEADERS = {"leader_own", "leader_other", "multi_own"}
WORKSHOPS = {"workshop_own", "workshop_other", "multi_own", "inspector"}


def _list(world, url):
    congress_records(world)  # the rows a list could show, B2's marker among them
    return url


def _s(key, suffix=""):
    return lambda w: f"/congresses/{_c(w, key)}/{suffix}"


# Sessions: the list and the terms for every staff role; a workshop union's congress read by
# HQ, its union, its groups' leaders, evaluators; recorded by its union alone; declared by
# it; approved or returned by HQ. Planning a group meeting: the group leaders. A new
# workshop term: the workshop unions.
RULES = {
    "congresses:session_list": ("get", lambda w: _list(w, "/congresses/"), None, STAFF),
    "congresses:session_create": ("get", lambda w: "/congresses/new/group/", None, LEADERS),
    "congresses:approvals": ("get", lambda w: "/congresses/approvals/", None, HQ),
    "congresses:session_detail": ("get", _s("held"), None, READERS),
    "congresses:session_edit": ("get", _s("planned", "edit/"), None, A_UNION),
    "congresses:session_declare": ("post", _s("planned", "declare/"), {}, A_UNION),
    "congresses:session_approve": ("post", _s("planned", "approve/"), {}, HQ),
    "congresses:session_return": ("get", _s("planned", "return/"), None, HQ),
    "congresses:attendance": ("get", _s("held", "attendance/"), None, A_UNION),
    "congresses:session_hold": ("post", _s("held", "hold/"), {}, A_UNION),
    "congresses:session_fail": ("post", _s("held", "fail/"), {}, A_UNION),
    "congresses:minutes": ("get", _s("held", "minutes/"), None, A_UNION),
    "congresses:photo_add": ("post", _s("held", "photos/"), {}, A_UNION),
    "congresses:motion_add": ("get", _s("held", "motions/new/"), None, A_UNION),
    "congresses:resolution_add": ("get", _s("held", "resolutions/new/"), None, A_UNION),
    "congresses:print_declaration": ("get", _s("held", "declaration/"), None, READERS),
    "congresses:print_minutes": ("get", _s("held", "minutes/print/"), None, READERS),
    "congresses:motion_decide": (
        "get",
        lambda w: f"/congresses/motions/{_c(w, 'motion')}/decide/",
        None,
        A_UNION,
    ),
    "congresses:photo": (
        "get",
        lambda w: f"/congresses/photos/{_c(w, 'photo')}/",
        None,
        READERS,
    ),
    "congresses:term_list": ("get", lambda w: "/congresses/terms/", None, STAFF),
    "congresses:term_create": ("get", lambda w: "/congresses/terms/new/workshop/", None, WORKSHOPS),
    "congresses:term_detail": (
        "get",
        lambda w: f"/congresses/terms/{_c(w, 'term')}/",
        None,
        READERS,
    ),
    "congresses:delegation_add": (
        "post",
        lambda w: f"/congresses/terms/{_c(w, 'term')}/delegations/",
        {"name": "一组"},
        A_UNION,
    ),
    "congresses:representative_add": (
        "get",
        lambda w: f"/congresses/terms/{_c(w, 'term')}/representatives/new/",
        None,
        A_UNION,
    ),
}

# The session list shows B2's meeting exactly to those whose scope holds B2.
LIST_MARKERS = {
    "congresses:session_list": HQ | {"workshop_other", "multi_own", "inspector", "evaluator"},
}
