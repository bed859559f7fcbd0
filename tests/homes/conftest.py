"""A year of 小家 creation and the people who take its steps, with one helper per step so
a test can walk a group as far as it needs."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from accounts.models import Role
from homes import services
from homes.models import CreationYear, Notice, PanelRule
from tests.factories import UserFactory, leader_user, today, workshop_user


@pytest.fixture
def year(db):
    day = today()
    return CreationYear.objects.create(
        year=day.year,
        declarations_open=max(day - timedelta(days=30), date(day.year, 1, 1)),
        declarations_close=min(day + timedelta(days=30), date(day.year, 12, 31)),
    )


@pytest.fixture
def people(org, hq):
    return SimpleNamespace(
        hq=hq,
        ws_a=workshop_user(org.a, name="车间甲"),
        ws_b=workshop_user(org.b, name="车间乙"),
        leader_a1=leader_user(org.A1, name="组长甲一"),
        leader_a2=leader_user(org.A2, name="组长甲二"),
        # Inspectors from outside workshop union A: B's chair, an evaluator, HQ staff.
        chair_b=workshop_user(org.b, name="乙车间主席"),
        evaluator=UserFactory(role=Role.EVALUATOR, name="测评员"),
        expert=UserFactory(role=Role.HQ, name="专家"),
    )


class Steps:
    """The process, one call per step, each taken by the person who takes it."""

    def __init__(self, org, people, year):
        self.org, self.people, self.year = org, people, year

    def leader(self, group):
        return self.people.leader_a1 if group == self.org.A1 else self.people.hq

    def workshop(self, group):
        return self.people.ws_a if group.workshop_id == self.org.a.pk else self.people.ws_b

    def plan(self, group, *, target="qualified", approve=True):
        by = self.leader(group)
        plan = services.plan_save(
            group=group,
            year=self.year.year,
            by=by,
            target_level=target,
            rules="每月一次小组会，组务公开",
            core=[{"member": self.org.members[group.code][0].pk, "post": "组长"}],
            measures={"political_study": "每周一次读报"},
        )
        plan = services.plan_submit(plan=plan, by=by, version=plan.version)
        if approve:
            plan = services.plan_approve(plan=plan, by=self.workshop(group), version=plan.version)
        return plan

    def declare(self, group, *, points="1"):
        by = self.leader(group)
        declaration = services.declaration_open(group=group, year=self.year.year, by=by)
        lines = {
            i["code"]: {"self": points, "comment": "有台账", "evidence": []}
            for _c, i in declaration.indicators()
        }
        declaration = services.declaration_save(
            declaration=declaration,
            by=by,
            version=declaration.version,
            lines=lines,
            summary="坚持每月组务公开，开展技术比武。",
        )
        return services.declaration_submit(
            declaration=declaration, by=by, version=declaration.version
        )

    def recommend(self, declaration, level=None):
        return services.declaration_recommend(
            declaration=declaration,
            by=self.workshop(declaration.group),
            version=declaration.version,
            level=level or declaration.target_level,
            opinion="同意推荐",
        )

    def panel(self, *members, leader=None, rule=PanelRule.MEAN, name="第一考评小组"):
        members = members or (self.people.chair_b, self.people.evaluator)
        return services.panel_save(
            year=self.year,
            by=self.people.hq,
            name=name,
            leader=leader or members[0],
            members=list(members),
            rule=rule,
        )

    def assign(self, declaration, panel):
        return services.declaration_assign(
            declaration=declaration, by=self.people.hq, version=declaration.version, panel=panel
        )

    def inspect(self, declaration, inspector, total, *, submit=True, passed=True):
        """Scores adding up to `total` (all on the first line that can hold them)."""
        scores, left = {}, Decimal(total)
        for _c, indicator in declaration.indicators():
            points = min(Decimal(indicator["max_points"]), left)
            scores[indicator["code"]] = str(points)
            left -= points
        checks = {
            item.pk: {"passed": passed, "note": ""} for item in services.checklist_for(declaration)
        }
        return services.inspection_save(
            declaration=declaration,
            by=inspector,
            scores=scores,
            checks=checks,
            inspected_on=today(),
            submit=submit,
        )

    def sign_off(self, declaration):
        declaration.refresh_from_db()
        return services.declaration_sign_off(
            declaration=declaration,
            by=declaration.panel.leader,
            version=declaration.version,
            opinion="台账齐全",
        )

    def accepted(self, group, total=80, target="qualified"):
        """The group planned, declared, recommended and accepted by a panel of two."""
        self.plan(group, target=target)
        declaration = self.recommend(self.declare(group))
        panel = self.panel(self.people.evaluator, self.people.expert, name=f"考评小组{group.code}")
        declaration = self.assign(declaration, panel)
        for inspector in (self.people.evaluator, self.people.expert):
            self.inspect(declaration, inspector, total)
        return self.sign_off(declaration)

    def notice(self, *declarations):
        return services.notice_publish(
            year=self.year,
            by=self.people.hq,
            title=f"{self.year.year}年职工小家命名公示",
            declarations=list(declarations),
        )

    def end_notice(self, notice):
        """The notice's days have passed."""
        Notice.objects.filter(pk=notice.pk).update(
            starts_on=today() - timedelta(days=8), ends_on=today() - timedelta(days=1)
        )
        notice.refresh_from_db()
        return notice

    def name(self, notice, document_no="矿工发〔2026〕21号", levels=None):
        return services.naming_confirm(
            notice=notice,
            by=self.people.hq,
            document_no=document_no,
            named_on=today(),
            levels=levels or {},
        )


@pytest.fixture
def steps(org, people, year):
    return Steps(org, people, year)
