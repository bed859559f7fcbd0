"""合理化建议 records for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: a suggestion of A1's member (who has a
login) waiting for screening, with an attachment; one adopted, carried out and listed
publicly; and one of B2's marker member waiting for screening (the list marker)."""

from datetime import date

from groups.models import Member
from improvements import services
from tests import files

MARKER = "标记甲乙"


def improvement_records(world):
    if not hasattr(world, "improvements"):
        leader, ws, hq = (world.users[k] for k in ("leader_own", "workshop_own", "hq"))
        waiting = services.improvement_file(
            by=leader,
            member=world.member,
            title="皮带机头加装清扫器",
            problem="回程带粘煤",
            proposal="加装清扫器",
            attachments=[files.pdf()],
        )
        adopted = services.improvement_file(
            by=leader, member=world.member, title="矿灯房充电架改造", problem="p", proposal="q"
        )
        services.improvement_adopt(
            by=ws, improvement=adopted, responsible="机电科", due_on=date(2030, 1, 1)
        )
        services.improvement_file(
            by=hq,
            member=Member.objects.get(name=MARKER),
            title="点检班的建议",
            problem="p",
            proposal="q",
        )
        world.improvements = {
            "waiting": waiting,
            "adopted": adopted,
            "file": waiting.attachments.get(),
        }
    return world.improvements


def _i(world, key):
    return improvement_records(world)[key].pk


def _listed(path):
    """A list's URL, with the records made first (the list markers read them)."""

    def make(world):
        improvement_records(world)
        return path

    return make


HQ = {"hq", "welfare_hq", "hq_evaluator"}
WORKSHOPS = {"workshop_own", "workshop_other", "multi_own", "inspector"}
STAFF = HQ | WORKSHOPS | {"leader_own", "leader_other"}
EVERY_LOGIN = STAFF | {"evaluator", "member"}
# Everyone whose scope holds A1's member: their part of the union, and the member.
OWN_AND_MEMBER = HQ | {"workshop_own", "leader_own", "multi_own", "member"}
SCREENERS = HQ | {"workshop_own"}  # A's workshop union and HQ

# The list and the form for whoever reads or files suggestions (a member's login: their
# own); the public list for every login; the register for the staff; screening,
# implementation, award and the public flag for A's workshop union and HQ only (B's gets
# 404, a leader 403); the detail, files and adding files for A1's part and the member.
RULES = {
    "improvements:list": ("get", _listed("/improvements/"), None, STAFF | {"member"}),
    "improvements:new": ("get", lambda w: "/improvements/new/", None, STAFF | {"member"}),
    "improvements:public": ("get", _listed("/improvements/public/"), None, EVERY_LOGIN),
    "improvements:export": ("get", _listed("/improvements/register.xlsx"), None, STAFF),
    "improvements:detail": (
        "get",
        lambda w: f"/improvements/{_i(w, 'waiting')}/",
        None,
        OWN_AND_MEMBER,
    ),
    "improvements:adopt": (
        "post",
        lambda w: f"/improvements/{_i(w, 'waiting')}/adopt/",
        {},
        SCREENERS,
    ),
    "improvements:reject": (
        "post",
        lambda w: f"/improvements/{_i(w, 'waiting')}/reject/",
        {},
        SCREENERS,
    ),
    "improvements:motion": (
        "post",
        lambda w: f"/improvements/{_i(w, 'waiting')}/motion/",
        {},
        SCREENERS,
    ),
    "improvements:implement": (
        "post",
        lambda w: f"/improvements/{_i(w, 'adopted')}/implement/",
        {},
        SCREENERS,
    ),
    "improvements:award": (
        "post",
        lambda w: f"/improvements/{_i(w, 'adopted')}/award/",
        {},
        SCREENERS,
    ),
    "improvements:set_public": (
        "post",
        lambda w: f"/improvements/{_i(w, 'adopted')}/public/",
        {"public": "0"},
        SCREENERS,
    ),
    "improvements:attach": (
        "post",
        lambda w: f"/improvements/{_i(w, 'waiting')}/attach/",
        {},
        OWN_AND_MEMBER,
    ),
    "improvements:attachment": (
        "get",
        lambda w: f"/improvements/files/{_i(w, 'file')}/",
        None,
        OWN_AND_MEMBER,
    ),
}
# A member's login files and follows their own suggestions and reads the public list.
MEMBER_PAGES = {
    "improvements:list",
    "improvements:new",
    "improvements:public",
    "improvements:detail",
    "improvements:attach",
    "improvements:attachment",
}
# The list shows B2's marker member's suggestion exactly to those whose scope holds B2.
LIST_MARKERS = {"improvements:list": HQ | {"workshop_other", "multi_own", "inspector"}}
