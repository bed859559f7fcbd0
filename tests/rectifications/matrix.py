"""整改 records for the permission matrix (tests/hardening/test_permission_matrix.py), made
on first use inside the test's transaction: an open item of A1 raised by A's workshop union
and owned by A1's leader, a second item of A1 the leader reported done with a photo, and a
marker item of B2 raised by HQ."""

from datetime import date

from groups.models import UnionGroup
from homes.models import Inspection
from rectifications import services
from rectifications.models import Kind
from tests import files

MARKER = "标记甲乙"


def rectification_records(world):
    if not hasattr(world, "rectifications"):
        users = world.users

        def raised(by, group, title, owner=None):
            return services.rectification_raise(
                by=by,
                workshop=group.workshop,
                group=group,
                kind=Kind.OTHER,
                title=title,
                owner_department=group.name,
                owner_user=owner,
                due_on=date(2026, 2, 1),
            )

        item = raised(users["workshop_own"], world.org.A1, "安全台账不全", users["leader_own"])
        done = raised(users["workshop_own"], world.org.A1, "公开栏未更新", users["leader_own"])
        done = services.rectification_report(
            rectification=done,
            by=users["leader_own"],
            report="已更新",
            evidence_files=[files.jpeg()],
        )
        raised(users["hq"], UnionGroup.objects.get(code="B2"), MARKER)
        world.rectifications = {
            "open": item,
            "submitted": done,
            "evidence": done.evidence.get(),
            "inspection": Inspection.objects.get(declaration=world.declaration),
        }
    return world.rectifications


def _r(world, key):
    return rectification_records(world)[key].pk


HQ = {"hq", "welfare_hq", "hq_evaluator"}
WORKSHOPS = {"workshop_own", "workshop_other", "multi_own", "inspector"}
READERS = HQ | WORKSHOPS | {"leader_own", "leader_other", "evaluator"}
# Those who read A1's items: its own part, evaluators, its panel's inspector.
A1_READERS = HQ | {"workshop_own", "leader_own", "multi_own", "evaluator", "inspector"}

# The list for every role that reads items somewhere; one item of A1 for A1's readers;
# reporting for the owner (A1's leader) alone, the item naming them (the office reports
# only items naming no owner login); acceptance (close,
# return) for the raiser (A's workshop union) and HQ; raising for the offices; raising
# from an inspection for those who keep it (its inspector — the panel's leader — and HQ).
RULES = {
    "rectifications:list": (
        "get",
        lambda w: (rectification_records(w), "/rectifications/")[1],
        None,
        READERS,
    ),
    "rectifications:detail": (
        "get",
        lambda w: f"/rectifications/{_r(w, 'open')}/",
        None,
        A1_READERS,
    ),
    "rectifications:report": (
        "get",
        lambda w: f"/rectifications/{_r(w, 'open')}/report/",
        None,
        {"leader_own"},
    ),
    "rectifications:close": (
        "post",
        lambda w: f"/rectifications/{_r(w, 'submitted')}/close/",
        {},
        HQ | {"workshop_own"},
    ),
    "rectifications:return": (
        "post",
        lambda w: f"/rectifications/{_r(w, 'submitted')}/return/",
        {},
        HQ | {"workshop_own"},
    ),
    "rectifications:raise": ("get", lambda w: "/rectifications/new/", None, HQ | WORKSHOPS),
    "rectifications:raise_inspection": (
        "get",
        lambda w: f"/rectifications/from-inspection/{_r(w, 'inspection')}/",
        None,
        HQ | {"inspector"},
    ),
    "rectifications:evidence": (
        "get",
        lambda w: f"/rectifications/evidence/{_r(w, 'evidence')}/",
        None,
        A1_READERS,
    ),
}

# The marker item of B2 on the list: those whose scope holds B2 (evaluators read all).
LIST_MARKERS = {
    "rectifications:list": HQ | {"workshop_other", "multi_own", "inspector", "evaluator"},
}
