"""The 小家 process, step by step: what each step leaves behind (the group's stage and title,
the timeline), and what it refuses, with the message a union officer reads."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from groups.models import HomeStage, UnionGroup
from homes import services
from homes.models import (
    ChecklistItem,
    Declaration,
    DeclarationKind,
    DeclarationStatus,
    HomeEvent,
    HomeTitle,
    NamingDocument,
    PanelRule,
    PlanStatus,
    RecheckOutcome,
    RecommendationQuota,
    TitleEnd,
)
from scoring import engine
from scoring.models import AssessmentPeriod, PeriodStatus
from scoring.services import veto_add
from tests.factories import UnionGroupFactory, today


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def stage(group) -> str:
    group.refresh_from_db()
    return group.home_stage


class TestPlan:
    def test_a_plan_needs_rules_core_members_and_measures_before_it_is_submitted(
        self, org, people, year
    ):
        plan = services.plan_save(
            group=org.A1,
            year=year.year,
            by=people.leader_a1,
            target_level="qualified",
            rules="  ",
            core=[],
            measures={"political_study": " "},
        )
        with pytest.raises(ValidationError) as caught:
            services.plan_submit(plan=plan, by=people.leader_a1, version=plan.version)
        assert set(caught.value.message_dict) == {"rules", "core", "measures"}
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT

    def test_core_members_come_from_the_group_with_a_post_each(self, org, people, year):
        stranger = org.members["B1"][0]
        for core, field in (
            ([{"member": stranger.pk, "post": "组长"}], "core"),
            ([{"member": org.members["A1"][0].pk, "post": " "}], "core"),
        ):
            with pytest.raises(ValidationError) as caught:
                services.plan_save(
                    group=org.A1,
                    year=year.year,
                    by=people.leader_a1,
                    target_level="qualified",
                    rules="制度",
                    core=core,
                    measures={},
                )
            assert field in caught.value.message_dict

    def test_the_workshop_union_approves_and_the_small_home_is_being_built(
        self, org, people, steps
    ):
        plan = steps.plan(org.A1, approve=False)
        assert stage(org.A1) == HomeStage.NOT_STARTED
        # The leader who filed it cannot approve it, nor can the other workshop union.
        with pytest.raises(PermissionDenied):
            services.plan_approve(plan=plan, by=people.leader_a1, version=plan.version)
        with pytest.raises(PermissionDenied):
            services.plan_approve(plan=plan, by=people.ws_b, version=plan.version)
        services.plan_approve(plan=plan, by=people.ws_a, version=plan.version)
        org.A1.refresh_from_db()
        assert (org.A1.home_stage, org.A1.home_started_on) == (HomeStage.BUILDING, today())
        events = HomeEvent.objects.filter(group=org.A1).select_related("by").order_by("pk")
        assert [e.text for e in events] == [
            "起草创建计划",
            "创建计划已提交车间工会",
            "创建计划已批准，小家进入创建阶段",
        ]
        with translation.override("en"):
            assert events[2].text == "Plan approved; the small home is being built"

    def test_hq_cannot_approve_a_plan_it_filed(self, org, people, steps):
        plan = steps.plan(org.A2, approve=False)  # filed by HQ for the group
        with pytest.raises(ValidationError, match="不能审核自己提交的计划"):
            services.plan_approve(plan=plan, by=people.hq, version=plan.version)

    def test_a_returned_plan_keeps_the_reason_and_can_be_edited_again(self, org, people, steps):
        plan = steps.plan(org.A1, approve=False)
        with pytest.raises(ValidationError) as caught:
            services.plan_return(plan=plan, by=people.ws_a, version=plan.version, reason=" ")
        assert "reason" in caught.value.message_dict
        plan = services.plan_return(
            plan=plan, by=people.ws_a, version=plan.version, reason="骨干分工不明确"
        )
        assert (plan.status, plan.return_reason) == (PlanStatus.RETURNED, "骨干分工不明确")
        assert stage(org.A1) == HomeStage.NOT_STARTED
        services.plan_save(
            group=org.A1,
            year=plan.year,
            by=people.leader_a1,
            target_level="advanced",
            rules="制度",
            core=[{"member": org.members["A1"][1].pk, "post": "宣传员"}],
            measures={"political_study": "读报"},
            version=plan.version,
        )


class TestDeclaration:
    def test_declaring_needs_the_approved_plan_and_an_open_window(self, org, people, steps):
        with pytest.raises(ValidationError, match="须先经车间工会批准"):
            services.declaration_open(group=org.A1, year=steps.year.year, by=people.leader_a1)
        steps.plan(org.A1)
        year = steps.year
        year.declarations_close = year.declarations_open = today() - timedelta(days=1)
        year.save()
        with pytest.raises(ValidationError) as caught:
            services.declaration_open(group=org.A1, year=year.year, by=people.leader_a1)
        day = today() - timedelta(days=1)
        day = f"{day.year}年{day.month}月{day.day}日"
        assert messages(caught.value) == f"{year.year}年度申报时间为 {day} 至 {day}。"

    def test_no_year_opened_by_hq_means_no_declaration(self, org, people):
        with pytest.raises(ValidationError, match="尚未开启2031年度"):
            services.declaration_open(group=org.A1, year=2031, by=people.leader_a1)

    def test_points_above_a_line_maximum_are_refused_on_that_line(self, org, people, steps):
        steps.plan(org.A1)
        declaration = services.declaration_open(
            group=org.A1, year=steps.year.year, by=people.leader_a1
        )
        code, maximum = next((i["code"], i["max_points"]) for _c, i in declaration.indicators())
        with pytest.raises(ValidationError) as caught:
            services.declaration_save(
                declaration=declaration,
                by=people.leader_a1,
                version=declaration.version,
                lines={code: {"self": str(Decimal(maximum) + 1)}},
                summary="",
            )
        assert list(caught.value.message_dict) == [f"self_{code}"]
        declaration.refresh_from_db()
        assert declaration.lines[code]["self"] is None  # nothing half written

    def test_every_line_is_scored_and_the_work_summarised_before_declaring(
        self, org, people, steps
    ):
        steps.plan(org.A1)
        declaration = services.declaration_open(
            group=org.A1, year=steps.year.year, by=people.leader_a1
        )
        first, *rest = [i for _c, i in declaration.indicators()]
        declaration = services.declaration_save(
            declaration=declaration,
            by=people.leader_a1,
            version=declaration.version,
            lines={first["code"]: {"self": "8"}},
            summary="",
        )
        assert declaration.self_total == Decimal("8.00")
        with pytest.raises(ValidationError) as caught:
            services.declaration_submit(
                declaration=declaration, by=people.leader_a1, version=declaration.version
            )
        assert (
            messages(caught.value)
            == "请先给每一项打分；尚缺：" + "、".join(i["name"] for i in rest) + "。"
        )
        assert stage(org.A1) == HomeStage.BUILDING

    def test_a_declaration_is_frozen_once_declared(self, org, people, steps):
        steps.plan(org.A1)
        declaration = steps.declare(org.A1)
        assert stage(org.A1) == HomeStage.DECLARED
        assert declaration.self_total == Decimal(len(declaration.lines))
        with pytest.raises(ValidationError, match="申报已进入审核，不能再修改"):
            services.declaration_save(
                declaration=declaration,
                by=people.leader_a1,
                version=declaration.version,
                lines={},
                summary="改一下",
            )

    def test_two_people_on_one_declaration_the_second_is_told_who_came_first(
        self, org, people, steps
    ):
        steps.plan(org.A1)
        declaration = steps.declare(org.A1)
        read = declaration.version
        steps.recommend(declaration)
        with pytest.raises(services.ConcurrentChange, match="车间甲"):
            services.declaration_return(
                declaration=declaration, by=people.ws_a, version=read, reason="材料不全"
            )
        declaration.refresh_from_db()
        assert declaration.status == DeclarationStatus.RECOMMENDED


class TestRecommendation:
    def test_the_workshop_union_recommends_at_most_what_the_group_applied_for(self, org, steps):
        steps.plan(org.A1, target="qualified")
        declaration = steps.declare(org.A1)
        with pytest.raises(ValidationError) as caught:
            steps.recommend(declaration, level="advanced")
        assert caught.value.message_dict["level"] == [
            "小组申报的是合格，推荐称号不能高于申报称号。"
        ]

    def test_the_quota_a_share_of_the_groups_rounded_down(self, org, people, steps):
        """Workshop union A has two groups; 50 % of two is one recommendation for 先进."""
        RecommendationQuota.objects.create(year=steps.year, level="advanced", share=50)
        for group in (org.A1, org.A2):
            steps.plan(group, target="advanced")
        first = steps.recommend(steps.declare(org.A1))
        second = steps.declare(org.A2)
        with pytest.raises(ValidationError) as caught:
            steps.recommend(second)
        assert caught.value.message_dict["level"] == [
            f"锅炉车间 {steps.year.year}年度可推荐先进 1 个，已推荐 1 个。"
        ]
        # 合格 has no quota: the group may still be recommended for it.
        steps.recommend(second, level="qualified")
        assert (first.recommended_level, stage(org.A2)) == ("advanced", HomeStage.RECOMMENDED)

    def test_a_quota_for_one_workshop_union_comes_before_the_general_one(self, org, people, steps):
        RecommendationQuota.objects.create(year=steps.year, level="qualified", share=0)
        RecommendationQuota.objects.create(
            year=steps.year, level="qualified", workshop=org.a, count=2
        )
        for group in (org.A1, org.A2):
            steps.plan(group)
            steps.recommend(steps.declare(group))
        assert services.quota_left(year=steps.year, workshop=org.a, level="qualified") == (2, 2)
        assert services.quota_left(year=steps.year, workshop=org.b, level="qualified") == (0, 0)

    def test_the_workshop_union_sends_a_declaration_back_to_the_group(self, org, people, steps):
        steps.plan(org.A1)
        declaration = steps.declare(org.A1)
        with pytest.raises(PermissionDenied):
            services.declaration_return(
                declaration=declaration, by=people.ws_b, version=declaration.version, reason="x"
            )
        declaration = services.declaration_return(
            declaration=declaration, by=people.ws_a, version=declaration.version, reason="缺照片"
        )
        assert declaration.status == DeclarationStatus.DRAFT
        assert stage(org.A1) == HomeStage.BUILDING
        assert HomeEvent.objects.filter(group=org.A1, note="缺照片").exists()


class TestInspection:
    def test_nobody_inspects_a_group_of_their_own_workshop_union(self, org, people, steps):
        steps.plan(org.A1)
        declaration = steps.recommend(steps.declare(org.A1))
        panel = steps.panel(people.ws_a, people.evaluator, name="本车间")
        with pytest.raises(ValidationError) as caught:
            steps.assign(declaration, panel)
        assert "车间甲 属于锅炉车间，即运行一班所在的车间工会。" in messages(caught.value)
        # A panel holding the declaration cannot take such a member in later either.
        panel = steps.panel(people.chair_b, people.evaluator)
        declaration = steps.assign(declaration, panel)
        with pytest.raises(ValidationError, match="不能验收本车间工会的小组"):
            services.panel_save(
                year=steps.year,
                by=people.hq,
                name=panel.name,
                leader=people.chair_b,
                members=[people.leader_a1],
                rule=PanelRule.MEAN,
                panel=panel,
            )

    def test_only_members_of_the_panel_inspect(self, org, people, steps):
        steps.plan(org.A1)
        declaration = steps.assign(
            steps.recommend(steps.declare(org.A1)), steps.panel(people.chair_b)
        )
        with pytest.raises(PermissionDenied):
            steps.inspect(declaration, people.ws_b, 80)

    def test_a_submitted_inspection_scores_every_line_and_answers_the_checklist(
        self, org, people, steps
    ):
        steps.plan(org.A1)
        declaration = steps.assign(
            steps.recommend(steps.declare(org.A1)), steps.panel(people.chair_b)
        )
        code = next(i["code"] for _c, i in declaration.indicators())
        with pytest.raises(ValidationError) as caught:
            services.inspection_save(
                declaration=declaration,
                by=people.chair_b,
                scores={code: "5"},
                checks={},
                submit=True,
            )
        assert set(caught.value.message_dict) == {"__all__", "inspected_on"}
        assert caught.value.message_dict["__all__"] == [
            "请给每一项打分后再提交。",
            "请逐项填写检查结果后再提交。",
        ]
        saved = services.inspection_save(
            declaration=declaration, by=people.chair_b, scores={code: "5"}, checks={}
        )
        assert (saved.total, saved.is_submitted) == (Decimal("5.00"), False)

    @pytest.mark.parametrize(
        "rule, expected",
        [(PanelRule.TRIMMED, Decimal("85.00")), (PanelRule.MEAN, Decimal("84.00"))],
    )
    def test_the_panels_result_of_five_members(self, org, people, steps, rule, expected):
        """80, 85, 90, 70, 95: without the highest and the lowest (80+85+90)/3 = 85; the
        plain mean is 420/5 = 84."""
        from tests.factories import UserFactory

        members = [people.chair_b, people.evaluator, people.expert] + [
            UserFactory(role="evaluator") for _ in range(2)
        ]
        steps.plan(org.A1, target="advanced")
        declaration = steps.assign(
            steps.recommend(steps.declare(org.A1)), steps.panel(*members, rule=rule)
        )
        for member, total in zip(members, (80, 85, 90, 70, 95), strict=True):
            steps.inspect(declaration, member, total)
        declaration = steps.sign_off(declaration)
        assert declaration.panel_total == expected
        # 85 reaches 先进, 84 only 合格 (HQ's default lines: 75, 85, 90).
        assert declaration.proposed_level == ("advanced" if expected >= 85 else "qualified")
        assert stage(org.A1) == HomeStage.ACCEPTED

    def test_trimming_needs_five_scored(self):
        totals = [Decimal(p) for p in (70, 80, 90, 100)]
        assert services.panel_total(totals, PanelRule.TRIMMED) == Decimal("85.00")
        assert services.panel_total([], PanelRule.MEAN) is None

    def test_only_the_panel_leader_signs_off_and_the_title_never_exceeds_the_recommendation(
        self, org, people, steps
    ):
        steps.plan(org.A1, target="advanced")
        declaration = steps.recommend(steps.declare(org.A1), level="qualified")
        declaration = steps.assign(declaration, steps.panel(people.chair_b, people.evaluator))
        with pytest.raises(ValidationError, match="还没有成员提交验收记录"):
            steps.sign_off(declaration)
        steps.inspect(declaration, people.evaluator, 95)
        with pytest.raises(PermissionDenied):
            services.declaration_sign_off(
                declaration=declaration, by=people.evaluator, version=declaration.version
            )
        declaration = steps.sign_off(declaration)
        assert (declaration.panel_total, declaration.proposed_level) == (
            Decimal("95.00"),
            "qualified",
        )

    def test_below_the_qualified_line_the_panel_sends_it_back_instead(self, org, people, steps):
        steps.plan(org.A1)
        declaration = steps.assign(
            steps.recommend(steps.declare(org.A1)), steps.panel(people.chair_b)
        )
        steps.inspect(declaration, people.chair_b, 70)
        with pytest.raises(ValidationError) as caught:
            steps.sign_off(declaration)
        assert "验收得分 70.00 分，低于合格分数线 75.00 分" in messages(caught.value)
        declaration.refresh_from_db()
        declaration = services.declaration_return(
            declaration=declaration,
            by=people.chair_b,
            version=declaration.version,
            reason="台账缺失",
        )
        assert declaration.status == DeclarationStatus.RECOMMENDED
        assert declaration.panel is None
        assert stage(org.A1) == HomeStage.RECOMMENDED


class TestNoticeAndNaming:
    def test_only_accepted_small_homes_go_into_a_notice(self, org, steps):
        steps.plan(org.A2)
        declared = steps.declare(org.A2)
        with pytest.raises(ValidationError) as caught:
            steps.notice(declared)
        assert caught.value.message_dict["declarations"] == [
            "以下小组不是已验收待公示状态：检修班。"
        ]

    def test_the_notice_runs_the_days_hq_set(self, org, steps):
        steps.year.notice_days = 5
        steps.year.save()
        notice = steps.notice(steps.accepted(org.A1))
        assert (notice.starts_on, notice.ends_on) == (today(), today() + timedelta(days=4))
        assert stage(org.A1) == HomeStage.IN_NOTICE

    def test_objections_while_the_notice_runs_and_the_naming_after_it(self, org, people, steps):
        declaration = steps.accepted(org.A1)
        notice = steps.notice(declaration)
        with pytest.raises(ValidationError, match="公示至"):
            steps.name(notice)
        objection = services.objection_file(
            notice=notice, declaration=declaration, by=people.leader_a2, text="该组台账为补做"
        )
        with pytest.raises(ValidationError):
            services.objection_file(
                notice=notice, declaration=declaration, by=people.leader_a2, text=" "
            )
        notice = steps.end_notice(notice)
        with pytest.raises(ValidationError, match="已不再受理异议"):
            services.objection_file(
                notice=notice, declaration=declaration, by=people.leader_a2, text="再提一条"
            )
        with pytest.raises(ValidationError, match="还有 1 条异议未答复"):
            steps.name(notice)
        with pytest.raises(PermissionDenied):
            services.objection_answer(
                objection=objection, by=people.ws_a, answer="经核实不成立", upheld=False
            )
        services.objection_answer(
            objection=objection, by=people.hq, answer="经核实，台账为当月记录", upheld=False
        )
        document = steps.name(notice)
        title = HomeTitle.objects.get(group=org.A1)
        assert (title.level, title.year, title.document, title.certificate_no) == (
            "qualified",
            steps.year.year,
            document,
            f"XJ{steps.year.year}-001",
        )
        org.A1.refresh_from_db()
        assert (org.A1.home_stage, org.A1.home_level) == (HomeStage.NAMED, "qualified")
        declaration.refresh_from_db()
        assert declaration.status == DeclarationStatus.NAMED
        steps_taken = [e.text for e in HomeEvent.objects.filter(group=org.A1).select_related("by")]
        assert "验收小组验收通过：80.00 分，拟命名合格" in steps_taken
        assert "命名为合格职工小家（矿工发〔2026〕21号）" in steps_taken
        assert "测评员 已现场验收" in steps_taken

    def test_the_naming_needs_a_document_number_used_once(self, org, people, steps):
        notice = steps.end_notice(steps.notice(steps.accepted(org.A1), steps.accepted(org.A2)))
        with pytest.raises(ValidationError) as caught:
            steps.name(notice, document_no=" ")
        assert caught.value.message_dict["document_no"] == ["请填写命名文件的文号。"]
        NamingDocument.objects.create(
            year=steps.year, document_no="矿工发〔2026〕21号", named_on=today()
        )
        with pytest.raises(ValidationError) as caught:
            steps.name(notice)
        assert caught.value.message_dict["document_no"] == ["该文号已被使用。"]
        assert not HomeTitle.objects.exists()  # nothing half written
        steps.name(notice, document_no="矿工发〔2026〕22号")
        assert sorted(HomeTitle.objects.values_list("certificate_no", flat=True)) == [
            f"XJ{steps.year.year}-001",
            f"XJ{steps.year.year}-002",
        ]

    def test_an_upheld_objection_sends_the_home_back_to_its_panel(self, org, people, steps):
        declaration = steps.accepted(org.A1)
        notice = steps.notice(declaration, steps.accepted(org.A2))
        objection = services.objection_file(
            notice=notice, declaration=declaration, by=people.leader_a2, text="骨干已调走"
        )
        services.objection_answer(
            objection=objection, by=people.hq, answer="属实，重新验收", upheld=True
        )
        declaration.refresh_from_db()
        assert (declaration.status, declaration.proposed_level) == (
            DeclarationStatus.INSPECTING,
            "",
        )
        assert stage(org.A1) == HomeStage.INSPECTING
        steps.name(steps.end_notice(notice))
        assert list(HomeTitle.objects.values_list("group__code", flat=True)) == ["A2"]

    def test_a_title_is_at_most_the_proposed_one_and_model_needs_its_prerequisites(
        self, org, people, steps
    ):
        declaration = steps.accepted(org.A1, total=95, target="model")
        assert declaration.proposed_level == "model"
        notice = steps.end_notice(steps.notice(declaration))
        with pytest.raises(ValidationError) as caught:
            steps.name(notice)
        last = steps.year.year - 1
        assert caught.value.message_dict[f"level_{declaration.pk}"] == [
            f"运行一班：命名模范须在 {last}–{last} 年获得过先进或模范。"
        ]
        # With an earlier 先进 the 模范 can be given, or a lower title chosen instead.
        HomeTitle.objects.create(
            group=org.A1,
            level="advanced",
            year=last,
            certificate_no="XJ-old",
            named_on=date(last, 12, 20),
            ended_on=date(last, 12, 31),
            end=TitleEnd.LAPSED,
        )
        declaration = Declaration.objects.get(pk=declaration.pk)
        assert services.naming_prerequisites([declaration], {}) == {declaration.pk: []}
        # A must-pass item an inspector did not pass still bars 模范.
        item = ChecklistItem.objects.filter(must_pass=True).first()
        inspection = declaration.inspections.first()
        inspection.checks[str(item.pk)]["passed"] = False
        inspection.save()
        declaration = Declaration.objects.get(pk=declaration.pk)
        assert services.naming_prerequisites([declaration], {})[declaration.pk] == [
            f"命名模范须通过全部必过项；未通过：{item.name}。"
        ]
        steps.name(notice, levels={declaration.pk: "advanced"})
        org.A1.refresh_from_db()
        assert org.A1.home_level == "advanced"

    def test_a_named_home_is_rated_and_one_not_accepted_is_not(self, org, people, steps):
        steps.name(steps.end_notice(steps.notice(steps.accepted(org.A1))))
        period = AssessmentPeriod.objects.create(
            name="年度考核", start=steps.year.start, end=today(), status=PeriodStatus.OPEN
        )
        results = {r.group_id: r for r in engine.compute(period)}
        assert results[org.A1.pk].level != ""  # rated: 不合格 at worst
        assert (results[org.A2.pk].level, results[org.A2.pk].stage) == ("", HomeStage.NOT_STARTED)


class TestRecheck:
    @pytest.fixture
    def named(self, org, people, steps):
        """A1 named 先进 this year."""
        steps.name(steps.end_notice(steps.notice(steps.accepted(org.A1, 88, "advanced"))))
        org.A1.refresh_from_db()
        return org.A1

    def signed_off(self, steps, group, total):
        recheck = services.recheck_open(
            group=group, year=steps.year.year, by=steps.people.hq, reason="年度复查"
        )
        recheck = steps.assign(recheck, steps.panel(steps.people.chair_b, name="复查组"))
        steps.inspect(recheck, steps.people.chair_b, total)
        return steps.sign_off(recheck)

    def test_a_group_without_a_title_has_no_recheck_and_none_opens_twice(
        self, org, people, steps, named
    ):
        with pytest.raises(ValidationError, match="检修班 没有可复核的称号"):
            services.recheck_open(group=org.A2, year=steps.year.year, by=people.hq)
        services.recheck_open(group=named, year=steps.year.year, by=people.hq)
        with pytest.raises(ValidationError, match="年度已在复核"):
            services.recheck_open(group=named, year=steps.year.year, by=people.hq)
        assert services.recheck_open_all(year=steps.year.year, by=people.hq) == []

    def test_keep(self, steps, people, named):
        recheck = self.signed_off(steps, named, 86)
        assert (recheck.status, recheck.proposed_level) == (
            DeclarationStatus.SIGNED_OFF,
            "advanced",
        )
        services.recheck_decide(
            declaration=recheck, by=people.hq, version=recheck.version, outcome=RecheckOutcome.KEEP
        )
        named.refresh_from_db()
        assert (named.home_stage, named.home_level) == (HomeStage.NAMED, "advanced")
        assert HomeTitle.objects.current().get(group=named).level == "advanced"

    def test_downgrade_ends_the_title_and_gives_the_lower_one(self, steps, people, named):
        recheck = self.signed_off(steps, named, 78)
        with pytest.raises(ValidationError) as caught:
            services.recheck_decide(
                declaration=recheck,
                by=people.hq,
                version=recheck.version,
                outcome=RecheckOutcome.DOWNGRADE,
                level="advanced",
            )
        assert set(caught.value.message_dict) == {"reason", "level"}
        services.recheck_decide(
            declaration=recheck,
            by=people.hq,
            version=recheck.version,
            outcome=RecheckOutcome.DOWNGRADE,
            level="qualified",
            reason="复查得分 78 分",
        )
        titles = list(HomeTitle.objects.filter(group=named).order_by("pk"))
        assert [(t.level, t.end, t.is_current) for t in titles] == [
            ("advanced", TitleEnd.DOWNGRADED, False),
            ("qualified", "", True),
        ]
        assert titles[0].end_reason == "复查得分 78 分"
        named.refresh_from_db()
        assert (named.home_stage, named.home_level) == (HomeStage.NAMED, "qualified")

    def test_withdraw_removes_the_small_home(self, steps, people, named):
        recheck = self.signed_off(steps, named, 60)
        assert recheck.proposed_level == ""
        services.recheck_decide(
            declaration=recheck,
            by=people.hq,
            version=recheck.version,
            outcome=RecheckOutcome.WITHDRAW,
            reason="台账造假，责令摘牌",
        )
        title = HomeTitle.objects.get(group=named)
        assert (title.end, title.ended_on) == (TitleEnd.WITHDRAWN, today())
        named.refresh_from_db()
        assert (named.home_stage, named.home_level) == (HomeStage.NOT_STARTED, "")
        assert not named.has_accepted_home

    def test_hq_sends_a_signed_off_recheck_back_to_its_panel(self, steps, people, named):
        recheck = self.signed_off(steps, named, 70)
        with pytest.raises(PermissionDenied):
            services.declaration_return(
                declaration=recheck, by=people.ws_a, version=recheck.version, reason="x"
            )
        recheck = services.declaration_return(
            declaration=recheck, by=people.hq, version=recheck.version, reason="请补看台账"
        )
        assert (recheck.status, recheck.panel_total, recheck.proposed_level) == (
            DeclarationStatus.INSPECTING,
            None,
            "",
        )
        named.refresh_from_db()
        assert (named.home_stage, named.home_level) == (HomeStage.NAMED, "advanced")

    def test_a_veto_opens_the_recheck_at_once(self, steps, people, named):
        period = AssessmentPeriod.objects.create(
            name="年度考核", start=steps.year.start, end=today(), status=PeriodStatus.OPEN
        )
        veto_add(
            period=period, group=named, by=people.hq, reason="重大安全事故", happened_on=today()
        )
        recheck = Declaration.objects.get(group=named, kind=DeclarationKind.RECHECK)
        assert (recheck.status, recheck.recheck_reason) == (
            DeclarationStatus.RECOMMENDED,
            "一票否决：重大安全事故",
        )

    def test_a_title_given_up_ends_with_its_reason(self, steps, people, named):
        title = HomeTitle.objects.current().get(group=named)
        with pytest.raises(ValidationError) as caught:
            services.title_end(
                title=title, by=people.hq, end=TitleEnd.WITHDRAWN, reason="", ended_on=today()
            )
        assert set(caught.value.message_dict) == {"end"}
        services.title_end(
            title=title, by=people.hq, end=TitleEnd.GIVEN_UP, reason="班组撤并", ended_on=today()
        )
        named.refresh_from_db()
        assert (named.home_stage, named.home_level) == (HomeStage.NOT_STARTED, "")


def test_a_new_group_starts_with_no_small_home(org):
    group = UnionGroupFactory(workshop=org.a)
    assert (group.home_stage, group.home_level) == (HomeStage.NOT_STARTED, "")
    assert UnionGroup.objects.with_accepted_home().filter(pk=group.pk).count() == 0
