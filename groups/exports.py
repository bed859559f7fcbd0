"""Members to a spreadsheet, laid out so the file can be edited and imported again."""

from django.utils import timezone
from django.utils.translation import gettext as _

from unionhome.tabular import csv_response, xlsx_response

from .imports import COLUMNS

EXPORT_KEYS = [
    "employee_no",
    "name",
    "gender",
    "birth_date",
    "joined_union_on",
    "phone",
    "workshop",
    "group",
    "is_hardship",
    "is_model_worker",
    "is_retired",
]


def _row(member):
    return [
        member.employee_no,
        member.name,
        member.get_gender_display(),
        member.birth_date,
        member.joined_union_on,
        member.phone,
        member.group.workshop.name,
        member.group.name,
        "是" if member.is_hardship else "否",
        "是" if member.is_model_worker else "否",
        "是" if member.is_retired else "否",
        member.get_status_display(),
    ]


def member_export(queryset, fmt: str):
    """The members of `queryset` (already scoped and filtered) as .xlsx or .csv."""
    headers = [COLUMNS[key][0] for key in EXPORT_KEYS] + ["状态"]
    rows = (_row(m) for m in queryset.iterator(chunk_size=2000))
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = "{}-{}.{}".format(_("members"), stamp, fmt)
    if fmt == "csv":
        return csv_response(filename=filename, headers=headers, rows=rows)
    return xlsx_response(filename=filename, sheet_title=_("members"), headers=headers, rows=rows)


def member_import_template():
    """An empty workbook with the import's column titles and one example row."""
    headers = [COLUMNS[key][0] for key in EXPORT_KEYS]
    example = [
        "10001",
        "张三",
        "男",
        "1985-03-02",
        "2008-07-01",
        "13800000000",
        "锅炉车间",
        "运行一班",
        "否",
        "否",
        "否",
    ]
    return xlsx_response(
        filename=_("member import template") + ".xlsx",
        sheet_title=_("members"),
        headers=headers,
        rows=[example],
    )
