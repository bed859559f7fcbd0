"""Each rule is written once, on the model field, and holds for every way in: every
service's full_clean() enforces it, not only the form that happens to show the field."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from activities import services as activities
from groups import services as groups
from tests.factories import area, today
from welfare import services as welfare


def refused_on(field, call):
    with pytest.raises(ValidationError) as refused:
        call()
    assert field in refused.value.message_dict, refused.value.message_dict
    return refused.value.message_dict[field]


@pytest.mark.parametrize("bad", ["工号 1/2!", "A" * 21, "12 34"])
def test_a_service_refuses_a_malformed_employee_no(org, hq, bad):
    refused_on(
        "employee_no",
        lambda: groups.member_create(by=hq, employee_no=bad, name="张三", gender="M", group=org.A1),
    )


def test_a_service_refuses_a_malformed_phone(org, hq):
    member = org.members["A1"][0]
    messages = refused_on(
        "phone", lambda: groups.member_update(member=member, by=hq, phone="12345")
    )
    assert "0537-1234567" in messages[0]


def test_the_future_is_refused_the_same_way_by_every_service(org, hq):
    tomorrow = today() + timedelta(days=1)
    member = org.members["A1"][0]
    expected = "日期不能晚于今天。"
    for field, call in [
        (
            "birth_date",
            lambda: groups.member_update(member=member, by=hq, birth_date=tomorrow),
        ),
        (
            "moved_on",
            lambda: groups.member_move(member=member, to_group=org.A2, moved_on=tomorrow, by=hq),
        ),
        (
            "held_on",
            lambda: activities.activity_create(
                by=hq, group=org.A1, area=area(), title="明天的活动", held_on=tomorrow
            ),
        ),
        (
            "visited_on",
            lambda: welfare.visit_record(
                by=hq, member=member, kind="talk", visited_on=tomorrow, visitors="王"
            ),
        ),
    ]:
        with translation.override("zh-hans"):
            assert refused_on(field, call) == [expected], field
