"""Every URL of the project, for every role: the allowed ones succeed, the others get
403/404 or the login page, never the data. The list of URLs comes from the URL resolver,
so a new URL without a rule here fails the suite.

The records asked for all belong to group A1 of workshop union A. The roles:
anonymous; a member with a ballot code (no account); HQ staff without and with the
welfare flag; the workshop union of A and that of B; the leader of A1 and of B1; an
evaluator of the periods; two people with several roles: the workshop union of B who
also leads A1, and HQ staff (without the welfare flag) who also evaluate; and an
inspector: another workshop union user of B who leads the inspection panel that holds
A1's declaration (so reads A1's records as a panel member, and nothing else of A); and a
member of A1 with an activated login (the member whose records the URLs ask for).

The list pages are checked for their rows too: a marker record in group B2 shows on a
list exactly for those whose scope holds B2.
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Role
from activities import services as activity_services
from groups.models import UnionGroup
from homes.models import HomeTitle, Notice
from scoring import services as scoring
from scoring.models import (
    Adjustment,
    AdjustmentItem,
    AdjustmentKind,
    AssessmentPeriod,
    Criterion,
    GroupResult,
    Indicator,
    IndicatorKind,
    Level,
    RubricVersion,
    Subject,
    Waiver,
    WaiverKind,
    WorkshopResult,
)
from tests import files
from tests.activities.matrix import RULES as ACTIVITY_RULES
from tests.binders.matrix import RULES as BINDER_RULES
from tests.campaigns.matrix import LIST_MARKERS as CAMPAIGN_MARKERS
from tests.campaigns.matrix import MEMBER_PAGES as CAMPAIGN_MEMBER_PAGES
from tests.campaigns.matrix import RULES as CAMPAIGN_RULES
from tests.caretasks.matrix import care_records, care_url
from tests.congresses.matrix import LIST_MARKERS as CONGRESS_MARKERS
from tests.congresses.matrix import RULES as CONGRESS_RULES
from tests.democracy.matrix import MEMBER_PAGES as DEMOCRACY_MEMBER_PAGES
from tests.democracy.matrix import RULES as DEMOCRACY_RULES
from tests.disclosures.matrix import LIST_MARKERS as DISCLOSURE_MARKERS
from tests.disclosures.matrix import MEMBER_PAGES as DISCLOSURE_MEMBER_PAGES
from tests.disclosures.matrix import RULES as DISCLOSURE_RULES
from tests.dues.matrix import dues_records, dues_url
from tests.factories import ActivityFactory, UserFactory, leader_user, publish, workshop_user
from tests.funds.matrix import RULES as FUNDS_RULES
from tests.improvements.matrix import LIST_MARKERS as IMPROVEMENT_MARKERS
from tests.improvements.matrix import MEMBER_PAGES as IMPROVEMENT_MEMBER_PAGES
from tests.improvements.matrix import RULES as IMPROVEMENT_RULES
from tests.jobs.matrix import MEMBER_PAGES as JOB_MEMBER_PAGES
from tests.jobs.matrix import RULES as JOB_RULES
from tests.learning.matrix import LIST_MARKERS as LEARNING_MARKERS
from tests.learning.matrix import MEMBER_PAGES as LEARNING_MEMBER_PAGES
from tests.learning.matrix import RULES as LEARNING_RULES
from tests.plans.matrix import RULES as PLAN_RULES
from tests.rectifications.matrix import LIST_MARKERS as RECTIFICATION_MARKERS
from tests.rectifications.matrix import RULES as RECTIFICATION_RULES
from tests.welfare.matrix import RULES as WELFARE_RULES
from unionhome.models import Organisation
from welfare import services as welfare
from welfare.models import CaseType

ROLES = [
    "anonymous",
    "ballot",
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
]
LOGGED_IN = set(ROLES) - {"anonymous", "ballot"}
PUBLIC = set(ROLES)
HQ = {"hq", "welfare_hq", "hq_evaluator"}
EVALUATORS = {"evaluator", "hq_evaluator"}
WORKSHOPS = {"workshop_own", "workshop_other", "multi_own", "inspector"}
OWN = HQ | {"workshop_own", "leader_own", "multi_own"}  # everyone whose scope holds A1
# Those who read A1's records (台账): its own part, evaluators, its panel's inspector.
OWN_AND_EVALUATOR = OWN | {"evaluator", "inspector"}
CHANGE_REACH = HQ | WORKSHOPS | {"leader_own", "leader_other"}
MANAGE_OWN = HQ | {"workshop_own"}
WELFARE_DETAILS = {"welfare_hq", "workshop_own", "leader_own"}  # the leader filed the case
ARCHIVE = {"welfare_hq", "workshop_own"}
# Those whose scope holds group B2 (of workshop union B), for the list markers.
SEE_B2 = HQ | {"workshop_other", "multi_own", "inspector"}
SEE_B2_RECORDS = SEE_B2 | {"evaluator"}


@pytest.fixture
def world(org, reference_data_light):
    return build_world(org)


def build_world(org) -> SimpleNamespace:
    """The records every URL needs, and a user of each role (see the module's text)."""
    ns = SimpleNamespace(org=org)
    Organisation.objects.create(name="示范矿工会", emblem=files.png("会徽.png"))
    users = {
        "hq": UserFactory(role=Role.HQ),
        "welfare_hq": UserFactory(role=Role.HQ, handles_welfare=True),
        "workshop_own": workshop_user(org.a),
        "workshop_other": workshop_user(org.b),
        "leader_own": leader_user(org.A1),
        "leader_other": leader_user(org.B1),
        "evaluator": UserFactory(role=Role.EVALUATOR),
        "multi_own": UserFactory(
            role=Role.WORKSHOP, workshop=org.b, roles=[(Role.GROUP_LEADER, None, org.A1)]
        ),
        "hq_evaluator": UserFactory(role=Role.HQ, roles=[(Role.EVALUATOR, None, None)]),
        "inspector": workshop_user(org.b),
    }
    ns.users = users
    ns.member = org.members["A1"][0]
    ns.activity = ActivityFactory(
        group=org.A1,
        held_on=date(2026, 1, 10),
        recorded_by=users["hq"],
        participants=org.members["A1"],
    )
    photo = activity_services.attachment_stage(uploaded=files.jpeg(), by=users["hq"])
    photo.activity = ns.activity
    photo.save()
    ns.photo = photo
    ns.deleted = ActivityFactory(group=org.A1, held_on=date(2026, 1, 11), recorded_by=users["hq"])
    activity_services.activity_delete(activity=ns.deleted, by=users["hq"])
    activity_services.report_submit(
        group=org.A1, month=date(2026, 1, 1), by=users["leader_own"], version=0, summary="本月小结"
    )
    ns.case = welfare.case_create(
        by=users["leader_own"],
        member=ns.member,
        case_type=CaseType.objects.get(code="relief"),
        reason="房屋受灾",
        amount_requested="2000",
    )
    ns.document = welfare.case_add_document(
        case=ns.case, by=users["leader_own"], uploaded=files.pdf()
    )
    ns.requirement = ns.case.case_type.requirements.first()
    ns.record = welfare.hardship_open(
        by=users["workshop_own"],
        member=org.members["A1"][1],
        hardship_class="relative_hardship",
        household_income="3000",
        household_size=3,
        household_situation="子女上学",
        causes=["education"],
    )
    ns.published = AssessmentPeriod.objects.create(
        name="2026年第一季度", start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    ns.running = AssessmentPeriod.objects.create(
        name="2026年度", start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    for period in (ns.published, ns.running):
        period.evaluators.add(users["evaluator"], users["hq_evaluator"])
    # A1's bonus, with evidence, counted on its published card.
    item = AdjustmentItem.objects.create(
        criterion=Criterion.objects.filter(version=ns.published.rubric).first(),
        kind=AdjustmentKind.BONUS,
        name="获公司表彰",
        points_each=1,
        cap=2,
    )
    ns.adjustment = Adjustment(
        period=ns.published, group=org.A1, item=item, points=1, reason="表彰", by=users["hq"]
    )
    ns.adjustment.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4 A1"), save=False)
    ns.adjustment.evidence_mime = "application/pdf"
    ns.adjustment.save()
    scoring.score_compute(period=ns.published, by=users["hq"])
    run = publish(ns.published, users["hq"])
    GroupResult.objects.filter(run=run, group=org.A1).update(level=Level.MODEL, total=Decimal("95"))
    ns.code = scoring.ballots_issue(period=ns.running, group=org.A1, by=users["hq"], count=1)[0]
    ns.waiver = Waiver.objects.create(
        period=ns.running, group=org.A1, kind=WaiverKind.SURVEY, reason="未组织测评", by=users["hq"]
    )
    _workshop_assessment(ns, org, users)
    _b2_markers(ns, org, users)
    _small_homes(ns, org, users)
    _membership(ns, org, users)
    _member_login(ns, org, users)
    return ns


def _membership(ns, org, users):
    """A joining link of A1 with an application waiting, and a member of A1 transferred
    out with a letter."""
    from membership import services as membership
    from tests.factories import MemberFactory

    ns.join_link = membership.join_link_create(by=users["hq"], workshop=org.a, group=org.A1)
    ns.application = membership.application_submit_public(
        link=ns.join_link,
        address=None,
        employee_no="77001",
        name="入会甲",
        gender="M",
        statement=True,
    ).application
    ns.transfer = membership.transfer_out(
        member=MemberFactory(group=org.A1),
        by=users["hq"],
        to_organisation="某公司",
        transferred_on=date(2026, 1, 15),
        reason="调动",
    )


def _workshop_assessment(ns, org, users):
    """A published workshop unions' period on which workshop union A is on the list."""
    rubric = RubricVersion.objects.create(year=2026, subject=Subject.WORKSHOPS)
    Indicator.objects.create(
        criterion=Criterion.objects.create(version=rubric, code="w", name="建家", weight=100),
        code="coverage",
        name="小家覆盖率",
        kind=IndicatorKind.COMPUTED,
        metric="workshop.home_coverage",
        target=1,
    )
    ns.workshops = AssessmentPeriod.objects.create(
        name="2026年车间工会考核",
        subject=Subject.WORKSHOPS,
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
    )
    ns.workshops.evaluators.add(users["evaluator"], users["hq_evaluator"])
    run = scoring.score_compute(period=ns.workshops, by=users["hq"])
    WorkshopResult.objects.filter(run=run, workshop=org.a).update(
        level=Level.QUALIFIED, top_ten=True
    )
    scoring.score_publish(period=ns.workshops, by=users["hq"])


def _small_homes(ns, org, users):
    """A1 holds last year's 合格 and declared for 先进 this year: recommended and with the
    panel (led by the inspector) on site; last year's draft is still open for edits; its
    re-check waits for HQ's decision. A2 is declared, B1 recommended, A3 in a notice."""
    from homes import services as homes
    from homes.models import (
        CreationYear,
        Declaration,
        DeclarationStatus,
        NamingDocument,
        PanelRule,
    )
    from tests.factories import UnionGroupFactory, accepted_home, today

    hq, leader, workshop = users["hq"], users["leader_own"], users["workshop_own"]
    this_year = today().year
    ns.year = CreationYear.objects.create(
        year=this_year,
        declarations_open=today() - timedelta(days=30),
        declarations_close=min(today() + timedelta(days=30), date(this_year, 12, 31)),
    )
    last = CreationYear.objects.create(
        year=this_year - 1,
        declarations_open=date(this_year - 1, 9, 1),
        declarations_close=date(this_year - 1, 11, 1),
    )
    accepted_home(org.A1)
    document = NamingDocument.objects.create(
        year=last, document_no="矿工发〔2025〕15号", named_on=date(this_year - 1, 12, 20)
    )
    ns.title = HomeTitle.objects.create(
        group=org.A1,
        level="qualified",
        year=this_year - 1,
        document=document,
        certificate_no="XJ-T-1",
        named_on=date(this_year - 1, 12, 20),
    )
    ns.naming = document
    ns.plan = homes.plan_save(
        group=org.A1,
        year=this_year,
        by=leader,
        target_level="advanced",
        rules="每月一次小组会",
        core=[{"member": org.members["A1"][0].pk, "post": "组长"}],
        measures={"political_study": "每周一次读报"},
        rules_file=files.pdf(),
    )
    ns.plan = homes.plan_submit(plan=ns.plan, by=leader, version=ns.plan.version)
    ns.plan = homes.plan_approve(plan=ns.plan, by=workshop, version=ns.plan.version)

    def declare(group, by):
        declaration = homes.declaration_open(group=group, year=this_year, by=by)
        lines = {
            i["code"]: {"self": "1", "comment": "", "evidence": []}
            for _c, i in declaration.indicators()
        }
        declaration = homes.declaration_save(
            declaration=declaration, by=by, version=declaration.version, lines=lines, summary="事迹"
        )
        return homes.declaration_submit(declaration=declaration, by=by, version=declaration.version)

    declaration = declare(org.A1, leader)
    declaration = homes.declaration_recommend(
        declaration=declaration,
        by=workshop,
        version=declaration.version,
        level="advanced",
        opinion="同意",
    )
    ns.panel = homes.panel_save(
        year=ns.year,
        by=hq,
        name="第一考评小组",
        leader=users["inspector"],
        members=[users["hq_evaluator"]],
        rule=PanelRule.MEAN,
    )
    ns.declaration = homes.declaration_assign(
        declaration=declaration, by=hq, version=declaration.version, panel=ns.panel
    )
    inspection = homes.inspection_save(
        declaration=ns.declaration,
        by=users["inspector"],
        scores={i["code"]: "1" for _c, i in ns.declaration.indicators()},
        checks={},
        photos=[files.jpeg()],
    )
    ns.inspection_photo = inspection.photos.get()
    ns.draft = Declaration.objects.create(
        group=org.A1,
        year=last,
        scheme=ns.declaration.scheme,
        lines={
            code: {"self": None, "comment": "", "evidence": []} for code in ns.declaration.lines
        },
        created_by=leader,
    )
    ns.evidence = homes.declaration_add_file(declaration=ns.draft, by=leader, uploaded=files.pdf())
    ns.recheck = homes.recheck_open(group=org.A1, year=this_year, by=hq, reason="年度复查")
    Declaration.objects.filter(pk=ns.recheck.pk).update(
        status=DeclarationStatus.SIGNED_OFF, panel=ns.panel, panel_total=80
    )
    # A2 declared (with its workshop union), B1 recommended (waiting for a panel).
    for group in (org.A2, org.B1):
        UnionGroup.objects.filter(pk=group.pk).update(
            home_stage="building", home_started_on=date(this_year, 1, 5)
        )
        plan = homes.plan_save(
            group=group,
            year=this_year,
            by=hq,
            target_level="qualified",
            rules="制度",
            core=[{"member": org.members[group.code][0].pk, "post": "组长"}],
            measures={"political_study": "学习"},
        )
        plan = homes.plan_submit(plan=plan, by=hq, version=plan.version)
        homes.plan_approve(
            plan=plan,
            by=users["workshop_own" if group == org.A2 else "workshop_other"],
            version=plan.version,
        )
    ns.declared = declare(org.A2, hq)
    b1 = declare(org.B1, hq)
    ns.recommended = homes.declaration_recommend(
        declaration=b1,
        by=users["workshop_other"],
        version=b1.version,
        level="qualified",
        opinion="同意",
    )
    # A3: accepted and in a notice, with an objection.
    a3 = UnionGroupFactory(workshop=org.a, name="化验班", code="A3")
    UnionGroup.objects.filter(pk=a3.pk).update(
        home_stage="in_notice",
        home_started_on=date(this_year, 1, 5),
        home_accepted_on=today(),
    )
    in_notice = Declaration.objects.create(
        group=a3,
        year=ns.year,
        status=DeclarationStatus.IN_NOTICE,
        scheme=[],
        lines={},
        recommended_level="qualified",
        proposed_level="qualified",
        panel_total=80,
        created_by=hq,
    )
    ns.notice = Notice.objects.create(
        year=ns.year,
        title="公示",
        starts_on=today(),
        ends_on=today() + timedelta(days=6),
        published_by=hq,
    )
    ns.notice.declarations.add(in_notice)
    ns.objection = homes.objection_file(
        notice=ns.notice, declaration=in_notice, by=users["leader_other"], text="异议"
    )


MARKER = "标记甲乙"  # in every record of group B2 a list could show


def _b2_markers(ns, org, users):
    marked = org.members["B2"][0]
    marked.name = MARKER
    marked.save()
    ActivityFactory(group=org.B2, title=MARKER, held_on=date(2026, 1, 12), recorded_by=users["hq"])
    gone = ActivityFactory(
        group=org.B2, title=MARKER, held_on=date(2026, 1, 13), recorded_by=users["hq"]
    )
    activity_services.activity_delete(activity=gone, by=users["hq"])
    welfare.case_create(
        by=users["workshop_other"],
        member=marked,
        case_type=CaseType.objects.get(code="relief"),
        reason="标记",
        amount_requested="100",
    )
    welfare.hardship_open(
        by=users["workshop_other"],
        member=marked,
        hardship_class="relative_hardship",
        household_income="2000",
        household_size=2,
        household_situation="标记",
        causes=["illness"],
    )


@pytest.fixture
def reference_data_light(db):
    """The migrations' reference data is there in a test wrapped in a transaction."""


# name: (method, url maker, POST data, roles that succeed)
RULES = {
    "home": ("get", lambda w: "/", None, LOGGED_IN),
    "login": ("get", lambda w: "/accounts/login/", None, PUBLIC),
    # Logging out ends on the login page for everybody.
    "logout": ("post", lambda w: "/accounts/logout/", {}, set()),
    "password_change": ("get", lambda w: "/accounts/password/", None, LOGGED_IN),
    "password_change_done": ("get", lambda w: "/accounts/password/done/", None, LOGGED_IN),
    "set_language": ("post", lambda w: "/i18n/setlang/", {"language": "en"}, PUBLIC),
    "healthz": ("get", lambda w: "/healthz", None, PUBLIC),
    "emblem": ("get", lambda w: "/emblem", None, PUBLIC),  # on the login page
    # Larger text: anybody's own reading preference (a cookie, and the user's record).
    "text_size": ("post", lambda w: "/text-size/", {"large": "1", "next": "/"}, PUBLIC),
    "groups:org_tree": ("get", lambda w: "/org/", None, LOGGED_IN),
    "groups:workshop_detail": (
        "get",
        lambda w: f"/org/workshops/{w.org.a.pk}/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "groups:group_detail": (
        "get",
        lambda w: f"/org/groups/{w.org.A1.pk}/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "groups:group_posts": ("get", lambda w: f"/org/groups/{w.org.A1.pk}/posts/", None, OWN),
    "groups:member_list": ("get", lambda w: "/members/", None, CHANGE_REACH),
    "groups:member_export": ("get", lambda w: "/members/export.xlsx", None, CHANGE_REACH),
    "groups:member_create": ("get", lambda w: "/members/new/", None, CHANGE_REACH),
    "groups:member_import": ("get", lambda w: "/members/import/", None, CHANGE_REACH),
    "groups:member_import_confirm": (
        "post",
        lambda w: "/members/import/confirm/",
        {},
        CHANGE_REACH,
    ),
    "groups:member_import_template": (
        "get",
        lambda w: "/members/import/template.xlsx",
        None,
        CHANGE_REACH,
    ),
    "groups:member_detail": ("get", lambda w: f"/members/{w.member.pk}/", None, OWN),
    "groups:member_edit": ("get", lambda w: f"/members/{w.member.pk}/edit/", None, OWN),
    "groups:member_move": ("get", lambda w: f"/members/{w.member.pk}/move/", None, MANAGE_OWN),
    "groups:member_leave": ("get", lambda w: f"/members/{w.member.pk}/leave/", None, MANAGE_OWN),
    "groups:member_rejoin": ("get", lambda w: f"/members/{w.member.pk}/rejoin/", None, MANAGE_OWN),
    "activities:activity_list": ("get", lambda w: "/activities/", None, LOGGED_IN),
    "activities:activity_create": ("get", lambda w: "/activities/new/", None, CHANGE_REACH),
    "activities:deleted_list": ("get", lambda w: "/activities/deleted/", None, CHANGE_REACH),
    "activities:participation": ("get", lambda w: "/activities/participation/", None, LOGGED_IN),
    "activities:activity_detail": (
        "get",
        lambda w: f"/activities/{w.activity.pk}/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "activities:activity_edit": ("get", lambda w: f"/activities/{w.activity.pk}/edit/", None, OWN),
    "activities:activity_delete": (
        "get",
        lambda w: f"/activities/{w.activity.pk}/delete/",
        None,
        OWN,
    ),
    "activities:activity_restore": (
        "post",
        lambda w: f"/activities/{w.deleted.pk}/restore/",
        {},
        OWN,
    ),
    "activities:attachment": (
        "get",
        lambda w: f"/activities/files/{w.photo.pk}/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "activities:attachment_thumb": (
        "get",
        lambda w: f"/activities/files/{w.photo.pk}/thumb/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "activities:calendar": (
        "get",
        lambda w: f"/activities/calendar/{w.org.A1.pk}/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "activities:report_list": ("get", lambda w: "/reports/", None, LOGGED_IN),
    "activities:report_overdue": ("get", lambda w: "/reports/overdue/", None, LOGGED_IN),
    "activities:report_export": ("get", lambda w: "/reports/export.xlsx", None, LOGGED_IN),
    # Those who review reports: each approves only what is in their reach (tested apart).
    "activities:report_review": ("get", lambda w: "/reports/review/", None, HQ | WORKSHOPS),
    "activities:report_approve_many": (
        "post",
        lambda w: "/reports/review/approve/",
        {"report": "0:0"},
        HQ | WORKSHOPS,
    ),
    "activities:report_detail": (
        "get",
        lambda w: f"/reports/{w.org.A1.pk}/2026-01/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "activities:report_save": (
        "post",
        lambda w: f"/reports/{w.org.A1.pk}/2026-02/save/",
        {"summary": "草稿", "version": "0"},
        OWN,
    ),
    "activities:report_submit": (
        "post",
        lambda w: f"/reports/{w.org.A1.pk}/2026-02/submit/",
        {"summary": "二月小结", "version": "0"},
        OWN,
    ),
    # The January report was submitted by the leader of A1: they may not review it.
    "activities:report_return": (
        "post",
        lambda w: f"/reports/{w.org.A1.pk}/2026-01/return/",
        {"reason": "补充照片", "version": "2"},
        MANAGE_OWN,
    ),
    "activities:report_approve": (
        "post",
        lambda w: f"/reports/{w.org.A1.pk}/2026-01/approve/",
        {"reason": "", "version": "2"},
        MANAGE_OWN,
    ),
    "activities:report_print": (
        "get",
        lambda w: f"/reports/{w.org.A1.pk}/2026-01/print/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "welfare:case_list": ("get", lambda w: "/welfare/cases/", None, CHANGE_REACH),
    "welfare:case_create": (
        "get",
        lambda w: f"/welfare/cases/new/?member={w.member.pk}",
        None,
        WELFARE_DETAILS | {"multi_own"},  # the leader of A1 applies for its members
    ),
    "welfare:case_export": ("get", lambda w: "/welfare/cases/export.xlsx", None, {"welfare_hq"}),
    "welfare:case_detail": ("get", lambda w: f"/welfare/cases/{w.case.pk}/", None, OWN),
    "welfare:case_edit": (
        "get",
        lambda w: f"/welfare/cases/{w.case.pk}/edit/",
        None,
        WELFARE_DETAILS,
    ),
    "welfare:case_print": (
        "get",
        lambda w: f"/welfare/cases/{w.case.pk}/print/",
        None,
        WELFARE_DETAILS,
    ),
    "welfare:case_step": (
        "post",
        lambda w: f"/welfare/cases/{w.case.pk}/step/workshop_review/",
        {"version": "1"},
        {"welfare_hq", "workshop_own"},
    ),
    "welfare:document_add": (
        "post",
        lambda w: f"/welfare/cases/{w.case.pk}/documents/",
        {},
        WELFARE_DETAILS,
    ),
    "welfare:paper_received": (
        "post",
        lambda w: f"/welfare/cases/{w.case.pk}/papers/{w.requirement.pk}/",
        {},
        {"welfare_hq", "workshop_own"},
    ),
    "welfare:document": (
        "get",
        lambda w: f"/welfare/documents/{w.document.pk}/",
        None,
        WELFARE_DETAILS,
    ),
    "welfare:archive_list": (
        "get",
        lambda w: "/welfare/archive/",
        None,
        ARCHIVE | {"workshop_other", "multi_own", "inspector"},
    ),
    "welfare:archive_create": (
        "get",
        lambda w: f"/welfare/archive/new/?member={w.member.pk}",
        None,
        ARCHIVE,
    ),
    "welfare:archive_export": (
        "get",
        lambda w: "/welfare/archive/export.xlsx",
        None,
        {"welfare_hq"},
    ),
    "welfare:archive_detail": ("get", lambda w: f"/welfare/archive/{w.record.pk}/", None, ARCHIVE),
    "welfare:archive_edit": (
        "get",
        lambda w: f"/welfare/archive/{w.record.pk}/edit/",
        None,
        ARCHIVE,
    ),
    "welfare:archive_review": (
        "post",
        lambda w: f"/welfare/archive/{w.record.pk}/review/",
        {},
        ARCHIVE,
    ),
    "welfare:archive_exit": (
        "post",
        lambda w: f"/welfare/archive/{w.record.pk}/exit/",
        {},
        ARCHIVE,
    ),
    "welfare:archive_print": (
        "get",
        lambda w: f"/welfare/archive/{w.record.pk}/print/",
        None,
        ARCHIVE,
    ),
    "welfare:care": ("get", lambda w: f"/welfare/care/{w.org.A1.pk}/", None, OWN),
    "welfare:visit_create": (
        "get",
        lambda w: f"/welfare/visits/new/?member={w.member.pk}",
        None,
        OWN,
    ),
    "welfare:access_log": ("get", lambda w: "/welfare/access-log/", None, {"welfare_hq"}),
    "scoring:period_list": ("get", lambda w: "/assessment/", None, LOGGED_IN),
    "scoring:period_detail": ("get", lambda w: f"/assessment/{w.published.pk}/", None, LOGGED_IN),
    "scoring:period_action": (
        "post",
        lambda w: f"/assessment/{w.published.pk}/action/",
        {"action": "compute"},
        HQ,
    ),
    "scoring:waivers_add": (
        "post",
        lambda w: f"/assessment/{w.running.pk}/not-applicable/",
        {"keys": "survey:1:0", "reason": "不适用"},
        HQ,
    ),
    "scoring:waiver_remove": (
        "post",
        lambda w: f"/assessment/not-applicable/{w.waiver.pk}/remove/",
        {},
        HQ,
    ),
    "scoring:ranking": ("get", lambda w: f"/assessment/{w.published.pk}/ranking/", None, LOGGED_IN),
    "scoring:ranking_export": (
        "get",
        lambda w: f"/assessment/{w.published.pk}/ranking.xlsx",
        None,
        HQ | WORKSHOPS | {"evaluator"},
    ),
    "scoring:scorecard": (
        "get",
        lambda w: f"/assessment/{w.published.pk}/groups/{w.org.A1.pk}/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "scoring:sheet": (
        "get",
        lambda w: f"/assessment/{w.published.pk}/groups/{w.org.A1.pk}/sheet/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "scoring:workshop_card": (
        "get",
        lambda w: f"/assessment/{w.workshops.pk}/workshops/{w.org.a.pk}/",
        None,
        HQ | EVALUATORS | {"workshop_own"},
    ),
    "scoring:workshop_sheet": (
        "get",
        lambda w: f"/assessment/{w.workshops.pk}/workshops/{w.org.a.pk}/sheet/",
        None,
        HQ | EVALUATORS | {"workshop_own"},
    ),
    "scoring:workshop_certificate": (
        "get",
        lambda w: f"/assessment/{w.workshops.pk}/workshops/{w.org.a.pk}/certificate/",
        None,
        HQ | EVALUATORS | {"workshop_own"},
    ),
    "scoring:evaluate_workshop": (
        "get",
        lambda w: f"/assessment/{w.workshops.pk}/evaluate/workshops/{w.org.a.pk}/",
        None,
        EVALUATORS,
    ),
    "scoring:evaluate": (
        "get",
        lambda w: f"/assessment/{w.running.pk}/evaluate/",
        None,
        EVALUATORS,
    ),
    "scoring:evaluate_group": (
        "get",
        lambda w: f"/assessment/{w.running.pk}/evaluate/{w.org.A1.pk}/",
        None,
        EVALUATORS,
    ),
    "scoring:vetoes": ("get", lambda w: f"/assessment/{w.running.pk}/vetoes/", None, HQ),
    "scoring:measure_preview": (
        "get",
        lambda w: "/assessment/measures/preview/?kind=count&source=activities.activity&per=total",
        None,
        HQ,
    ),
    "scoring:adjustments": (
        "get",
        lambda w: f"/assessment/{w.running.pk}/adjustments/",
        None,
        HQ,
    ),
    "scoring:adjustment_evidence": (
        "get",
        lambda w: f"/assessment/adjustments/{w.adjustment.pk}/evidence/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "scoring:ballots": (
        "get",
        lambda w: f"/assessment/{w.running.pk}/ballots/",
        None,
        HQ | WORKSHOPS,
    ),
    "scoring:latest_scorecard": (
        "get",
        lambda w: f"/assessment/groups/{w.org.A1.pk}/latest/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "scoring:ballot_entry": ("get", lambda w: "/b/", None, PUBLIC),
    "scoring:ballot": ("get", lambda w: f"/b/{w.code}/", None, PUBLIC),
    "homes:overview": ("get", lambda w: "/homes/", None, LOGGED_IN),
    "homes:groups": ("get", lambda w: "/homes/groups/", None, LOGGED_IN),
    "homes:group": ("get", lambda w: f"/homes/groups/{w.org.A1.pk}/", None, OWN_AND_EVALUATOR),
    # The plan is approved: its editor is sent to the plan's page.
    "homes:plan_edit": (
        "get",
        lambda w: f"/homes/groups/{w.org.A1.pk}/plan/{w.year.year}/",
        None,
        OWN,
    ),
    # A1 has declared this year: the step is refused with a message, on the group's page.
    "homes:declaration_open": (
        "post",
        lambda w: f"/homes/groups/{w.org.A1.pk}/declare/{w.year.year}/",
        {},
        OWN,
    ),
    "homes:recheck_open": (
        "post",
        lambda w: f"/homes/groups/{w.org.A1.pk}/recheck/",
        {},
        HQ,
    ),
    "homes:plans": ("get", lambda w: "/homes/plans/", None, LOGGED_IN),
    "homes:plan": ("get", lambda w: f"/homes/plans/{w.plan.pk}/", None, OWN_AND_EVALUATOR),
    # The plan is approved already: a reviewer is told so; nobody else may try.
    "homes:plan_approve": (
        "post",
        lambda w: f"/homes/plans/{w.plan.pk}/approve/",
        {"version": "0"},
        MANAGE_OWN,
    ),
    "homes:plan_return": ("post", lambda w: f"/homes/plans/{w.plan.pk}/return/", {}, MANAGE_OWN),
    "homes:plan_file": (
        "get",
        lambda w: f"/homes/plans/{w.plan.pk}/file/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "homes:declarations": ("get", lambda w: "/homes/declarations/", None, LOGGED_IN),
    "homes:declaration": (
        "get",
        lambda w: f"/homes/declarations/{w.declaration.pk}/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "homes:declaration_edit": (
        "get",
        lambda w: f"/homes/declarations/{w.draft.pk}/edit/",
        None,
        OWN,
    ),
    "homes:declaration_file_add": (
        "post",
        lambda w: f"/homes/declarations/{w.draft.pk}/files/",
        {},
        OWN_AND_EVALUATOR,
    ),
    "homes:declaration_recommend": (
        "get",
        lambda w: f"/homes/declarations/{w.declared.pk}/recommend/",
        None,
        MANAGE_OWN,
    ),
    # Sending the inspected declaration back: its panel's leader, or HQ.
    "homes:declaration_return": (
        "post",
        lambda w: f"/homes/declarations/{w.declaration.pk}/return/",
        {},
        HQ | {"inspector"},
    ),
    "homes:declaration_assign": (
        "post",
        lambda w: f"/homes/declarations/{w.recommended.pk}/assign/",
        {},
        HQ,
    ),
    "homes:inspect": (
        "get",
        lambda w: f"/homes/declarations/{w.declaration.pk}/inspect/",
        None,
        {"inspector", "hq_evaluator"},
    ),
    "homes:declaration_sign_off": (
        "post",
        lambda w: f"/homes/declarations/{w.declaration.pk}/sign-off/",
        {},
        {"inspector"},
    ),
    "homes:recheck_decide": (
        "post",
        lambda w: f"/homes/declarations/{w.recheck.pk}/decide/",
        {},
        HQ,
    ),
    "homes:declaration_file": (
        "get",
        lambda w: f"/homes/files/{w.evidence.pk}/",
        None,
        OWN_AND_EVALUATOR,
    ),
    "homes:inspection_photo": (
        "get",
        lambda w: f"/homes/photos/{w.inspection_photo.pk}/",
        None,
        HQ | {"inspector"},
    ),
    "homes:recheck_open_all": (
        "post",
        lambda w: "/homes/rechecks/open/",
        {},
        HQ,
    ),
    "homes:panels": ("get", lambda w: "/homes/panels/", None, HQ | {"inspector"}),
    "homes:panel": ("get", lambda w: f"/homes/panels/{w.panel.pk}/", None, HQ | {"inspector"}),
    "homes:notices": ("get", lambda w: "/homes/notices/", None, LOGGED_IN),
    "homes:notice_new": ("get", lambda w: "/homes/notices/new/", None, HQ),
    "homes:notice": ("get", lambda w: f"/homes/notices/{w.notice.pk}/", None, LOGGED_IN),
    "homes:notice_print": (
        "get",
        lambda w: f"/homes/notices/{w.notice.pk}/print/",
        None,
        LOGGED_IN,
    ),
    # Anybody of the organisation may object while a notice runs (here: the form's errors).
    "homes:objection_file": (
        "post",
        lambda w: f"/homes/notices/{w.notice.pk}/objections/",
        {},
        LOGGED_IN,
    ),
    "homes:naming": ("get", lambda w: f"/homes/notices/{w.notice.pk}/name/", None, HQ),
    "homes:objection_answer": (
        "post",
        lambda w: f"/homes/objections/{w.objection.pk}/answer/",
        {},
        HQ,
    ),
    "homes:naming_print": (
        "get",
        lambda w: f"/homes/namings/{w.naming.pk}/",
        None,
        LOGGED_IN,
    ),
    "homes:certificate": (
        "get",
        lambda w: f"/homes/titles/{w.title.pk}/certificate/",
        None,
        LOGGED_IN,
    ),
    "homes:title_end": ("post", lambda w: f"/homes/titles/{w.title.pk}/end/", {}, HQ),
    "dashboard:todo": ("get", lambda w: "/todo/", None, LOGGED_IN),
    "dashboard:summary": (
        "get",
        lambda w: "/summary/",
        None,
        HQ | WORKSHOPS,
    ),
    "dashboard:summary_export": (
        "get",
        lambda w: "/summary.xlsx",
        None,
        HQ | WORKSHOPS,
    ),
}


# Joining, employee counts and transfers (membership). The public link and the status page
# need no login and show nothing without the reference no. and check code.
RULES.update(
    {
        "membership:join": ("get", lambda w: f"/join/{w.join_link.token}/", None, PUBLIC),
        "membership:join_status": ("get", lambda w: "/join/status/", None, PUBLIC),
        "membership:application_list": (
            "get",
            lambda w: "/membership/applications/",
            None,
            CHANGE_REACH,
        ),
        "membership:application_create": (
            "get",
            lambda w: "/membership/applications/new/",
            None,
            CHANGE_REACH,
        ),
        "membership:application_detail": (
            "get",
            lambda w: f"/membership/applications/{w.application.pk}/",
            None,
            OWN,
        ),
        "membership:application_approve": (
            "post",
            lambda w: f"/membership/applications/{w.application.pk}/approve/",
            {"approved_on": "2026-02-01"},
            MANAGE_OWN,
        ),
        "membership:application_return": (
            "post",
            lambda w: f"/membership/applications/{w.application.pk}/return/",
            {"reason": "资料不全"},
            MANAGE_OWN,
        ),
        "membership:link_list": ("get", lambda w: "/membership/links/", None, CHANGE_REACH),
        "membership:link_poster": (
            "get",
            lambda w: f"/membership/links/{w.join_link.pk}/poster/",
            None,
            OWN,
        ),
        "membership:link_close": (
            "post",
            lambda w: f"/membership/links/{w.join_link.pk}/close/",
            {},
            MANAGE_OWN,
        ),
        "membership:employee_counts": (
            "get",
            lambda w: "/membership/employees/",
            None,
            HQ | WORKSHOPS,
        ),
        "membership:employee_import": (
            "get",
            lambda w: "/membership/employees/import/",
            None,
            HQ | WORKSHOPS,
        ),
        "membership:transfer_create": (
            "get",
            lambda w: f"/members/{w.member.pk}/transfer/",
            None,
            MANAGE_OWN,
        ),
        "membership:member_retire": (
            "get",
            lambda w: f"/members/{w.member.pk}/retire/",
            None,
            MANAGE_OWN,
        ),
        "membership:transfer_letter": (
            "get",
            lambda w: f"/membership/transfers/{w.transfer.pk}/letter/",
            None,
            MANAGE_OWN,
        ),
    }
)


def _member_login(ns, org, users):
    """The member of A1 whose records the URLs ask for, with an activated login, a
    suggestion to their workshop union, and a code waiting for another member of A1."""
    from portal import services as portal
    from tests.factories import member_user

    users["member"] = member_user(ns.member)
    ns.suggestion = portal.suggestion_file(
        member=ns.member, by=users["member"], kind="suggestion", text="增设微波炉"
    )
    portal.member_login_code_issue(member=org.members["A1"][1], by=users["hq"])


# Member logins (portal). Issuing codes and printing slips: those who change the member.
RULES.update(
    {
        "portal:activate": ("get", lambda w: "/activate/", None, PUBLIC),
        "portal:home": ("get", lambda w: "/me/", None, {"member"}),
        "portal:suggestion_new": ("get", lambda w: "/me/suggestions/new/", None, {"member"}),
        "portal:member_login": ("get", lambda w: f"/members/{w.member.pk}/login/", None, OWN),
        "portal:member_login_disable": (
            "get",
            lambda w: f"/members/{w.member.pk}/login/disable/",
            None,
            OWN,
        ),
        "portal:group_slips": (
            "get",
            lambda w: f"/org/groups/{w.org.A1.pk}/login-slips/",
            None,
            OWN,
        ),
        # The workshop unions and HQ answer; the filer reads their own.
        "portal:suggestion_list": ("get", lambda w: "/suggestions/", None, HQ | WORKSHOPS),
        "portal:suggestion_detail": (
            "get",
            lambda w: f"/suggestions/{w.suggestion.pk}/",
            None,
            HQ | {"workshop_own", "member"},
        ),
    }
)

# The member's login (a member of A1): every rule decided. Besides the public pages and
# their own (home, password, to-do), it opens the member's own record, their group's
# activities, calendar and photos, the public notices (公示), namings and certificates, and
# objecting to a notice; the pages open to every staff login (organisation, participation,
# reports, small-home process, assessment) stay shut.
MEMBER_OPENS = {
    "groups:member_detail",
    "activities:activity_detail",
    "activities:attachment",
    "activities:attachment_thumb",
    "activities:calendar",
}
MEMBER_SHUT = {
    "groups:org_tree",
    "activities:participation",
    "activities:report_list",
    "activities:report_overdue",
    "activities:report_export",
    "scoring:period_list",
    "scoring:period_detail",
    "scoring:ranking",
    "homes:overview",
    "homes:groups",
    "homes:plans",
    "homes:declarations",
}
for _name in MEMBER_OPENS | MEMBER_SHUT:
    _method, _url, _data, _allowed = RULES[_name]
    RULES[_name] = (_method, _url, _data, _allowed ^ {"member"})
MEMBER_PAGES = {
    *MEMBER_OPENS,
    "home",
    "login",
    "password_change",
    "password_change_done",
    "set_language",
    "healthz",
    "emblem",
    "text_size",
    "activities:activity_list",
    "scoring:ballot_entry",
    "scoring:ballot",
    "homes:notices",
    "homes:notice",
    "homes:notice_print",
    "welfare:publicity",
    "homes:objection_file",
    "homes:naming_print",
    "homes:certificate",
    "dashboard:todo",
    "membership:join",
    "membership:join_status",
    "portal:activate",
    "portal:home",
    "portal:suggestion_new",
    "portal:suggestion_detail",
}


def test_the_member_login_opens_exactly_the_pages_decided():
    """A new URL open to every login must be decided for the member too."""
    opened = {name for name, rule in RULES.items() if "member" in rule[3]}
    assert opened == MEMBER_PAGES


# Dues: the ledger and arrears for every role that reads a group's members (a leader their
# group's, without the pay); the rest for HQ and the workshop unions; a member's fixed amount
# and a payment taken back by the member's own workshop union (or HQ).
RULES.update(
    {
        "dues:ledger": ("get", lambda w: dues_url(w, "/dues/"), None, CHANGE_REACH),
        "dues:arrears": ("get", lambda w: dues_url(w, "/dues/arrears/"), None, CHANGE_REACH),
        "dues:rate": ("get", lambda w: "/dues/rate/", None, HQ | WORKSHOPS),
        "dues:export": ("get", lambda w: "/dues/export.xlsx", None, HQ | WORKSHOPS),
        "dues:collect": ("get", lambda w: "/dues/collect/", None, HQ | WORKSHOPS),
        "dues:compute": ("post", lambda w: "/dues/compute/", {}, HQ | WORKSHOPS),
        "dues:payroll_import": ("get", lambda w: "/dues/payroll/", None, HQ | WORKSHOPS),
        "dues:payroll_import_confirm": (
            "post",
            lambda w: "/dues/payroll/confirm/",
            {},
            HQ | WORKSHOPS,
        ),
        "dues:payroll_template": (
            "get",
            lambda w: "/dues/payroll/template.xlsx",
            None,
            HQ | WORKSHOPS,
        ),
        "dues:payment_import": ("get", lambda w: "/dues/payments/", None, HQ | WORKSHOPS),
        "dues:payment_import_confirm": (
            "post",
            lambda w: "/dues/payments/confirm/",
            {},
            HQ | WORKSHOPS,
        ),
        "dues:member": ("get", lambda w: f"/dues/members/{w.member.pk}/", None, OWN),
        "dues:fixed_add": (
            "post",
            lambda w: f"/dues/members/{w.member.pk}/fixed/",
            {},
            MANAGE_OWN,
        ),
        "dues:fixed_end": (
            "post",
            lambda w: f"/dues/fixed/{dues_records(w)['fixed'].pk}/end/",
            {},
            MANAGE_OWN,
        ),
        "dues:charge_undo": (
            "post",
            lambda w: f"/dues/charges/{dues_records(w)['charge'].pk}/undo/",
            {},
            MANAGE_OWN,
        ),
    }
)

# Welfare rules (issue 14): 后补, objections to a notice, payment batches for HQ's welfare
# staff; the notice board (公示) for every login, members included.
RULES.update(WELFARE_RULES)

# Funds (issue 14): the funds, budgets and statement for HQ's welfare staff; a workshop
# union its own batches (the 签领表 and the signed scan); bank batches for HQ.
RULES.update(FUNDS_RULES)

# Campaigns (issue 14): 送温暖 for HQ's welfare staff, the workshop unions and (their
# group's entries, name and amount) the group leaders; the donation drives and their public
# accounts for every login, members included.
RULES.update(CAMPAIGN_RULES)
MEMBER_PAGES |= CAMPAIGN_MEMBER_PAGES

# 整改 (issue 13): the list for every role reading items; an item of A1 for A1's readers;
# reporting for its owner and the office; closing and returning for the raiser and HQ.
RULES.update(RECTIFICATION_RULES)

# 厂务公开 / 班务公开 (issue 13): the register and the notice board for every login (a member
# reads what is posted for them); each step for A1's office (its leader) or reviewer
# (workshop union A, HQ); the feedback form for A1's member; who wrote it for HQ alone.
RULES.update(DISCLOSURE_RULES)
MEMBER_PAGES |= DISCLOSURE_MEMBER_PAGES

# 合理化建议 (issue 13): the list and the form for whoever files (a member's login: their
# own), the public list for every login, screening for the member's workshop union and HQ.
RULES.update(IMPROVEMENT_RULES)
MEMBER_PAGES |= IMPROVEMENT_MEMBER_PAGES

# 职代会 and 班组民主会 (issue 13): sessions and terms for every staff role; a workshop
# union's congress read by HQ, its union, its groups' leaders and the evaluators, recorded
# and declared by its union, approved or returned by HQ; group meetings by their leaders.
RULES.update(CONGRESS_RULES)

# 民主管理 (issue 13): the section's page for every login with a page in it; the star
# ratings on it for staff; confirming a year's ratings for HQ.
RULES.update(DEMOCRACY_RULES)
MEMBER_PAGES |= DEMOCRACY_MEMBER_PAGES

# Monthly report files (issue 15): a sign-in sheet photo on A1's report, added and removed
# by those who write the report, read (and downloaded) by its readers, the reviewer included.
RULES.update(ACTIVITY_RULES)

# 学习竞赛 (issue 15): the overview and competitions for every staff role; a workshop
# union's competition read by its part and its groups' leaders, its results entered by it
# and HQ; a group's learning for its readers, weekly lessons by its own part; a member's
# learning, their book notes and certificate scans for their own part and themselves.
RULES.update(LEARNING_RULES)
MEMBER_PAGES |= LEARNING_MEMBER_PAGES

# Background jobs (issue 15): every login opens its own list; a job opens for its own user
# alone (anybody else, HQ included, finds nothing).
RULES.update(JOB_RULES)
MEMBER_PAGES |= JOB_MEMBER_PAGES

# 建家计划 (issue 15): the plans' overview for every staff role that reads plans; A1's year
# and month plans for A1's readers; its planned activities and their steps for A1's own part.
RULES.update(PLAN_RULES)

# The 台账 binders (binders): a group's records to those who read them.
RULES.update(BINDER_RULES)


# Care tasks: the list for every role that works in a part of the organisation (each sees
# its own part's tasks); closing A1's task, its photo and reporting an event of A1's member
# for A1's own part (an HQ task, for HQ alone, is tested in tests/caretasks).
RULES.update(
    {
        "caretasks:list": ("get", lambda w: care_url(w, "/care/tasks/"), None, CHANGE_REACH),
        "caretasks:close": (
            "get",
            lambda w: f"/care/tasks/{care_records(w)['open'].pk}/close/",
            None,
            OWN,
        ),
        "caretasks:photo": (
            "get",
            lambda w: f"/care/tasks/{care_records(w)['done'].pk}/photo",
            None,
            OWN,
        ),
        "caretasks:event_new": (
            "get",
            lambda w: f"/care/events/new/?member={w.member.pk}",
            None,
            OWN,
        ),
    }
)


# List pages and who sees the marker record of group B2 on them.
LIST_MARKERS = {
    "groups:member_list": SEE_B2,
    "groups:org_tree": SEE_B2_RECORDS,
    "activities:activity_list": SEE_B2_RECORDS,
    "activities:deleted_list": SEE_B2,
    "activities:participation": SEE_B2_RECORDS,
    "activities:report_list": SEE_B2_RECORDS,
    "welfare:case_list": SEE_B2,
    "welfare:archive_list": {"welfare_hq", "workshop_other", "multi_own", "inspector"},
    "scoring:ranking": SEE_B2_RECORDS,
    "dues:ledger": SEE_B2,
    "dues:arrears": SEE_B2,
}
LIST_MARKERS.update(CAMPAIGN_MARKERS)
LIST_MARKERS.update(RECTIFICATION_MARKERS)
LIST_MARKERS.update(DISCLOSURE_MARKERS)
LIST_MARKERS.update(IMPROVEMENT_MARKERS)
LIST_MARKERS.update(CONGRESS_MARKERS)
LIST_MARKERS.update(LEARNING_MARKERS)
B2_NAME = "点检班"


def project_url_names():
    """Every named URL of the project except the admin site's (tested below)."""
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_has_a_rule():
    assert project_url_names() - set(RULES) == set(), "add the new URLs to RULES"
    assert set(RULES) - project_url_names() == set(), "RULES names URLs that are gone"


def client_for(world, role):
    client = Client(raise_request_exception=False)
    if role in world.users:
        client.force_login(world.users[role])
    return client


def outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith("/accounts/login/"):
        return "login"
    if response.status_code in (200, 302):
        return "ok"
    if response.status_code in (403, 404):
        return "refused"
    return f"status {response.status_code}"


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_role_gets_exactly_what_its_scope_allows(world, name):
    method, make_url, data, allowed = RULES[name]
    url = make_url(world)
    wrong = []
    for role in ROLES:
        client = client_for(world, role)
        # Each request is undone afterwards, so the next role finds the same records.
        with transaction.atomic():
            response = getattr(client, method)(url, data or {})
            transaction.set_rollback(True)
        got = outcome(response)
        if role in allowed:
            expected = "ok"
        elif role in ("anonymous", "ballot") or name == "logout":
            expected = "login"
        else:
            expected = "refused"
        if got != expected:
            wrong.append(f"{role}: expected {expected}, got {got} ({response.status_code})")
    assert not wrong, f"{name} {url}\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(LIST_MARKERS))
def test_a_list_shows_a_row_exactly_to_those_whose_scope_holds_it(world, name):
    """The marker record in group B2 (its member, activity, case, archive record, or the
    group itself on the pages that list groups) is on the page iff the role reaches B2."""
    _method, make_url, _data, allowed = RULES[name]
    seers = LIST_MARKERS[name]
    assert seers <= allowed
    marker = MARKER if name not in ("groups:org_tree", "activities:report_list") else B2_NAME
    if name in ("activities:participation", "scoring:ranking"):
        marker = B2_NAME
    wrong = []
    for role in sorted(allowed & LOGGED_IN):
        response = client_for(world, role).get(make_url(world), {"month": "2026-01"})
        shown = marker in response.content.decode()
        if shown != (role in seers):
            wrong.append(f"{role}: marker {'shown' if shown else 'missing'}")
    assert not wrong, f"{name}\n" + "\n".join(wrong)


def test_refused_pages_hold_no_data(world):
    """A sample of refusals: the page says no, and holds none of A1's records."""
    secret = [world.member.name, world.member.employee_no, "房屋受灾", "子女上学"]
    for role in ("workshop_other", "leader_other", "evaluator", "hq"):
        client = client_for(world, role)
        for url in (
            f"/members/{world.member.pk}/",
            f"/welfare/cases/{world.case.pk}/edit/",
            f"/welfare/archive/{world.record.pk}/",
            f"/welfare/documents/{world.document.pk}/",
        ):
            response = client.get(url)
            if response.status_code in (403, 404):
                body = response.content.decode()
                assert not any(s in body for s in secret), (role, url)


ADMIN_ROLES = {
    "superuser": lambda: UserFactory(role="", is_superuser=True, is_staff=True),
    "hq": lambda: _hq_with_admin(),
    "workshop": lambda: workshop_user(_workshop()),
    "member": lambda: _member_with_login(),
}


def _member_with_login():
    from groups.models import Member
    from tests.factories import member_user

    return member_user(Member.objects.filter(user__isnull=True).first())


def _workshop():
    from groups.models import WorkshopUnion

    return WorkshopUnion.objects.first()


def _hq_with_admin():
    from accounts.services import user_create

    return user_create(
        username="hq_admin_matrix", name="刘芳", password="Correct-Horse-42", role=Role.HQ
    )


ONE_RECORD = {"unionhome.organisation"}


def test_the_admin_site_for_each_role(world):
    """HQ configures what its role is given and nothing else; the sensitive welfare
    records are not in the admin site at all; nobody else gets in."""
    from django.contrib.auth.models import Group

    from accounts.services import HQ_GROUP_NAME

    hq_perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=HQ_GROUP_NAME).permissions.all()
    }
    clients = {}
    for role, make in ADMIN_ROLES.items():
        client = Client()
        client.force_login(make())
        clients[role] = client
    anonymous = Client()
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert "welfare.welfarecase" not in registered and "welfare.hardshiprecord" not in registered
    for model in admin.site._registry:
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        instance = model._default_manager.first()
        urls = [base, base + "add/"] + (
            [f"{base}{instance.pk}/change/", f"{base}{instance.pk}/history/"] if instance else []
        )
        for url in urls:
            with transaction.atomic():
                response = anonymous.get(url)
                transaction.set_rollback(True)
            assert response.status_code == 302 and "login/" in response["Location"], url
            for role, client in clients.items():
                with transaction.atomic():
                    response = client.get(url)
                    transaction.set_rollback(True)
                if role == "superuser":
                    assert response.status_code in (200, 403), (role, url)  # 403: no add
                elif role in ("workshop", "member"):
                    assert response.status_code == 302 and "login/" in response["Location"], (
                        role,
                        url,
                    )
                else:
                    can = {
                        f"{opts.app_label}.{a}_{opts.model_name}" for a in ("view", "change", "add")
                    } & hq_perms
                    if not can or (
                        url.endswith("/add/")
                        and (
                            f"{opts.app_label}.add_{opts.model_name}" not in hq_perms
                            # one record only (the organisation): none added once it exists
                            or (opts.label_lower in ONE_RECORD and instance is not None)
                        )
                    ):
                        assert response.status_code == 403, (role, url)
                    else:
                        assert response.status_code == 200, (role, url, response.status_code)


def test_no_page_offers_a_choice_that_reads_dashes(world):
    """An empty choice says 全部 (filters) or 请选择 (forms), never "---------"."""
    wrong = []
    for role in ("hq", "welfare_hq", "workshop_own", "leader_own", "evaluator", "member"):
        client = client_for(world, role)
        for name, (method, make_url, _data, allowed) in sorted(RULES.items()):
            if method != "get" or role not in allowed:
                continue
            with transaction.atomic():
                response = client.get(make_url(world), HTTP_ACCEPT_LANGUAGE="zh-hans")
                transaction.set_rollback(True)
            if response.streaming or not response["Content-Type"].startswith("text/html"):
                continue
            if "---------" in response.content.decode():
                wrong.append(f"{role}: {name}")
    assert not wrong, "\n".join(wrong)
