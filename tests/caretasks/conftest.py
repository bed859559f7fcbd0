"""Care task fixtures: the test organisation (tests/conftest.py) with the occasions the
migration seeds, a 生活员 in A1, and helpers to place birthdays, visits and archive entries."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from caretasks.models import CareOccasion
from groups.models import GroupPost, Member, Post
from welfare import services as welfare


@pytest.fixture
def occasions(db):
    return {o.code: o for o in CareOccasion.objects.all()}


@pytest.fixture
def posts(org):
    """A1 has a leader and a 生活员 (who does its tasks); A2 only a leader; B1 and B2 none."""
    a1, a2 = org.members["A1"], org.members["A2"]
    GroupPost.objects.create(group=org.A1, post=Post.LEADER, member=a1[0], since=date(2024, 1, 1))
    GroupPost.objects.create(
        group=org.A1, post=Post.LIVELIHOOD, member=a1[1], since=date(2024, 1, 1)
    )
    GroupPost.objects.create(group=org.A2, post=Post.LEADER, member=a2[0], since=date(2024, 1, 1))
    return {"A1": a1[1].name, "A2": a2[0].name}


def born(member, day: date) -> Member:
    Member.objects.filter(pk=member.pk).update(birth_date=day)
    member.birth_date = day
    return member


def nobody_born_near(org, day=date(1980, 12, 31)):
    """Every member's birthday moved far from the days a test looks at."""
    Member.objects.all().update(birth_date=day)


def entered(member, days_ago: int, today: date):
    """The member's record entered `days_ago` days before `today`."""
    moment = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(9)))
    Member.objects.filter(pk=member.pk).update(created_at=moment)


def archive(member, by):
    """The member in the hardship archive (an 意外致困 entry, which has no income test)."""
    return welfare.hardship_open(
        by=by,
        member=member,
        hardship_class="accident_hardship",
        household_situation="家中突发变故",
        causes=["disaster"],
        household_income="0",
        household_size=1,
    )
