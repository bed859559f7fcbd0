"""A creation year open for the current year, and helpers to write A1's plan with its
planned activities, as its leader does."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from homes import services as homes
from homes.models import CreationYear
from plans import services
from tests.factories import area, leader_user, today, workshop_user


@pytest.fixture
def year(db):
    day = today()
    for y in {day.year, (day + timedelta(days=1)).year}:
        CreationYear.objects.get_or_create(
            year=y,
            defaults={
                "declarations_open": date(y, 1, 1),
                "declarations_close": date(y, 12, 31),
            },
        )
    return day.year


@pytest.fixture
def people(org, hq):
    return SimpleNamespace(
        hq=hq,
        leader=leader_user(org.A1, name="组长甲一"),
        leader_b1=leader_user(org.B1, name="组长乙一"),
        ws_a=workshop_user(org.a, name="车间甲"),
        ws_b=workshop_user(org.b, name="车间乙"),
    )


def write_plan(org, by, year, group=None):
    group = group or org.A1
    return homes.plan_save(
        group=group,
        year=year,
        by=by,
        target_level="qualified",
        rules="每月一次小组会",
        core=[{"member": org.members[group.code][0].pk, "post": "组长"}],
        measures={"political_study": "每周一次读报", "recreation": "每季一次文体活动"},
    )


def plan_item(by, group, day, title="读书会", code="political_study"):
    return services.item_add(
        by=by, group=group, year=day.year, planned_on=day, area=area(code), title=title
    )


@pytest.fixture
def approved(org, people, year):
    """A1's plan for this year with one planned activity today, approved by workshop union A."""
    plan = write_plan(org, people.leader, year)
    item = plan_item(people.leader, org.A1, today())
    plan = homes.plan_submit(plan=plan, by=people.leader, version=plan.version)
    plan = homes.plan_approve(plan=plan, by=people.ws_a, version=plan.version)
    return SimpleNamespace(plan=plan, item=item)
