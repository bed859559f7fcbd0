"""What the app offers other pages (to-do, the member's home page and record, links) and
the figures for scoring."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from improvements import hooks, metrics, services
from improvements.models import AwardLevel, Improvement
from tests.factories import MemberFactory
from unionhome import metrics as registry

from .conftest import file, today


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _done(ws, member, level=None, **kwargs):
    item = services.improvement_adopt(
        by=ws, improvement=file(ws, member, **kwargs), responsible="机电科", due_on=today()
    )
    item = services.improvement_implement(
        by=ws, improvement=item, implemented_on=today(), implementation="已实施"
    )
    if level:
        item = services.improvement_award(by=ws, improvement=item, level=level)
    return item


def test_todo_items_for_the_workshop_union_waiting_and_overdue(ws_a, ws_b, leader_a1, org):
    file(leader_a1, org.members["A1"][0])
    file(leader_a1, org.members["A1"][1])
    late = services.improvement_adopt(
        by=ws_a,
        improvement=file(ws_a, org.members["A2"][0]),
        responsible="机电科",
        due_on=today(),
    )
    Improvement.objects.filter(pk=late.pk).update(due_on=today() - timedelta(days=1))
    items = [(str(what), n, url) for what, n, url in hooks.todo_items(ws_a)]
    assert items == [
        ("Improvement suggestions to screen", 2, "/improvements/?waiting=screen"),
        ("Adopted suggestions overdue", 1, "/improvements/?waiting=overdue"),
    ]
    assert hooks.todo_items(ws_b) == [] and hooks.todo_items(leader_a1) == []


def test_the_waiting_lists_the_todo_links_to(ws_a, leader_a1, org, login):
    waiting = file(leader_a1, org.members["A1"][0])
    services.improvement_reject(by=ws_a, improvement=file(ws_a, org.members["A2"][0]), reason="x")
    rows = login(ws_a).get("/improvements/?waiting=screen").context["rows"]
    assert list(rows) == [waiting]


def test_the_members_own_suggestions_on_their_home_page(ws_a, member_login, member_a, org):
    file(member_login, member_a, title="节能灯具")
    services.improvement_reject(
        by=ws_a, improvement=file(member_login, member_a, title="候罐室取暖"), reason="已列入计划"
    )
    file(ws_a, org.members["A1"][1], title="别人的")
    found = hooks.member_applications(member_login, member_a)
    assert [(a.what, a.done) for a in found] == [
        ("Improvement suggestion: 候罐室取暖", True),
        ("Improvement suggestion: 节能灯具", False),
    ]
    assert "已列入计划" in found[0].state


def test_member_facts_count_the_suggestions_and_awards(ws_a, ws_b, member_a):
    second = AwardLevel.objects.get(code="second")
    _done(ws_a, member_a, level=second, title="一")
    _done(ws_a, member_a, title="二")
    file(ws_a, member_a, title="三")
    facts = hooks.member_facts(ws_a, member_a)
    assert len(facts) == 1
    label, text, url = facts[0]
    assert str(label) == "Improvement suggestions"
    assert text == "3 suggestions, awarded 1 time (二等奖 ¥1,000.00)"
    assert url.startswith("/improvements/?q=")
    assert hooks.member_facts(ws_b, member_a) == []


def test_member_facts_say_one_suggestion_and_several_awards_in_the_right_number(ws_a, member_a):
    file(ws_a, member_a, title="一")
    assert hooks.member_facts(ws_a, member_a)[0][1] == "1 suggestion"
    first, second = AwardLevel.objects.get(code="first"), AwardLevel.objects.get(code="second")
    _done(ws_a, member_a, level=first, title="二")
    _done(ws_a, member_a, level=second, title="三")
    again = type(member_a).objects.get(pk=member_a.pk)  # the hooks keep one page's rows
    text = hooks.member_facts(ws_a, again)[0][1]
    assert text.startswith("3 suggestions, awarded 2 times (")
    assert "一等奖 ¥2,000.00" in text and "二等奖 ¥1,000.00" in text


def test_the_award_is_a_step_on_the_members_timeline(ws_a, member_a):
    item = _done(ws_a, member_a, level=AwardLevel.objects.get(code="first"))
    steps = hooks.member_timeline(ws_a, member_a)
    assert [(s.on, s.url) for s in steps] == [(today(), f"/improvements/{item.pk}/")]
    assert "一等奖" in steps[0].what


def test_the_leader_gets_a_link_to_file_for_their_member(leader_a1, member_login, org, member_a):
    links = hooks.member_links(leader_a1, org.members["A1"][1])
    assert [url for _l, url in links] == [f"/improvements/new/?member={org.members['A1'][1].pk}"]
    assert hooks.member_links(leader_a1, org.members["B1"][0]) == []
    assert hooks.member_links(member_login, member_a) == []


def test_navigation(ws_a, member_login, evaluator):
    assert [n for _l, n in hooks.navigation(ws_a)] == ["improvements:list"]
    assert [n for _l, n in hooks.navigation(member_login)] == ["improvements:list"]
    assert [n for _l, n in hooks.navigation(evaluator)] == ["improvements:public"]


# Figures -------------------------------------------------------------------------------------


def test_per_member_divides_the_periods_suggestions_by_the_groups_members(ws_a, org):
    start, end = date(today().year, 1, 1), date(today().year, 12, 31)
    file(ws_a, org.members["A1"][0])
    file(ws_a, org.members["A1"][0], title="二")
    file(ws_a, org.members["A1"][1], title="三")
    file(ws_a, org.members["A1"][1], title="去年", filed_on=start - timedelta(days=1))
    values = registry.values(
        "improvements.per_member", group_ids=[org.A1.pk, org.A2.pk], start=start, end=end
    )
    assert values == {org.A1.pk: 1.0, org.A2.pk: 0.0}
    MemberFactory(group=org.A1)  # a fourth member
    values = metrics.per_member(group_ids=[org.A1.pk], start=start, end=end)
    assert values == {org.A1.pk: 0.75}


def test_adoption_rate_over_the_decided_omits_groups_with_nothing_decided(
    ws_a, org, django_assert_num_queries
):
    start, end = date(today().year, 1, 1), date(today().year, 12, 31)
    members = org.members["A1"]
    services.improvement_adopt(
        by=ws_a, improvement=file(ws_a, members[0]), responsible="x", due_on=today()
    )
    services.improvement_to_motion(by=ws_a, improvement=file(ws_a, members[1]))
    services.improvement_reject(by=ws_a, improvement=file(ws_a, members[2]), reason="x")
    file(ws_a, members[2], title="待审查")
    file(ws_a, org.members["A2"][0])  # nothing decided in A2
    with django_assert_num_queries(1):
        values = metrics.adoption_rate(group_ids=[org.A1.pk, org.A2.pk], start=start, end=end)
    assert values == {org.A1.pk: round(2 / 3, 4)}


def test_the_record_source_counts_per_group(ws_a, org):
    start, end = date(today().year, 1, 1), date(today().year, 12, 31)
    _done(ws_a, org.members["A1"][0], level=AwardLevel.objects.get(code="third"))
    file(ws_a, org.members["A1"][0], title="二")
    source = registry.source("improvements.suggestion")
    window = {"group_ids": [org.A1.pk, org.B1.pk], "start": start, "end": end}
    assert source.count(**window, option="") == {org.A1.pk: 2, org.B1.pk: 0}
    assert source.count(**window, option="awarded") == {org.A1.pk: 1, org.B1.pk: 0}
    assert source.participants(**window, option="") == {org.A1.pk: 1, org.B1.pk: 0}
    assert source.days(**window, span="screening") == {org.A1.pk: [0], org.B1.pk: []}
