"""学习竞赛 records for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: workshop union A's 技术比武 with a result
of A1's member, a weekly lesson of A1, a book and a certificate (with its scan) of A1's
member, and a marker competition of group B2 (the list marker)."""

from datetime import date
from decimal import Decimal

from groups.models import UnionGroup
from learning import services
from learning.models import CompetitionKind, LearningKind, Level
from tests import files

MARKER = "标记甲乙"


def learning_records(world):
    if not hasattr(world, "learning"):
        users = world.users
        ws, leader, hq = users["workshop_own"], users["leader_own"], users["hq"]
        skills = CompetitionKind.objects.get(code="skills")

        def held(by, title, level, workshop=None, group=None):
            return services.competition_save(
                by=by,
                title=title,
                kind=skills,
                level=level,
                workshop=workshop,
                group=group,
                starts_on=date(2026, 1, 8),
                ends_on=date(2026, 1, 9),
            )

        competition = held(ws, "锅炉车间技术比武", Level.WORKSHOP, workshop=world.org.a)
        plan = services.results_plan(
            competition=competition,
            by=ws,
            rows=[services.ResultRow(1, world.member.employee_no, score="95", award="一等奖")],
        )
        services.results_apply(competition=competition, by=ws, plan=plan)
        held(hq, MARKER, Level.GROUP, group=UnionGroup.objects.get(code="B2"))
        lesson = services.lesson_record(
            group=world.org.A1,
            by=leader,
            held_on=date(2026, 1, 5),
            topic="安全规程",
            hours=Decimal("1"),
            members=[world.member],
        )
        book = services.record_add(
            by=leader,
            member=world.member,
            kind=LearningKind.objects.get(code="reading"),
            on=date(2026, 1, 6),
            title="《大国工匠》",
            notes="工匠精神",
        )
        certificate = services.record_add(
            by=leader,
            member=world.member,
            kind=LearningKind.objects.get(code="certificate"),
            on=date(2026, 1, 7),
            title="高级工",
            upload=files.jpeg(),
        )
        world.learning = {
            "competition": competition,
            "lesson": lesson,
            "book": book,
            "certificate": certificate,
        }
    return world.learning


def _l(world, key):
    return learning_records(world)[key].pk


HQ = {"hq", "welfare_hq", "hq_evaluator"}
WORKSHOPS = {"workshop_own", "workshop_other", "multi_own", "inspector"}
LEADERS = {"leader_own", "leader_other"}
# Those whose scope holds A1 (its own part of the organisation).
OWN = HQ | {"workshop_own", "leader_own", "multi_own"}
# Those who read A1's records: its own part, evaluators, its panel's inspector.
A1_READERS = OWN | {"evaluator", "inspector"}

# The overview and the competitions for every staff role; recording a competition for
# those who keep a part of the organisation; workshop union A's competition read by A's
# part and its groups' leaders (and evaluators, A1's inspector), its results entered by
# workshop union A and HQ; A1's learning page for A1's readers, its weekly lessons recorded
# by A1's own part; a member's learning page and a book for A1's own part and the member
# themselves; the certificate's scan for A1's readers and the member.
RULES = {
    "learning:home": (
        "get",
        lambda w: "/learning/",
        None,
        HQ | WORKSHOPS | LEADERS | {"evaluator"},
    ),
    "learning:competition_list": (
        "get",
        lambda w: (learning_records(w), "/learning/competitions/")[1],
        None,
        HQ | WORKSHOPS | LEADERS | {"evaluator"},
    ),
    "learning:competition_new": (
        "get",
        lambda w: "/learning/competitions/new/",
        None,
        HQ | WORKSHOPS | LEADERS,
    ),
    "learning:competition_detail": (
        "get",
        lambda w: f"/learning/competitions/{_l(w, 'competition')}/",
        None,
        A1_READERS,
    ),
    "learning:competition_edit": (
        "get",
        lambda w: f"/learning/competitions/{_l(w, 'competition')}/edit/",
        None,
        HQ | {"workshop_own"},
    ),
    "learning:results": (
        "get",
        lambda w: f"/learning/competitions/{_l(w, 'competition')}/results/",
        None,
        HQ | {"workshop_own"},
    ),
    "learning:results_import": (
        "get",
        lambda w: f"/learning/competitions/{_l(w, 'competition')}/import/",
        None,
        HQ | {"workshop_own"},
    ),
    "learning:results_template": (
        "get",
        lambda w: f"/learning/competitions/{_l(w, 'competition')}/template.xlsx",
        None,
        HQ | {"workshop_own"},
    ),
    "learning:group": ("get", lambda w: f"/learning/groups/{w.org.A1.pk}/", None, A1_READERS),
    "learning:lesson_new": (
        "get",
        lambda w: f"/learning/groups/{w.org.A1.pk}/lessons/new/",
        None,
        OWN,
    ),
    "learning:lesson_delete": (
        "post",
        lambda w: f"/learning/lessons/{_l(w, 'lesson')}/delete/",
        {},
        OWN,
    ),
    "learning:member": (
        "get",
        lambda w: f"/learning/members/{w.member.pk}/",
        None,
        OWN | {"member"},
    ),
    "learning:record_new": (
        "get",
        lambda w: f"/learning/members/{w.member.pk}/records/new/",
        None,
        OWN | {"member"},
    ),
    "learning:record_delete": (
        "post",
        lambda w: f"/learning/records/{_l(w, 'book')}/delete/",
        {},
        OWN | {"member"},
    ),
    "learning:record_file": (
        "get",
        lambda w: f"/learning/records/{_l(w, 'certificate')}/file",
        None,
        A1_READERS | {"member"},
    ),
}

MEMBER_PAGES = {
    "learning:member",
    "learning:record_new",
    "learning:record_delete",
    "learning:record_file",
}

# The marker competition of B2 on the list: those whose scope holds B2 (evaluators read all).
LIST_MARKERS = {
    "learning:competition_list": HQ | {"workshop_other", "multi_own", "inspector", "evaluator"},
}
