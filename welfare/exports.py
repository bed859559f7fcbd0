"""Workbooks for reporting upward to the higher union (上报): the year's assistance cases
and the hardship archive, laid out as the assistance system's ledgers are."""

from collections import defaultdict
from decimal import Decimal
from statistics import median

from django.utils import timezone
from django.utils.translation import gettext as _

from unionhome.tabular import xlsx_workbook_response

from .models import EXPORT, CaseType, HardshipRecord, HardshipStatus, WelfareCase


def cases_export(*, user, year: int):
    """The year's cases the user may export."""
    cases = list(
        WelfareCase.objects.restrict(user, EXPORT)
        .filter(applied_on__year=year)
        .select_related("member__group__workshop", "case_type", "fund")
        .order_by("case_type__sort_order", "applied_on", "pk")
    )
    detail = [
        [
            index,
            case.number,
            case.member.name,
            case.member.get_gender_display(),
            case.member.employee_no,
            case.member.group.workshop.name,
            case.member.group.name,
            case.case_type.name,
            case.applied_on,
            case.amount_requested,
            case.amount_approved,
            case.amount_paid,
            case.paid_on,
            case.days_to_payment,
            case.fund.name if case.fund_id else "",
            case.get_status_display(),
        ]
        for index, case in enumerate(cases, start=1)
    ]
    totals = defaultdict(
        lambda: {
            "count": 0,
            "requested": Decimal(0),
            "approved": Decimal(0),
            "paid": Decimal(0),
            "days": [],
        }
    )
    for case in cases:
        row = totals[case.case_type_id]
        row["count"] += 1
        row["requested"] += case.amount_requested
        row["approved"] += case.amount_approved or 0
        row["paid"] += case.amount_paid or 0
        if case.days_to_payment is not None:
            row["days"].append(case.days_to_payment)
    summary = []
    for case_type in CaseType.objects.all():
        row = totals.get(case_type.pk)
        if row is None:
            continue
        days = row["days"]
        summary.append(
            [
                case_type.name,
                row["count"],
                row["requested"],
                row["approved"],
                row["paid"],
                len(days),
                median(days) if days else None,
            ]
        )
    summary.append(
        [
            _("Total"),
            sum(r[1] for r in summary),
            sum((r[2] for r in summary), Decimal(0)),
            sum((r[3] for r in summary), Decimal(0)),
            sum((r[4] for r in summary), Decimal(0)),
            sum(r[5] for r in summary),
            None,
        ]
    )
    return xlsx_workbook_response(
        filename=_("assistance cases %(year)s.xlsx") % {"year": year},
        sheets=[
            (
                _("Summary by type"),
                [
                    _("Assistance type"),
                    _("Cases"),
                    _("Requested (yuan)"),
                    _("Approved (yuan)"),
                    _("Paid (yuan)"),
                    _("Cases paid"),
                    _("Median days to payment"),
                ],
                summary,
            ),
            (
                _("Cases"),
                [
                    _("No."),
                    _("Case no."),
                    _("Name"),
                    _("Gender"),
                    _("Employee no."),
                    _("Workshop union"),
                    _("Union group"),
                    _("Assistance type"),
                    _("Applied on"),
                    _("Requested (yuan)"),
                    _("Approved (yuan)"),
                    _("Paid (yuan)"),
                    _("Paid on"),
                    _("Days to payment"),
                    _("Fund source"),
                    _("Status"),
                ],
                detail,
            ),
        ],
    )


def archive_export(*, user):
    """The archive's records the user may export."""
    records = (
        HardshipRecord.objects.restrict(user, EXPORT)
        .select_related("member__group__workshop", "hardship_class")
        .order_by("status", "member__group__workshop__sort_order", "member__employee_no")
    )
    rows = [
        [
            index,
            record.member.name,
            record.member.get_gender_display(),
            record.id_number,
            record.member.employee_no,
            record.member.group.workshop.name,
            record.member.group.name,
            record.hardship_class.name,
            "、".join(record.cause_labels()),
            record.household_size,
            record.household_income,
            record.income_per_person,
            record.household_situation,
            record.opened_on,
            record.last_reviewed_on,
            record.next_review_on,
            record.get_status_display()
            + (f"（{record.exit_reason}）" if record.status == HardshipStatus.EXITED else ""),
        ]
        for index, record in enumerate(records, start=1)
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_workbook_response(
        filename=_("hardship archive %(date)s.xlsx") % {"date": stamp},
        sheets=[
            (
                _("Hardship archive"),
                [
                    _("No."),
                    _("Name"),
                    _("Gender"),
                    _("Identity number"),
                    _("Employee no."),
                    _("Workshop union"),
                    _("Union group"),
                    _("Hardship class"),
                    _("Causes"),
                    _("People in the household"),
                    _("Household income per month (yuan)"),
                    _("Income per person (yuan)"),
                    _("Household situation"),
                    _("Entered the archive on"),
                    _("Last reviewed on"),
                    _("Next review due"),
                    _("Status"),
                ],
                rows,
            )
        ],
    )
