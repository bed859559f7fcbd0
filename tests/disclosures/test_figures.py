"""The figures for scoring, a workshop union's year, the to-do items and the member's
applications."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from disclosures import hooks, services
from disclosures.models import Disclosure, DisclosureSettings, Feedback, Level
from disclosures.selectors import workshop_year_figures
from unionhome import metrics

from .conftest import posted, propose, reviewed, today

pytestmark = pytest.mark.django_db


def _posted_on(d, day):
    Disclosure.objects.filter(pk=d.pk).update(posted_on=day, posted_until=day + timedelta(days=6))


def _year():
    return today().year


def test_per_quarter_counts_the_groups_own_posted_disclosures(org, people, category):
    a = posted(
        reviewed(propose(people["leader_a1"], category, group=org.A1), people["ws_a"]),
        people["leader_a1"],
    )
    b = posted(
        reviewed(propose(people["leader_a1"], category, group=org.A1, title="b"), people["ws_a"]),
        people["leader_a1"],
    )
    _posted_on(a, date(_year(), 2, 1))
    _posted_on(b, date(_year(), 8, 1))
    propose(people["leader_a1"], category, group=org.A1, title="not posted")
    w = posted(
        reviewed(propose(people["ws_a"], category, Level.WORKSHOP, workshop=org.a), people["hq"]),
        people["ws_a"],
    )
    _posted_on(w, date(_year(), 2, 2))
    ids = [org.A1.pk, org.A2.pk]
    year = metrics.values(
        "disclosures.per_quarter",
        group_ids=ids,
        start=date(_year(), 1, 1),
        end=date(_year(), 12, 31),
    )
    assert year == {org.A1.pk: 0.5, org.A2.pk: 0.0}  # the workshop union's is not the group's
    first = metrics.values(
        "disclosures.per_quarter",
        group_ids=ids,
        start=date(_year(), 1, 1),
        end=date(_year(), 3, 31),
    )
    assert first[org.A1.pk] == 1.0


def test_feedback_on_time_follows_the_rule_and_is_omitted_without_feedback(
    org, people, group_posted
):
    quick = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="a")
    slow = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="b")
    services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="c")  # open
    services.feedback_answer(by=people["leader_a1"], feedback=quick, answer="ok")
    services.feedback_answer(by=people["leader_a1"], feedback=slow, answer="ok")
    Feedback.objects.filter(pk=slow.pk).update(filed_at=timezone.now() - timedelta(days=8))
    span = {"start": today() - timedelta(days=30), "end": today()}
    values = metrics.values(
        "disclosures.feedback_on_time", group_ids=[org.A1.pk, org.A2.pk], **span
    )
    assert values == {org.A1.pk: round(1 / 3, 4)}
    DisclosureSettings.objects.update_or_create(pk=1, defaults={"answer_within_days": 10})
    values = metrics.values("disclosures.feedback_on_time", group_ids=[org.A1.pk], **span)
    assert values == {org.A1.pk: round(2 / 3, 4)}


def test_workshop_year_figures(org, people, category, group_posted, django_assert_num_queries):
    w = posted(
        reviewed(propose(people["ws_a"], category, Level.WORKSHOP, workshop=org.a), people["hq"]),
        people["ws_a"],
    )
    e = posted(
        reviewed(propose(people["hq"], category, Level.ENTERPRISE), people["hq2"]), people["hq"]
    )
    fb = services.feedback_file(by=people["member_a2"], disclosure=w, text="x")
    services.feedback_answer(by=people["ws_a"], feedback=fb, answer="y")
    waiting = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="z")
    services.feedback_file(by=people["member_b1"], disclosure=e, text="enterprise")
    _posted_on(w, date(_year(), 1, 5))
    _posted_on(group_posted, date(_year(), 11, 5))
    with django_assert_num_queries(3):
        figures = workshop_year_figures(year=_year(), workshop_ids=[org.a.pk, org.b.pk])
    # A form still within its days to answer is not late yet: it does not count.
    assert figures[org.a.pk] == {
        "disclosures_by_quarter": [1, 0, 0, 1],
        "feedback_total": 1,
        "feedback_answered_on_time": 1,
    }
    Feedback.objects.filter(pk=waiting.pk).update(
        filed_at=timezone.now()
        - timedelta(days=DisclosureSettings.current().answer_within_days + 1)
    )
    figures = workshop_year_figures(year=_year(), workshop_ids=[org.a.pk, org.b.pk])
    assert (
        figures[org.a.pk]["feedback_total"],
        figures[org.a.pk]["feedback_answered_on_time"],
    ) == (
        2,
        1,
    )
    assert figures[org.b.pk] == {
        "disclosures_by_quarter": [0, 0, 0, 0],
        "feedback_total": 0,
        "feedback_answered_on_time": 0,
    }
    assert workshop_year_figures(year=_year() - 1) == {}


def test_todo_items_for_the_reviewer_and_the_office(org, people, category, group_posted):
    propose(people["leader_a1"], category, group=org.A1, title="待审")
    [(_what, count, url)] = hooks.todo_items(people["ws_a"])
    assert count == 1 and url.endswith("?todo=review")
    assert hooks.todo_items(people["ws_b"]) == []
    assert hooks.todo_items(people["leader_a1"]) == []
    fb = services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    assert [c for _w, c, _u in hooks.todo_items(people["leader_a1"])] == [1]
    Feedback.objects.filter(pk=fb.pk).update(filed_at=timezone.now() - timedelta(days=8))
    assert [c for _w, c, _u in hooks.todo_items(people["leader_a1"])] == [1, 1]
    e = propose(people["hq"], category, Level.ENTERPRISE, title="厂务")
    # HQ's list: the enterprise's (not its own proposal) and the workshop unions'; a
    # group's waits on its workshop union's list.
    assert hooks.todo_items(people["hq"]) == []
    assert [c for _w, c, _u in hooks.todo_items(people["hq2"])] == [1]
    assert e.pk


def test_the_members_own_feedback_among_their_applications(org, people, group_posted):
    services.feedback_file(by=people["member_a1"], disclosure=group_posted, text="x")
    author = org.members["A1"][0]
    [application] = hooks.member_applications(people["member_a1"], author)
    assert not application.done and group_posted.title in application.what
    # Nobody else learns from the member's record which forms they wrote: not another
    # member, not the office answering the form, not HQ (it looks a form up, logged).
    for who in ("member_a2", "leader_a1", "ws_a", "hq"):
        assert hooks.member_applications(people[who], author) == [], who


def test_navigation(org, people):
    assert hooks.navigation(people["member_a1"])[0][1] == "disclosures:board"
    assert hooks.navigation(people["ws_a"])[0][1] == "disclosures:list"


def test_quarters_split_on_the_first_day_of_the_quarter(org, people, category):
    days = [date(_year(), 3, 31), date(_year(), 4, 1), date(_year(), 12, 31)]
    for index, day in enumerate(days):
        d = posted(
            reviewed(
                propose(people["leader_a1"], category, group=org.A1, title=f"第{index}项"),
                people["ws_a"],
            ),
            people["leader_a1"],
        )
        _posted_on(d, day)
    figures = workshop_year_figures(year=_year(), workshop_ids=[org.a.pk])
    assert figures[org.a.pk]["disclosures_by_quarter"] == [1, 1, 0, 1]


def _feedback_of_a1(people, category, org, count, on_time):
    """`count` posted disclosures of A1 with one answered feedback form each; the first
    `on_time` of them answered the same day, the others twenty days after filing."""
    for index in range(count):
        d = posted(
            reviewed(
                propose(people["leader_a1"], category, group=org.A1, title=f"第{index}项"),
                people["ws_a"],
            ),
            people["leader_a1"],
        )
        fb = services.feedback_file(by=people["member_a1"], disclosure=d, text="x")
        services.feedback_answer(by=people["leader_a1"], feedback=fb, answer="y")
        if index >= on_time:
            Feedback.objects.filter(pk=fb.pk).update(filed_at=timezone.now() - timedelta(days=20))


@pytest.mark.parametrize("count", [1, 4])
def test_the_year_and_the_scoring_figures_take_a_fixed_number_of_queries(
    count, org, people, category, django_assert_num_queries
):
    """The settings and one aggregate query per figure, whatever the number of records."""
    _feedback_of_a1(people, category, org, count, on_time=1)
    with django_assert_num_queries(3):
        figures = workshop_year_figures(year=_year(), workshop_ids=[org.a.pk, org.b.pk])
    assert figures[org.a.pk]["feedback_total"] == count
    assert figures[org.a.pk]["feedback_answered_on_time"] == 1
    span = {"start": today() - timedelta(days=30), "end": today()}
    with django_assert_num_queries(2):
        values = metrics.values(
            "disclosures.feedback_on_time", group_ids=[org.A1.pk, org.A2.pk], **span
        )
    assert values == {org.A1.pk: round(1 / count, 4)}
    with django_assert_num_queries(1):
        values = metrics.values("disclosures.per_quarter", group_ids=[org.A1.pk], **span)
    assert values[org.A1.pk] > 0
