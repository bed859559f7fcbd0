"""Welfare records and rules for the permission matrix
(tests/hardening/test_permission_matrix.py), made on first use inside the test's
transaction: an 教育助学 case of A1's member, filed by A1's leader, reviewed by workshop
union A and approved by HQ's welfare staff, posted (公示) with an objection waiting.

Who may do what: letting a paper follow later (后补), recording and answering objections
and putting cases into a payment batch are HQ's welfare staff's; the notice board is open
to every login of the organisation, members included (name, workshop union, type and
amount only)."""

from funds.models import Fund
from welfare import services
from welfare.models import CaseType, RequiredDocument
from welfare.services import publicity

LOGGED_IN = {
    "hq",
    "welfare_hq",
    "workshop_own",
    "workshop_other",
    "leader_own",
    "leader_other",
    "evaluator",
    "multi_own",
    "hq_evaluator",
    "inspector",
    "member",
}


def welfare_records(world):
    if not hasattr(world, "welfare"):
        users = world.users
        education = CaseType.objects.get(code="education")
        case = services.case_create(
            by=users["leader_own"],
            member=world.org.members["A1"][2],
            case_type=education,
            reason="子女考入大学",
            amount_requested="3000",
        )
        for requirement in RequiredDocument.objects.filter(case_type=education):
            services.case_receive_paper(
                case=case, by=users["workshop_own"], requirement=requirement
            )
        case.refresh_from_db()
        case = services.case_workshop_review(
            case=case, by=users["workshop_own"], version=case.version, approve=True
        )
        case = services.case_approve(
            case=case,
            by=users["welfare_hq"],
            version=case.version,
            amount_approved="3000",
            fund=Fund.objects.get(code="union_funds"),
        )
        objection = publicity.objection_record(
            case=case,
            by=users["welfare_hq"],
            received_on=case.publicity.starts_on,
            content="其家庭收入情况与申请不符",
        )
        world.welfare = {"posted": case, "objection": objection}
    return world.welfare


def posted_url(world, tail: str) -> str:
    return f"/welfare/cases/{welfare_records(world)['posted'].pk}/{tail}"


RULES = {
    "welfare:publicity": ("get", lambda w: "/welfare/publicity/", None, LOGGED_IN),
    "welfare:case_waive": (
        "post",
        lambda w: f"/welfare/cases/{w.case.pk}/waive/",
        {},
        {"welfare_hq"},
    ),
    "welfare:objection_add": (
        "post",
        lambda w: posted_url(w, "objections/"),
        {},
        {"welfare_hq"},
    ),
    "welfare:objection_answer": (
        "post",
        lambda w: posted_url(w, f"objections/{welfare_records(w)['objection'].pk}/answer/"),
        {},
        {"welfare_hq"},
    ),
    "welfare:case_batch": ("post", lambda w: "/welfare/cases/batch/", {}, {"welfare_hq"}),
}
