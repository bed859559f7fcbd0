"""Member exports: real workbooks and CSV that Chinese Excel opens, nothing that runs."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import MemberFactory


def test_xlsx_export_holds_the_filtered_list(org, hq, login):
    response = login(hq).get(reverse("groups:member_export", args=["xlsx"]), {"group": org.B1.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("工号", "姓名", "性别")
    assert sorted(r[0] for r in rows[1:]) == sorted(m.employee_no for m in org.members["B1"])
    assert rows[1][6:8] == ("汽机车间", "运行甲班")


def test_csv_export_starts_with_a_bom_for_excel(org, hq, login):
    response = login(hq).get(reverse("groups:member_export", args=["csv"]))
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    assert "锅炉车间" in content.decode("utf-8-sig")


def test_cells_that_would_run_as_formulas_are_quoted(org, hq, login):
    MemberFactory(group=org.A1, name='=HYPERLINK("http://evil")', employee_no="66001")
    client = login(hq)
    sheet = load_workbook(
        io.BytesIO(
            client.get(reverse("groups:member_export", args=["xlsx"]), {"q": "66001"}).content
        )
    ).active
    assert sheet["B2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["B2"].data_type == "s"
    csv_text = b"".join(
        client.get(reverse("groups:member_export", args=["csv"]), {"q": "66001"}).streaming_content
    ).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text


def test_unknown_export_format_is_not_found(org, hq, login):
    assert login(hq).get("/members/export.pdf").status_code == 404


def test_control_characters_in_a_name_do_not_break_the_workbook(org, hq, login):
    MemberFactory(group=org.A1, name="张\x1f三", employee_no="66002")
    response = login(hq).get(reverse("groups:member_export", args=["xlsx"]), {"q": "66002"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == "张三"
