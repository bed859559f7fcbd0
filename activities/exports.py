"""Monthly reports of every group in reach, as one workbook for the union office."""

from django.utils import timezone
from django.utils.translation import gettext as _

from unionhome.tabular import xlsx_response
from unionhome.templatetags.unionhome import percent

from .models import ContentArea
from .selectors import month_figures


def _frozen(report) -> bool:
    return bool(report is not None and not report.is_editable and report.figures)


def reports_export(rows, first, last):
    """One row per group and month: the report's state and its figures (frozen once
    submitted, compiled live before)."""
    areas = list(ContentArea.objects.all())
    live = {}
    for month in sorted({r.month for r in rows}):
        live[month] = month_figures(
            group_ids=[r.group.pk for r in rows if r.month == month and not _frozen(r.report)],
            month=month,
        )
    headers = [
        _("Month"), _("Workshop union"), _("Union group"), _("Status"), _("Submitted at"),
        _("On time"), _("Activities"), *[a.name for a in areas], _("Participants"),
        _("Members"), _("Participation rate"), _("Care visits"), _("Summary"), _("Problems"),
        _("Plan for next month"),
    ]  # fmt: skip
    body = []
    for row in rows:
        report = row.report
        figures = report.figures if _frozen(report) else live[row.month][row.group.pk]
        per_area = {item["code"]: item["count"] for item in figures["areas"]}
        status = report.get_status_display() if report else _("Not filed")
        if row.is_overdue:
            status = _("%(status)s (overdue)") % {"status": status}
        submitted = (
            timezone.localtime(report.submitted_at).replace(tzinfo=None)
            if report and report.submitted_at
            else None
        )
        body.append([
            row.month.strftime("%Y-%m"),
            row.group.workshop.name,
            row.group.name,
            status,
            submitted,
            {True: _("Yes"), False: _("No"), None: ""}[row.on_time],
            figures["activities"],
            *[per_area.get(a.code, 0) for a in areas],
            figures["own_participants"],
            figures["members"],
            percent(figures["participation_rate"]),
            figures["care_visits"],
            report.summary if report else "",
            report.problems if report else "",
            report.next_plan if report else "",
        ])  # fmt: skip
    span = first.strftime("%Y-%m") + ("" if first == last else "~" + last.strftime("%Y-%m"))
    return xlsx_response(
        filename="{}-{}.xlsx".format(_("monthly reports"), span),
        sheet_title=span,
        headers=headers,
        rows=body,
    )
