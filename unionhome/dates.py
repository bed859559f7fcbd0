"""One way to write a date for people to read, used by every page, message and print:
2026年11月5日 for a day, 2026年11月 for a month, 11月5日 周三 in calendars (the English
interface writes the same in its own words). Machine formats (URLs, form values, files)
stay ISO and do not come through here."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext_lazy

FORMATS = {
    "date": "DATE_FORMAT",
    "month": "YEAR_MONTH_FORMAT",
    "short": "MONTH_DAY_FORMAT",
    "time": "DATETIME_FORMAT",
}
WEEKDAYS = (
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
)
STYLES = (*FORMATS, "calendar", "weekday", "stamp")


def day_label(value, style: str = "date") -> str:
    """`value` (a date, a datetime or an ISO date) written in `style`: date, month, short (month and
    day), calendar (month, day and weekday), weekday, time (date and time of day) or
    stamp (the same to the second, for audit logs)."""
    if isinstance(value, str):  # an ISO date kept in JSON (a report's frozen figures)
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, date):
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if style == "stamp":
            return f"{date_format(value, FORMATS['date'])} {value:%H:%M:%S}"
        if style != "time":
            value = value.date()
    elif style in ("time", "stamp"):
        style = "date"
    if style == "weekday":
        return str(WEEKDAYS[value.weekday()])
    if style == "calendar":
        return f"{date_format(value, FORMATS['short'])} {WEEKDAYS[value.weekday()]}"
    return date_format(value, FORMATS[style])


def month_label(value) -> str:
    return day_label(value, "month")
