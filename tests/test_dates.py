"""One date style: every date a person reads goes through the `day` filter (unionhome.dates);
templates use Django's `date` filter only for machine values inside a tag (URLs, form
values), never for text on the page."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from unionhome.dates import day_label

ROOT = Path(settings.BASE_DIR)
MACHINE_FORMATS = {"Y", "m", "Y-m", "Y-m-d", "c"}
DATE_FILTER = re.compile(r"\|date(?::([\"'])([^\"']*)\1)?")


def templates():
    for path in ROOT.rglob("*.html"):
        if not {".venv", "bench", "node_modules"} & set(path.parts):
            yield path


def misuses(text: str, name: str) -> list[str]:
    """The places in a template's text that write a date their own way."""
    wrong = []
    for match in DATE_FILTER.finditer(text):
        before = text[: match.start()]
        in_tag = before.rfind("<") > before.rfind(">")
        where = f"{name}:{before.count(chr(10)) + 1}"
        if not in_tag:
            wrong.append(f"{where}: {match.group(0)} in the page's text (use |day)")
        elif match.group(2) not in MACHINE_FORMATS:
            wrong.append(f"{where}: {match.group(0)} is not a machine format")
    if re.search(r"\|time\b", text):
        wrong.append(f'{name}: |time (use |day:"time")')
    return wrong


def test_templates_write_dates_for_people_only_through_the_day_filter():
    wrong = []
    for path in templates():
        wrong += misuses(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not wrong, "\n".join(wrong)


def test_the_scan_finds_a_date_written_for_people():
    """The rule is not vacuous: a page writing a date its own way is caught, a URL's
    machine date is not."""
    text = '<td>{{ held_on|date:"Y-m-d" }}</td><a href="?day={{ held_on|date:\'Y-m-d\' }}">'
    assert misuses(text, "page.html") == [
        'page.html:1: |date:"Y-m-d" in the page\'s text (use |day)'
    ]
    assert misuses("<input value=\"{{ d|date:'n/j' }}\">", "form.html") == [
        "form.html:1: |date:'n/j' is not a machine format"
    ]


@pytest.mark.parametrize(
    ("style", "chinese", "english"),
    [
        ("date", "2026年9月1日", "Sept. 1, 2026"),
        ("month", "2026年9月", "September 2026"),
        ("short", "9月1日", "September 1"),
        ("calendar", "9月1日 周二", "September 1 Tue"),
        ("time", "2026年9月1日 08:05", "Sept. 1, 2026, 8:05 a.m."),
        ("stamp", "2026年9月1日 08:05:09", "Sept. 1, 2026 08:05:09"),
    ],
)
def test_each_style_in_both_languages(style, chinese, english):
    when = datetime(2026, 9, 1, 0, 5, 9, tzinfo=ZoneInfo("UTC"))  # 08:05 in Beijing
    value = when if style in ("time", "stamp") else date(2026, 9, 1)
    with translation.override("zh-hans"):
        assert day_label(value, style) == chinese
        assert Template("{{ v|day:s }}").render(Context({"v": value, "s": style})) == chinese
    with translation.override("en"):
        assert day_label(value, style) == english


def test_nothing_for_no_date_and_iso_dates_from_json():
    assert day_label(None) == "" and day_label("") == ""
    with translation.override("zh-hans"):
        assert day_label("2026-10-31") == "2026年10月31日"
