"""Months as the dues keep them: the first day of the month."""

from datetime import date, timedelta

from django.utils import timezone

from unionhome.params import year_param


def month_start(day: date) -> date:
    return day.replace(day=1)


def this_month() -> date:
    return month_start(timezone.localdate())


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_end(month: date) -> date:
    return next_month(month) - timedelta(days=1)


def parse_month(text) -> date | None:
    """ "2026-03" -> date(2026, 3, 1); anything else -> None."""
    year, _sep, month = str(text or "").partition("-")
    if year_param(year) is None or not (month.isascii() and month.isdigit()) or len(month) > 2:
        return None
    try:
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def months_between(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months
