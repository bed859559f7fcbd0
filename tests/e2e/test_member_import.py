"""HQ imports a roster as a union office keeps it, on a phone: a title row, the office's own
column titles, a 车间 merged down its rows, dates as 2014.06, identity numbers, phones; one
column mapped by hand in the preview; the member page then shows every field."""

import io
from datetime import date

from openpyxl import Workbook

from groups.idnumbers import check_digit
from groups.models import Member
from tests.factories import UserFactory

HEADERS = [
    "序号",
    "工号",
    "姓名",
    "性别",
    "民族",
    "身份证号",
    "所在车间",
    "所在小组",
    "入会时间",
    "联系电话",
    "政治面貌",
    "学历",
    "岗位名称",
    "备注",
]


def id_number(born: date, gender_digit: str) -> str:
    first17 = f"370802{born:%Y%m%d}12{gender_digit}"
    return first17 + check_digit(first17)


def roster(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2026年会员花名册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(HEADERS)
    sheet.append(
        [
            1,
            "96001",
            "王秀兰",
            "女",
            "汉族",
            id_number(date(1986, 9, 12), "4"),
            "锅炉车间",
            "运行一班",
            "2014.06",
            "13905371234",
            "中共党员",
            "大学本科",
            "锅炉运行值班员",
            "",
        ]
    )
    sheet.append(
        [
            2,
            "96002",
            "马建国",
            "男",
            "回族",
            id_number(date(1979, 1, 30), "3"),
            None,  # the 车间 cell above is merged down this row
            "检修班",
            "2009年3月",
            "13905375678",
            "群众",
            "大专",
            "钳工",
            "转岗",
        ]
    )
    sheet.merge_cells("G3:G4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_hq_imports_a_union_office_roster(page, log_in, org, tmp_path):
    UserFactory(username="hq_welfare", handles_welfare=True)
    log_in("hq_welfare")
    page.goto("/members/import/")
    page.set_input_files("#id_file", str(roster(tmp_path / "2026年会员花名册.xlsx")))
    page.locator("form[enctype] button[type=submit]").click()

    page.wait_for_selector("#import-mapping")
    # 序号 and 备注 are listed as not imported, and so is 岗位名称 until it is mapped.
    not_imported = page.locator("#import-not-imported").inner_text()
    for title in ("序号", "备注", "岗位名称"):
        assert title in not_imported
    position_column = HEADERS.index("岗位名称")
    page.select_option(f"#id_col_{position_column}", "position")
    page.locator("button[name=recheck]").click()

    page.wait_for_selector("#import-preview")
    assert "岗位名称" not in page.locator("#import-not-imported").inner_text()
    assert page.locator(".month-only").count() == 1  # 2014.06 and 2009年3月: the 1st
    page.locator("button[name=confirm]").click()
    page.wait_for_url("**/members/")

    first = Member.objects.select_related("group").get(employee_no="96001")
    second = Member.objects.select_related("group").get(employee_no="96002")
    assert (second.group, second.education.name, second.position) == (org.A2, "大学专科", "钳工")
    page.goto(f"/members/{first.pk}/")
    text = page.locator("main").inner_text()
    for shown in (
        "王秀兰",
        "汉族",
        id_number(date(1986, 9, 12), "4"),
        "1986",
        "中共党员",
        "大学本科",
        "锅炉运行值班员",
        "13905371234",
        "2014",
        "运行一班",
    ):
        assert shown in text, shown
    assert first.joined_union_on == date(2014, 6, 1)
    assert (first.birth_date, first.gender) == (date(1986, 9, 12), "F")
