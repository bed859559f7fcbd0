"""The 小家 steps in each person's to-do list: what waits for them, and nothing else."""

from datetime import timedelta

from django.utils import timezone

from homes import services
from homes.models import Declaration
from homes.todo import declarations_waiting, todo_items


def items(user) -> dict[str, int]:
    return {str(what): count for what, count, _url in todo_items(user)}


def test_each_step_waits_for_the_one_who_takes_it(org, people, steps):
    plan = steps.plan(org.A1, approve=False)
    assert items(people.ws_a) == {"待审核的创建计划": 1}
    assert items(people.ws_b) == {}  # not its group
    services.plan_approve(plan=plan, by=people.ws_a, version=plan.version)
    assert items(people.leader_a1) == {"创建计划已批准，请开始自评": 1}
    services.declaration_open(group=org.A1, year=steps.year.year, by=people.leader_a1)
    assert items(people.leader_a1) == {"待完成自评并申报": 1}
    steps.plan(org.A2)
    declaration = steps.declare(org.A2)  # A2's, declared by HQ for it
    assert items(people.ws_a) == {"待审核推荐的申报": 1}
    declaration = steps.assign(steps.recommend(declaration), steps.panel(people.chair_b))
    assert items(people.chair_b) == {"待您验收的小家": 1}
    steps.inspect(declaration, people.chair_b, 80)
    assert items(people.chair_b) == {"待您作为验收组长签署的验收": 1}
    assert list(declarations_waiting(people.chair_b, "sign_off")) == [declaration]


def test_a_step_waiting_longer_than_the_year_allows_is_flagged(org, people, steps):
    steps.plan(org.A2)
    declaration = steps.declare(org.A2)
    assert "停留时间过长的小家创建环节" not in items(people.ws_a)
    Declaration.objects.filter(pk=declaration.pk).update(
        last_step_at=timezone.now() - timedelta(days=steps.year.stale_after_days + 1)
    )
    assert items(people.ws_a)["停留时间过长的小家创建环节"] == 1
    assert "停留时间过长的小家创建环节" not in items(people.ws_b)


def test_hq_answers_objections_and_names_after_the_notice(org, people, steps):
    declaration = steps.accepted(org.A1)
    assert items(people.hq)["待公示的已验收小家"] == 1
    notice = steps.notice(declaration)
    services.objection_file(
        notice=notice, declaration=declaration, by=people.leader_a2, text="有异议"
    )
    assert items(people.hq)["待答复的异议"] == 1
    steps.end_notice(notice)
    assert items(people.hq)["公示期满待命名"] == 1
