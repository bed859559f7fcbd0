"""The star level a workshop union's year reaches: the highest whose every threshold it
meets, by the levels HQ set (the defaults of democracy 0002)."""

from datetime import date
from decimal import Decimal

import pytest

from democracy.models import StarLevel
from democracy.selectors import WorkshopYear, quarters_ended
from groups.models import WorkshopUnion


def reached(**figures) -> int:
    row = WorkshopYear(workshop=WorkshopUnion(name="综采一队"), **figures)
    levels = list(StarLevel.objects.order_by("-stars"))
    row.level = next((level for level in levels if row.meets(level)), None)
    return row.stars


@pytest.mark.django_db
def test_the_highest_level_whose_every_threshold_is_met():
    strong = {
        "sessions_held": 2,
        "resolutions_due": 10,
        "resolutions_on_time": 10,
        "quarters": (3, 4, 3, 5),
        "feedback_total": 4,
        "feedback_on_time": 4,
    }
    assert reached(**strong) == 5
    # One resolution late (90 %): four stars.
    assert reached(**{**strong, "resolutions_on_time": 9}) == 4
    # A lean quarter with a single disclosure: two stars, whatever the rest.
    assert reached(**{**strong, "quarters": (3, 1, 3, 5)}) == 2
    # Only one congress held: one star at most.
    assert reached(**{**strong, "sessions_held": 1}) == 1
    # No congress at all: no star.
    assert reached(**{**strong, "sessions_held": 0}) == 0


@pytest.mark.django_db
def test_nothing_to_count_meets_a_rate_and_no_ended_quarter_meets_the_disclosures():
    assert reached(sessions_held=2, quarters=()) == 5
    assert reached(sessions_held=2, quarters=(0,)) == 0


@pytest.mark.django_db
def test_the_levels_are_data():
    StarLevel.objects.filter(stars=5).update(min_disclosures_per_quarter=6)
    assert reached(sessions_held=2, quarters=(3, 3, 3, 3)) == 4
    StarLevel.objects.filter(stars__gte=2).update(min_feedback_on_time=Decimal("99.5"))
    assert reached(sessions_held=2, feedback_total=200, feedback_on_time=198) == 1


def test_only_quarters_that_have_ended_are_judged():
    assert quarters_ended(2026, date(2026, 3, 31)) == 0
    assert quarters_ended(2026, date(2026, 4, 1)) == 1
    assert quarters_ended(2026, date(2026, 12, 7)) == 3
    assert quarters_ended(2025, date(2026, 1, 2)) == 4
    assert quarters_ended(2027, date(2026, 12, 7)) == 0
