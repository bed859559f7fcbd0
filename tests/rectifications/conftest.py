"""整改 fixtures: the test organisation (tests/conftest.py), the people who raise, own and
close items, items in every status, and an inspection of A1 by a panel (tests/homes)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import translation

from accounts.models import Role
from rectifications import services
from rectifications.models import Kind
from tests import files
from tests.factories import UserFactory, leader_user, today, workshop_user
from tests.homes.conftest import Steps, year  # noqa: F401  (the creation year fixture)


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
        # A department head with a login but no role in the union's organisation.
        owner=UserFactory(role=None, name="设备科长"),
        chair_b=workshop_user(org.b, name="乙车间主席"),
    )


# raise_item(owner=NO_OWNER): an item naming no owner login (the raising office reports).
NO_OWNER = object()


def raise_item(people, org, *, by=None, group="A1", owner=None, due_in=10, **kwargs):
    group = org.groups[group] if isinstance(group, str) else group
    workshop = group.workshop if group is not None else kwargs.pop("workshop", org.a)
    return services.rectification_raise(
        by=by or people.ws_a,
        workshop=workshop,
        group=group,
        kind=kwargs.pop("kind", Kind.OTHER),
        title=kwargs.pop("title", "安全台账不全"),
        description=kwargs.pop("description", "班组安全活动记录缺三月份"),
        owner_department=kwargs.pop("owner_department", "运行一班"),
        owner_user=None if owner is NO_OWNER else owner or people.owner,
        due_on=kwargs.pop("due_on", today() + timedelta(days=due_in)),
        **kwargs,
    )


def report(item, by, *, evidence=None):
    return services.rectification_report(
        rectification=item,
        by=by,
        report="已补齐三月份安全活动记录并组织学习",
        evidence_files=[files.jpeg()] if evidence is None else evidence,
    )


@pytest.fixture
def items(org, people):
    """An open item of A1 owned by the department head, raised by A's workshop union."""
    return SimpleNamespace(open=raise_item(people, org))


@pytest.fixture
def inspection(org, hq, year):  # noqa: F811
    """An inspection of A1's declaration by B's chair on a panel HQ formed."""
    hq_people = SimpleNamespace(
        hq=hq,
        ws_a=workshop_user(org.a, name="车间甲"),
        ws_b=workshop_user(org.b, name="车间乙"),
        leader_a1=leader_user(org.A1, name="组长甲一(小家)"),
        leader_a2=leader_user(org.A2, name="组长甲二(小家)"),
        chair_b=workshop_user(org.b, name="检查组长"),
        evaluator=UserFactory(role=Role.EVALUATOR, name="检查员"),
        expert=UserFactory(role=Role.HQ, name="专家"),
    )
    steps = Steps(org, hq_people, year)
    steps.plan(org.A1)
    declaration = steps.recommend(steps.declare(org.A1))
    panel = steps.panel(hq_people.chair_b, hq_people.evaluator)
    declaration = steps.assign(declaration, panel)
    done = steps.inspect(declaration, hq_people.evaluator, 60)
    done.remarks = "安全台账不全\n班务公开栏未及时更新"
    done.save()
    done.people = hq_people
    return done


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def login_en(login):
    """login(user) with the pages in English."""

    def make(user):
        client = login(user)
        client.cookies["django_language"] = "en"
        return client

    return make
