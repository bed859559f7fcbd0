"""Building the 台账: a group's yearly binder as one A4 PDF (WeasyPrint, from an HTML
template, with the CJK fonts of Debian's fonts-noto-cjk), a workshop union's binders as
a zip, and the naming document and certificate as Word files (python-docx)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.scoping import VIEW
from groups.models import UnionGroup
from welfare.models import AccessLog

from .selectors import Binder, group_binder


@dataclass
class BuiltBinder:
    pdf: bytes
    # The binder shows the details of assistance cases: its printing is logged.
    has_welfare_details: bool
    file_name: str


def css_string(text: str) -> str:
    """A text as a CSS string literal (for the generated content of the page boxes)."""
    escaped = re.sub(r'["\\<>\n]', lambda m: f"\\{ord(m.group()):x} ", str(text))
    return f'"{escaped}"'


def page_numbers_css() -> str:
    """'第 N 页 / 共 M 页' as the content of a page margin box: the translated sentence
    with the page counters in place of its placeholders."""
    sentence = _("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\(page\)s|%\(pages\)s)", sentence)
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    return " ".join(counters.get(part) or css_string(part) for part in parts if part)


def binder_file_name(group, year: int) -> str:
    return _("%(workshop)s %(group)s %(year)s records.pdf") % {
        "workshop": group.workshop.name,
        "group": group.name,
        "year": year,
    }


def _chapters():
    return [
        ("group", _("The group and its posts")),
        ("plan", _("Year plan")),
        ("activities", _("Activities by month")),
        ("minutes", _("Minutes")),
        ("care", _("Care log")),
        ("welfare", _("Assistance")),
        ("reports", _("Monthly reports")),
        ("assessment", _("Survey and assessment")),
        ("titles", _("Title history")),
    ]


def _planned_by_month(binder: Binder) -> list:
    """[(month, [planned activity])] from the year plan within reach."""
    if binder.year_plan is None:
        return []
    return [
        (month.month, [str(item) for item in month.items])
        for month in binder.year_plan.months
        if month.items
    ]


def render_binder_html(binder: Binder) -> str:
    header = " · ".join(
        [binder.organisation, binder.group.workshop.name, binder.group.name, str(binder.year)]
    )
    return render_to_string(
        "binders/binder.html",
        {
            "b": binder,
            "header": header,
            "page_numbers": mark_safe(page_numbers_css()),
            "chapters": _chapters(),
            "planned_by_month": _planned_by_month(binder),
            "today": timezone.localdate(),
        },
    )


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Every picture is in the page as a data URI: nothing is fetched over the network or
    # from the disk, not even from us.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()


def log_binder_access(*, reader, binder: Binder, address=None) -> None:
    """The welfare access log's line for each case whose details the binder shows, as
    welfare writes it on printing a case (welfare.access.log_access): one query."""
    summary = _("in the records binder of %(group)s %(year)s") % {
        "group": binder.group.name,
        "year": binder.year,
    }
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=reader,
                action=AccessLog.Action.PRINT,
                target=case.log_target[:40],
                member=case.member,
                summary=str(summary)[:300],
                ip_address=address,
            )
            for case in binder.detailed_cases
        ]
    )


def build_group_binder(*, group, year: int, reader, address=None) -> BuiltBinder:
    """The group's binder for the year as the reader may read it; the cases whose details
    it shows are logged in the welfare access log."""
    binder = group_binder(group=group, year=year, reader=reader)
    pdf = html_to_pdf(render_binder_html(binder))
    if binder.has_welfare_details:
        log_binder_access(reader=reader, binder=binder, address=address)
    return BuiltBinder(pdf, binder.has_welfare_details, binder_file_name(binder.group, year))


def group_binder_pdf(*, group, year: int, reader) -> bytes:
    """The group's 台账 for the year: one A4 PDF (the contract other apps rely on)."""
    return build_group_binder(group=group, year=year, reader=reader).pdf


def workshop_groups(*, workshop, reader):
    """The workshop union's active groups whose binders the reader may read."""
    return (
        UnionGroup.objects.restrict(reader, VIEW)
        .filter(workshop=workshop, is_active=True)
        .select_related("workshop")
        .order_by("sort_order", "code")
    )


def workshop_binders_zip(*, workshop, year: int, reader, progress=None, out=None):
    """A zip of the binders of the workshop union's groups the reader may read, one PDF a
    group; `progress(done, total)` after each. Writes into `out` (a file) or returns
    the bytes."""
    groups = list(workshop_groups(workshop=workshop, reader=reader))
    target = out if out is not None else io.BytesIO()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for done, group in enumerate(groups, start=1):
            built = build_group_binder(group=group, year=year, reader=reader)
            archive.writestr(built.file_name, built.pdf)
            if progress is not None:
                progress(done, len(groups))
    return None if out is not None else target.getvalue()


def workshop_zip_name(workshop, year: int) -> str:
    return _("%(workshop)s %(year)s records.zip") % {"workshop": workshop.name, "year": year}
