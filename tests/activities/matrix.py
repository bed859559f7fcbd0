"""Monthly report files for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: a sign-in sheet photo A1's leader added to
A1's February report (a draft). Activities above the group use the activity URLs the
matrix already walks (one rule a URL name): the world's activity above the group, made
here too, is walked by tests/activities/test_above_group_matrix.py."""

from datetime import date
from types import SimpleNamespace

from activities import services
from activities.models import ActivityLevel, ReportFileKind
from tests import files
from tests.factories import area, leader_user

HQ = {"hq", "welfare_hq", "hq_evaluator"}
# Those whose scope holds A1: HQ, its workshop union, its leader (and B's chair who leads it).
OWN = HQ | {"workshop_own", "leader_own", "multi_own"}
# Those who read A1's records (its reports): its own part, evaluators, its panel's inspector.
A1_READERS = OWN | {"evaluator", "inspector"}
FEBRUARY = date(2026, 2, 1)


def report_file(world):
    if not hasattr(world, "report_file"):
        world.report_file = services.report_file_add(
            group=world.org.A1,
            month=FEBRUARY,
            by=world.users["leader_own"],
            uploaded=files.jpeg("签到表.jpg"),
            kind=ReportFileKind.SIGNIN,
        )
    return world.report_file


ABOVE_TITLE = "车间小组长会议"
ABOVE_DELETED_TITLE = "车间技术比武"


def above_group(world):
    """Workshop union A's 小组长会议 (held above the group, A hosting it) with members of A1
    and A2 taking part, and A's 技术比武 with the same groups, deleted by A. Also a leader
    of A2 (``leader_a2``: a group that took part, outside the matrix's roles)."""
    if not hasattr(world, "above_group"):
        org, users = world.org, world.users
        users.setdefault("leader_a2", leader_user(org.A2))

        def held(title, day):
            return services.activity_create(
                by=users["workshop_own"],
                level=ActivityLevel.WORKSHOP,
                host_workshop=org.a,
                area=area("skills"),
                title=title,
                held_on=day,
                participants=[org.members["A1"][0], org.members["A1"][1], org.members["A2"][0]],
            )

        deleted = services.activity_delete(
            activity=held(ABOVE_DELETED_TITLE, date(2026, 1, 21)),
            by=users["workshop_own"],
            reason="重复录入",
        )
        world.above_group = SimpleNamespace(
            live=held(ABOVE_TITLE, date(2026, 1, 20)), deleted=deleted
        )
    return world.above_group


# Workshop union A's activity above the group: read by HQ, A (the host, also the workshop
# union of every group that took part), the leaders of A1 and A2 (B's chair leads A1), a
# member of A1 with a login, evaluators and A1's panel inspector; changed, deleted and
# restored by the host and HQ alone — a leader never changes it. B's workshop union and
# B1's leader neither read nor change it.
ABOVE_READERS = HQ | {
    "workshop_own",
    "multi_own",
    "leader_own",
    "leader_a2",
    "member",
    "evaluator",
    "inspector",
}
ABOVE_CHANGERS = HQ | {"workshop_own"}


def _above(world, which):
    return getattr(above_group(world), which).pk


# check: (method, url maker, POST data, roles that succeed, title the page holds)
ABOVE_RULES = {
    "detail": (
        "get",
        lambda w: f"/activities/{_above(w, 'live')}/",
        None,
        ABOVE_READERS,
        ABOVE_TITLE,
    ),
    "edit": (
        "get",
        lambda w: f"/activities/{_above(w, 'live')}/edit/",
        None,
        ABOVE_CHANGERS,
        ABOVE_TITLE,
    ),
    # Posting the form without its fields: the host gets the form back with the errors.
    "edit_post": (
        "post",
        lambda w: f"/activities/{_above(w, 'live')}/edit/",
        {},
        ABOVE_CHANGERS,
        ABOVE_TITLE,
    ),
    "delete": (
        "get",
        lambda w: f"/activities/{_above(w, 'live')}/delete/",
        None,
        ABOVE_CHANGERS,
        ABOVE_TITLE,
    ),
    "delete_post": (
        "post",
        lambda w: f"/activities/{_above(w, 'live')}/delete/",
        {"reason": "录错"},
        ABOVE_CHANGERS,
        ABOVE_TITLE,
    ),
    "restore": (
        "post",
        lambda w: f"/activities/{_above(w, 'deleted')}/restore/",
        {},
        ABOVE_CHANGERS,
        ABOVE_DELETED_TITLE,
    ),
    # A deleted activity is out of every page but the list of the deleted ones.
    "deleted_detail": (
        "get",
        lambda w: f"/activities/{_above(w, 'deleted')}/",
        None,
        set(),
        ABOVE_DELETED_TITLE,
    ),
}


# Adding a file to A1's February report (here without one: the form comes back with the
# error) for those who write A1's report; reading its file and thumbnail for the report's
# readers (the reviewer included); removing it for those who write the report.
RULES = {
    "activities:report_file_add": (
        "post",
        lambda w: f"/reports/{w.org.A1.pk}/2026-02/files/",
        {"kind": "signin"},
        OWN,
    ),
    "activities:report_file": (
        "get",
        lambda w: f"/reports/files/{report_file(w).pk}/",
        None,
        A1_READERS,
    ),
    "activities:report_file_thumb": (
        "get",
        lambda w: f"/reports/files/{report_file(w).pk}/thumb/",
        None,
        A1_READERS,
    ),
    "activities:report_file_remove": (
        "post",
        lambda w: f"/reports/files/{report_file(w).pk}/remove/",
        {},
        OWN,
    ),
}
