"""Disclosure records for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: A1's 班务公开 proposed, one reviewed, one
posted today with a feedback form of A1's member answered and one waiting; and B2's
proposal titled with the marker (for the list)."""

from datetime import timedelta

from django.utils import timezone

from disclosures import services
from disclosures.models import DisclosureCategory, Level
from tests import files

MARKER = "标记甲乙"


def disclosure_records(world):
    if not hasattr(world, "disclosures"):
        from tests.factories import leader_user

        users = world.users
        org = world.org
        category = DisclosureCategory.objects.get(code="bonus")
        leader, ws = users["leader_own"], users["workshop_own"]

        def propose(by, group, title):
            return services.disclosure_propose(
                by=by,
                level=Level.GROUP,
                group=group,
                category=category,
                title=title,
                content="按岗位系数分配",
                planned_where="班组公开栏",
                planned_days=7,
            )

        proposed = propose(leader, org.A1, "一季度奖金分配")
        reviewed = services.disclosure_review(
            by=ws, disclosure=propose(leader, org.A1, "一月考勤"), approve=True
        )
        posted = services.disclosure_review(
            by=ws, disclosure=propose(leader, org.A1, "评先评优"), approve=True
        )
        today = timezone.localdate()
        posted = services.disclosure_post(
            by=leader,
            disclosure=posted,
            posted_on=today,
            posted_until=today + timedelta(days=6),
            posted_where="班组公开栏",
            photo=files.jpeg(),
        )
        answered = services.feedback_file(by=users["member"], disclosure=posted, text="名额偏少")
        answered = services.feedback_answer(by=leader, feedback=answered, answer="下季度增加")
        waiting = services.feedback_file(by=users["member"], disclosure=posted, text="标准不清")
        propose(leader_user(org.B2), org.B2, MARKER)
        world.disclosures = {
            "proposed": proposed,
            "reviewed": reviewed,
            "posted": posted,
            "answered": answered,
            "waiting": waiting,
        }
    return world.disclosures


def _records_then(world, url):
    disclosure_records(world)
    return url


def _d(world, key):
    return disclosure_records(world)[key].pk


HQ = {"hq", "welfare_hq", "hq_evaluator"}
WORKSHOPS = {"workshop_own", "workshop_other", "multi_own", "inspector"}
LEADERS = {"leader_own", "leader_other"}
EVERY_LOGIN = HQ | WORKSHOPS | LEADERS | {"evaluator", "member"}
# A1's office (its group leader) and its reviewer (workshop union A, or HQ).
A1_OFFICE = {"leader_own", "multi_own"}
A1_REVIEWER = HQ | {"workshop_own"}
# Those who read A1's records, and A1's member once it is posted.
A1_READERS = HQ | {"workshop_own", "leader_own", "multi_own", "evaluator", "inspector"}
A1_POSTED = A1_READERS | {"member"}

# The register for every login (a member reads the posted ones of their audience); proposing
# for those who disclose (a group leader, a workshop union, HQ); each step for A1's office or
# its reviewer; the feedback form for A1's member; the author's name for HQ alone.
RULES = {
    "disclosures:list": ("get", lambda w: _records_then(w, "/disclosures/"), None, EVERY_LOGIN),
    "disclosures:board": ("get", lambda w: "/disclosures/board/", None, EVERY_LOGIN),
    "disclosures:new": ("get", lambda w: "/disclosures/new/", None, HQ | WORKSHOPS | LEADERS),
    "disclosures:export": ("get", lambda w: "/disclosures/export.xlsx", None, EVERY_LOGIN),
    "disclosures:detail": (
        "get",
        lambda w: f"/disclosures/{_d(w, 'posted')}/",
        None,
        A1_POSTED,
    ),
    "disclosures:edit": (
        "get",
        lambda w: f"/disclosures/{_d(w, 'proposed')}/edit/",
        None,
        A1_OFFICE,
    ),
    "disclosures:review": (
        "get",
        lambda w: f"/disclosures/{_d(w, 'proposed')}/review/",
        None,
        A1_REVIEWER,
    ),
    "disclosures:post": (
        "get",
        lambda w: f"/disclosures/{_d(w, 'reviewed')}/post/",
        None,
        A1_OFFICE,
    ),
    "disclosures:photo": (
        "get",
        lambda w: f"/disclosures/{_d(w, 'posted')}/photo",
        None,
        A1_POSTED,
    ),
    "disclosures:end_supervision": (
        "post",
        lambda w: f"/disclosures/{_d(w, 'posted')}/supervision/end/",
        {},
        A1_OFFICE,
    ),
    "disclosures:close": (
        "post",
        lambda w: f"/disclosures/{_d(w, 'posted')}/close/",
        {},
        A1_OFFICE,
    ),
    "disclosures:print": (
        "get",
        lambda w: f"/disclosures/{_d(w, 'posted')}/print/",
        None,
        A1_POSTED,
    ),
    "disclosures:feedback_new": (
        "get",
        lambda w: f"/disclosures/{_d(w, 'posted')}/feedback/new/",
        None,
        {"member"},
    ),
    "disclosures:feedback_blank": (
        "get",
        lambda w: f"/disclosures/{_d(w, 'posted')}/feedback/blank/",
        None,
        A1_POSTED,
    ),
    "disclosures:feedback_answer": (
        "get",
        lambda w: f"/disclosures/feedback/{_d(w, 'waiting')}/answer/",
        None,
        A1_OFFICE,
    ),
    "disclosures:feedback_rectify": (
        "get",
        lambda w: f"/disclosures/feedback/{_d(w, 'answered')}/rectify/",
        None,
        A1_OFFICE,
    ),
    "disclosures:feedback_identity": (
        "get",
        lambda w: f"/disclosures/feedback/{_d(w, 'answered')}/identity/",
        None,
        HQ,
    ),
    "disclosures:feedback_print": (
        "get",
        lambda w: f"/disclosures/feedback/{_d(w, 'answered')}/print/",
        None,
        A1_POSTED,
    ),
}
# A member's login reads the register of what is posted for them, and the notice board.
MEMBER_PAGES = {
    "disclosures:list",
    "disclosures:board",
    "disclosures:export",
    "disclosures:detail",
    "disclosures:photo",
    "disclosures:print",
    "disclosures:feedback_new",
    "disclosures:feedback_blank",
    "disclosures:feedback_print",
}
# B2's proposal (titled with the marker) is on the register exactly for those who read B2.
LIST_MARKERS = {"disclosures:list": HQ | {"workshop_other", "multi_own", "inspector", "evaluator"}}
