"""The annual summary as a workbook: the same figures as the page and the dashboard."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from unionhome.tabular import xlsx_workbook_response
from unionhome.templatetags.unionhome import percent

from .figures import AnnualSummary


def summary_workbook(data: AnnualSummary):
    o = data.overview
    key_figures = [
        [_("Union groups"), o.tree.group_count],
        [_("Small homes accepted"), o.tree.home_count],
        [_("Small homes being built"), o.tree.building_count],
        [_("Small home coverage"), percent(o.coverage)],
        [_("Members"), o.members],
        [_("Members who took part in activities"), o.participants],
        [_("Participation rate"), percent(o.participation)],
        [_("Activities"), o.activities.total],
        [_("Care visits"), o.welfare.visits_total],
    ]
    if o.welfare.paid_total is not None:
        key_figures.append([_("Assistance paid (yuan)"), o.welfare.paid_total])
    if data.assessment.period is not None:
        overall = data.assessment.overall
        key_figures += [
            [_("Assessment period"), data.assessment.period.name],
            [_("Qualified rate"), percent(overall.qualified_rate)],
            [_("Advanced rate"), percent(overall.advanced_rate)],
            [_("Model rate"), percent(overall.model_rate)],
        ]
    groups = [
        [
            g.workshop.name,
            g.name,
            g.member_count,
            g.get_home_stage_display(),
            g.get_home_level_display(),
            g.home_started_on,
            g.home_accepted_on,
            _level(data, g.pk),
        ]
        for g in data.groups
    ]
    areas = [[area.name, count] for area, count in o.activities.areas]
    months = [[month.strftime("%Y-%m"), count] for month, count in o.activities.months]
    workshops = [
        [
            row.workshop.name,
            row.groups,
            row.homes,
            percent(row.coverage),
            row.members,
            row.participants,
            percent(row.participation),
            row.activities,
            row.visits,
        ]
        for row in o.rows
    ]
    sheets = [
        (_("Key figures"), [_("Figure"), _("Value")], key_figures),
        (
            pgettext("workbook sheet", "Groups"),
            [
                _("Workshop union"),
                _("Union group"),
                _("Members"),
                pgettext("small home", "Stage"),
                pgettext("small home title", "Title"),
                _("Creation started on"),
                _("Accepted on"),
                pgettext("assessment", "Level"),
            ],
            groups,
        ),
        (_("Activities by area"), [_("Content area"), _("Activities")], areas),
        (_("Activities by month"), [_("Month"), _("Activities")], months),
        (
            _("By workshop union"),
            [
                _("Workshop union"),
                _("Union groups"),
                _("Small homes accepted"),
                _("Small home coverage"),
                _("Members"),
                _("Members who took part in activities"),
                _("Participation rate"),
                _("Activities"),
                _("Care visits"),
            ],
            workshops,
        ),
    ]
    if o.welfare.paid_total is not None:
        sheets.append(
            (
                _("Money paid by item"),
                [_("Assistance type or campaign"), _("Payments"), _("Paid (yuan)")],
                [
                    *(list(row) for row in o.welfare.cases_by_type),
                    [_("Total"), None, o.welfare.paid_total],
                ],
            )
        )
    if data.assessment.period is not None:
        sheets.append(
            (
                _("Top ten"),
                [_("Union group"), _("Total score"), pgettext("assessment", "Level")],
                [
                    [f"{r.group.workshop.name} · {r.group.name}", r.total, r.get_level_display()]
                    for r in data.top_ten
                ],
            )
        )
    if data.titles:
        sheets.append(
            (
                _("Titles named"),
                [
                    _("Union group"),
                    pgettext("small home title", "Title"),
                    _("Document no. (文号)"),
                    _("Certificate no."),
                    _("Named on"),
                ],
                [
                    [
                        f"{t.group.workshop.name} · {t.group.name}",
                        t.get_level_display(),
                        t.document.document_no if t.document else "",
                        t.certificate_no,
                        t.named_on,
                    ]
                    for t in data.titles
                ],
            )
        )
    return xlsx_workbook_response(
        filename=_("small home work summary %(year)s %(scope)s.xlsx")
        % {"year": data.year, "scope": data.scope_name},
        sheets=sheets,
    )


def _level(data, group_id):
    result = data.assessment.by_group.get(group_id)
    return result.get_level_display() if result else ""
