"""Learning fixtures: the test organisation (tests/conftest.py), its people, and helpers
that record a learning record or a competition in one line."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from accounts.models import Role
from learning import services
from learning.models import CompetitionKind, LearningKind, Level
from tests.factories import UserFactory, leader_user, member_user, workshop_user


@pytest.fixture
def people(org, hq):
    return SimpleNamespace(
        hq=hq,
        ws_a=workshop_user(org.a, name="锅炉车间工会"),
        ws_b=workshop_user(org.b, name="汽机车间工会"),
        leader_a1=leader_user(org.A1, name="组长甲一"),
        leader_a2=leader_user(org.A2, name="组长甲二"),
        leader_b1=leader_user(org.B1, name="组长乙一"),
        evaluator=UserFactory(role=Role.EVALUATOR, name="测评员"),
        member_a1=member_user(org.members["A1"][0]),
    )


def kind(code) -> LearningKind:
    return LearningKind.objects.get(code=code)


def record(member, by, code, on=date(2026, 3, 10), **kwargs):
    """A learning record of kind `code` (weekly_lesson, reading, training, certificate)."""
    defaults = {
        "weekly_lesson": {"title": "安全规程", "hours": Decimal("1")},
        "reading": {"title": "《大国工匠》", "notes": "读书笔记"},
        "training": {"title": "岗位培训", "hours": Decimal("8")},
        "certificate": {"title": "高级工证书", "certificate_no": "C-1", "issuer": "鉴定中心"},
    }[code]
    return services.record_add(
        by=by, member=member, kind=kind(code), on=on, **{**defaults, **kwargs}
    )


def competition(by, *, level=Level.WORKSHOP, workshop=None, group=None, **kwargs):
    return services.competition_save(
        by=by,
        title=kwargs.pop("title", "岗位技术比武"),
        kind=CompetitionKind.objects.get(code="skills"),
        level=level,
        workshop=workshop,
        group=group,
        starts_on=kwargs.pop("starts_on", date(2026, 4, 1)),
        ends_on=kwargs.pop("ends_on", date(2026, 4, 2)),
        **kwargs,
    )


def enter(comp, by, *rows):
    """Results as (employee no., score, rank, award name) tuples; returns the plan."""
    plan = services.results_plan(
        competition=comp,
        by=by,
        rows=[
            services.ResultRow(i + 1, no, score=score, rank=rank, award=award)
            for i, (no, score, rank, award) in enumerate(rows)
        ],
    )
    if plan.ok:
        services.results_apply(competition=comp, by=by, plan=plan)
    return plan
