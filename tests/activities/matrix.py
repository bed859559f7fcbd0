"""Monthly report files for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: a sign-in sheet photo A1's leader added to
A1's February report (a draft). Activities above the group use the activity URLs the
matrix already walks; who reads and changes them is tested in tests/activities."""

from datetime import date

from activities import services
from activities.models import ReportFileKind
from tests import files

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
