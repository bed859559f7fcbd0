"""Months, deadlines and the day a group's membership is counted on."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from unionhome.params import year_param


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def report_deadline(month: date) -> date:
    """A month's report is due by the configured day of the following month (default 5)."""
    return next_month(month).replace(day=settings.UNIONHOME["REPORT_DEADLINE_DAY"])


def first_owed_month(created_at) -> date:
    """A group owes monthly reports from the month it was entered in the system on: a
    group set up today has no overdue reports for the months before it existed."""
    return month_start(timezone.localtime(created_at).date())


def owing_since_before(month: date):
    """The moment a group must have been entered before to owe `month`'s report (the start
    of the next month, local time): `first_owed_month` as a filter on `created_at`."""
    edge = next_month(month)
    return timezone.make_aware(datetime(edge.year, edge.month, 1))


def counting_day(month: date, today: date | None = None) -> date:
    """Members are counted on the month's last day, or today while the month runs."""
    today = today or timezone.localdate()
    return min(month_end(month), today)


def parse_month(text: str | None) -> date | None:
    """ "2026-03" -> date(2026, 3, 1); anything else -> None."""
    year, _sep, month = (text or "").partition("-")
    if year_param(year) is None or not (month.isascii() and month.isdigit()) or len(month) > 2:
        return None
    try:
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def recent_months(count: int, today: date | None = None) -> list[date]:
    """The `count` months before the current one, newest first (the ones reports are due for)."""
    month = month_start(today or timezone.localdate())
    months = []
    for _ in range(count):
        month = previous_month(month)
        months.append(month)
    return months
