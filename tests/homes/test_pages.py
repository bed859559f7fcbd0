"""The 小家 pages: who sees what (a panel member only while the panel holds the group, an
objector's name only by HQ), bad input next to its field, printouts, and a fixed number of
queries whatever the number of groups."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import HomeStage
from homes import services
from homes.models import (
    CreationPlan,
    Declaration,
    DeclarationStatus,
    HomeTitle,
    Inspection,
    NamingDocument,
    Notice,
    Objection,
    PlanStatus,
)
from tests.factories import MemberFactory, UnionGroupFactory, leader_user, today


def page(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


class TestScope:
    def test_a_panel_member_reads_the_group_only_while_the_panel_holds_it(
        self, org, people, steps, login
    ):
        chair = login(people.chair_b)
        steps.plan(org.A1)
        declaration = steps.recommend(steps.declare(org.A1))
        group_url = reverse("homes:group", args=[org.A1.pk])
        assert chair.get(group_url).status_code == 404
        declaration = steps.assign(declaration, steps.panel(people.chair_b))
        assert "运行一班" in page(chair, "homes:group", org.A1.pk)
        assert "运行一班" in page(chair, "activities:activity_list", group=org.A1.pk)
        assert "检修班" not in page(chair, "homes:declarations")
        steps.inspect(declaration, people.chair_b, 80)
        notice = steps.end_notice(steps.notice(steps.sign_off(declaration)))
        steps.name(notice)
        assert chair.get(group_url).status_code == 404

    def test_only_hq_and_the_objector_see_who_objected(self, org, people, steps, login):
        declaration = steps.accepted(org.A1)
        notice = steps.notice(declaration)
        services.objection_file(
            notice=notice, declaration=declaration, by=people.leader_a2, text="台账为补做"
        )
        assert "组长甲二" in page(login(people.hq), "homes:notice", notice.pk)
        assert "台账为补做" in page(login(people.leader_a2), "homes:notice", notice.pk)
        other = page(login(people.ws_b), "homes:notice", notice.pk)
        assert "运行一班" in other  # the notice itself is public
        assert "组长甲二" not in other and "台账为补做" not in other

    def test_a_leader_goes_straight_to_the_own_groups_page(self, org, people, login):
        response = login(people.leader_a1).get(reverse("homes:overview"))
        assert response.url == reverse("homes:group", args=[org.A1.pk])

    def test_a_user_with_two_roles_sees_both_parts(self, org, people, steps, login):
        """The chair of B who also leads A1: B's groups, and A1 (but not A2)."""
        from accounts.models import Role, RoleAssignment

        RoleAssignment.objects.create(user=people.chair_b, role=Role.GROUP_LEADER, group=org.A1)
        client = login(people.chair_b)
        listed = page(client, "homes:groups")
        assert all(name in listed for name in ("运行一班", "运行甲班", "点检班"))
        assert "检修班" not in listed


def test_the_pipeline_pages_its_workshop_unions_and_totals_them_all(org, people, login, settings):
    settings.UNIONHOME = {**settings.UNIONHOME, "PAGE_SIZE": 1}
    client = login(people.hq)
    first = client.get(reverse("homes:overview"))
    [row] = list(first.context["page"])
    assert row.workshop == org.a
    pipeline = first.context["pipeline"]
    assert len(pipeline.rows) == 2  # the totals count every workshop union's groups
    assert pipeline.total.groups == sum(r.groups for r in pipeline.rows) == 4
    second = client.get(reverse("homes:overview"), {"page": 2})
    assert [r.workshop for r in second.context["page"]] == [org.b]
    assert org.b.name in second.content.decode() and "page=1" in second.content.decode()


def test_one_menu_entry_is_lit_the_longest_match(org, people, steps, login):
    import re

    notice = steps.notice(steps.accepted(org.A1))
    html = page(login(people.hq), "homes:notice", notice.pk)
    lit = re.findall(r'<a href="([^"]+)" class="active">', html)
    assert lit == [reverse("homes:notices")]


class TestForms:
    def test_a_plan_submitted_incomplete_shows_each_error_by_its_field_and_saves_nothing(
        self, org, people, year, login
    ):
        client = login(people.leader_a1)
        url = reverse("homes:plan_edit", args=[org.A1.pk, year.year])
        response = client.post(url, {"target_level": "qualified", "rules": "", "submit": "1"})
        form = response.context["form"]
        assert set(form.errors) == {"rules", "__all__"}
        assert "请填写小组的工作制度。" in response.content.decode()
        assert not CreationPlan.objects.exists()

    def test_the_plan_form_takes_the_core_members_and_measures(self, org, people, year, login):
        client = login(people.leader_a1)
        member = org.members["A1"][0]
        url = reverse("homes:plan_edit", args=[org.A1.pk, year.year])
        response = client.post(
            url,
            {
                "target_level": "advanced",
                "rules": "每月一次小组会",
                f"core_{member.pk}": "组长",
                "measure_political_study": "每周读报",
                "submit": "1",
            },
        )
        plan = CreationPlan.objects.get()
        assert response.url == reverse("homes:plan", args=[plan.pk])
        assert (plan.status, plan.core[0]["post"], plan.measures) == (
            PlanStatus.SUBMITTED,
            "组长",
            {"political_study": "每周读报"},
        )

    def test_a_recommendation_over_the_quota_is_refused_next_to_the_title(
        self, org, people, steps, login
    ):
        from homes.models import RecommendationQuota

        RecommendationQuota.objects.create(year=steps.year, level="qualified", count=0)
        steps.plan(org.A1)
        declaration = steps.declare(org.A1)
        response = login(people.ws_a).post(
            reverse("homes:declaration_recommend", args=[declaration.pk]),
            {"version": declaration.version, "level": "qualified", "opinion": "同意"},
        )
        assert response.context["form"].errors["level"] == [
            f"锅炉车间 {steps.year.year}年度可推荐合格 0 个，已推荐 0 个。"
        ]
        declaration.refresh_from_db()
        assert declaration.status == DeclarationStatus.DECLARED

    def test_naming_without_a_document_number_says_so_by_the_field(self, org, people, steps, login):
        declaration = steps.accepted(org.A1)
        notice = steps.end_notice(steps.notice(declaration))
        response = login(people.hq).post(
            reverse("homes:naming", args=[notice.pk]),
            {
                "document_no": "",
                "named_on": today().isoformat(),
                f"level_{declaration.pk}": "qualified",
            },
        )
        assert response.context["form"].errors["document_no"] == ["请填写命名文件的文号。"]
        assert not HomeTitle.objects.exists()


class TestPrintouts:
    def test_the_naming_document_and_the_certificate(self, org, people, steps, login):
        document = steps.name(steps.end_notice(steps.notice(steps.accepted(org.A1))))
        client = login(people.hq)
        naming = page(client, "homes:naming_print", document.pk)
        assert "矿工发〔2026〕21号" in naming and "运行一班" in naming
        title = HomeTitle.objects.get()
        certificate = page(login(people.leader_a1), "homes:certificate", title.pk)
        assert f"{steps.year.year}年度“合格职工小家”" in certificate
        assert title.certificate_no in certificate
        assert "css/print.css" in certificate  # A4 pages


@pytest.fixture
def grow(org, people, steps):
    """n more groups at every later stage: named with a title (and its notice, naming and
    panel with two inspections), and an objection to each."""
    panel = steps.panel(people.evaluator, people.expert, name="扩充考评小组")
    document = NamingDocument.objects.create(
        year=steps.year, document_no=f"矿工发〔{steps.year.year}〕99号", named_on=today()
    )
    notice = Notice.objects.create(
        year=steps.year,
        title="公示",
        starts_on=today() - timedelta(days=10),
        ends_on=today() - timedelta(days=3),
        published_by=people.hq,
    )

    def add(n):
        for i in range(n):
            group = UnionGroupFactory(workshop=org.a if i % 2 else org.b)
            MemberFactory.create_batch(2, group=group)
            leader_user(group)
            CreationPlan.objects.create(
                group=group,
                year=steps.year.year,
                rules="制度",
                status=PlanStatus.APPROVED,
                filed_by=people.hq,
            )
            declaration = Declaration.objects.create(
                group=group,
                year=steps.year,
                status=DeclarationStatus.IN_NOTICE,
                scheme=[],
                lines={},
                recommended_level="qualified",
                proposed_level="qualified",
                panel=panel,
                panel_total=80,
                created_by=people.hq,
            )
            notice.declarations.add(declaration)
            for inspector in (people.evaluator, people.expert):
                Inspection.objects.create(
                    declaration=declaration,
                    inspector=inspector,
                    total=80,
                    submitted_at=declaration.created_at,
                )
            Objection.objects.create(
                notice=notice,
                declaration=declaration,
                text="异议",
                filed_by=people.leader_a2,
                answer="不成立",
                upheld=False,
                answered_by=people.hq,
                answered_at=declaration.created_at,
            )
            HomeTitle.objects.create(
                group=group,
                level="qualified",
                year=steps.year.year - 1,
                document=document,
                certificate_no=f"XJ-G-{group.pk}",
                named_on=today(),
            )
            group.home_stage = HomeStage.IN_NOTICE
            group.home_started_on = today()
            group.home_accepted_on = today()
            group.save()

    add.panel, add.notice = panel, notice
    return add


PAGES = [
    ("hq", "homes:overview", lambda g: []),
    ("hq", "homes:groups", lambda g: []),
    ("hq", "homes:plans", lambda g: []),
    ("hq", "homes:declarations", lambda g: []),
    ("hq", "homes:panels", lambda g: []),
    ("hq", "homes:panel", lambda g: [g.panel.pk]),
    ("hq", "homes:notices", lambda g: []),
    ("hq", "homes:notice", lambda g: [g.notice.pk]),
    ("hq", "homes:notice_print", lambda g: [g.notice.pk]),
    ("hq", "homes:naming", lambda g: [g.notice.pk]),
    ("ws_a", "homes:overview", lambda g: []),
    ("evaluator", "homes:panels", lambda g: []),
    ("evaluator", "homes:panel", lambda g: [g.panel.pk]),
    ("hq", "home", lambda g: []),
    ("ws_a", "home", lambda g: []),
    ("evaluator", "home", lambda g: []),
]


@pytest.mark.parametrize(("who", "name", "args"), PAGES, ids=[f"{w}-{n}" for w, n, _a in PAGES])
def test_pages_take_the_same_queries_for_few_and_many_groups(people, login, grow, who, name, args):
    client = login(getattr(people, who))
    url = reverse(name, args=args(grow))

    def queries():
        client.get(url)  # warm: the first visit may fill caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    grow(1)
    few = queries()
    grow(6)
    assert queries() == few


def test_a_group_page_and_a_declaration_take_the_same_queries_with_a_longer_history(
    org, people, steps, login
):
    declaration = steps.accepted(org.A1)
    client = login(people.hq)
    urls = [
        reverse("homes:group", args=[org.A1.pk]),
        reverse("homes:declaration", args=[declaration.pk]),
    ]

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = [queries(url) for url in urls]
    # More steps, inspections, photos and evidence files.
    from homes.models import HomeEvent
    from tests import files

    for n in range(5):
        HomeEvent.objects.create(
            group=org.A1, step="recheck_opened", note=f"步骤{n}", stage="accepted", by=people.hq
        )
    for inspector in (people.chair_b, people.ws_b):
        declaration.panel.members.add(inspector)
        Inspection.objects.create(
            declaration=declaration,
            inspector=inspector,
            total=80,
            submitted_at=declaration.created_at,
        )
    Declaration.objects.filter(pk=declaration.pk).update(status=DeclarationStatus.DRAFT)
    services.declaration_add_file(declaration=declaration, by=people.hq, uploaded=files.pdf())
    services.declaration_add_file(declaration=declaration, by=people.hq, uploaded=files.jpeg())
    Declaration.objects.filter(pk=declaration.pk).update(status=DeclarationStatus.ACCEPTED)
    assert [queries(url) for url in urls] == before
