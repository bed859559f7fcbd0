"""Members to a spreadsheet, laid out so the file can be edited and imported again: the
registration's fields in its order, then the workshop union and the group."""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import allows
from unionhome.tabular import csv_response, xlsx_response

from .imports import OPTION_FIELDS, TITLES, export_cell, export_fields
from .models import PERSONAL
from .services import PERSONAL_FIELDS

STATUS_TITLE = "状态"


def member_export_shows_personal(user) -> bool:
    """Whether the export holds identity numbers and 户籍 (and is logged as such)."""
    return any(f in PERSONAL_FIELDS for f in export_fields(user))


def member_export_filename(fmt: str) -> str:
    stamp = timezone.localdate().strftime("%Y%m%d")
    return "{}-{}.{}".format(_("members"), stamp, fmt)


def member_export(queryset, fmt: str, *, user, progress=None):
    """The members of `queryset` (already scoped and filtered) as .xlsx or .csv. The
    identity number and 户籍 columns are there for a user the PERSONAL rule lets see them
    somewhere, and filled on the rows it lets them see (decided from the loaded row).
    `progress(done, total)`: told after each row (a background job's progress)."""
    keys = export_fields(user)
    headers = [TITLES[key] for key in keys] + [STATUS_TITLE]
    queryset = queryset.select_related("group__workshop", *OPTION_FIELDS)
    total = queryset.count() if progress is not None else 0

    def rows():
        for done, member in enumerate(queryset.iterator(chunk_size=2000), start=1):
            personal = allows(user, PERSONAL, member)
            yield [export_cell(member, key, personal=personal) for key in keys] + [
                member.get_status_display()
            ]
            if progress is not None:
                progress(done, total)

    filename = member_export_filename(fmt)
    if fmt == "csv":
        return csv_response(filename=filename, headers=headers, rows=rows())
    return xlsx_response(filename=filename, sheet_title=_("members"), headers=headers, rows=rows())


# One example row; the identity number is the standard's own example (GB 11643).
EXAMPLE = {
    "employee_no": "10001",
    "name": "张三",
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": "1985-03-02",
    "id_number": "",
    "political_status": "群众",
    "education": "大学本科",
    "hukou_type": "城镇",
    "employment_type": "合同制",
    "work_started_on": "2007-07-01",
    "joined_union_on": "2008-07-01",
    "card_no": "",
    "phone": "13800000000",
    "position": "运行值班员",
    "skill_grade": "高级工",
    "model_worker_level": "",
    "is_worker_representative": "否",
    "is_hardship": "否",
    "is_model_worker": "否",
    "is_retired": "否",
    "workshop": "锅炉车间",
    "group": "运行一班",
}


def member_import_template(user):
    """An empty workbook with the import's column titles and one example row."""
    keys = export_fields(user)
    return xlsx_response(
        filename=_("member import template") + ".xlsx",
        sheet_title=_("members"),
        headers=[TITLES[key] for key in keys],
        rows=[[EXAMPLE[key] for key in keys]],
    )
