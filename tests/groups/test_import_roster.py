"""The member import takes a roster as union offices keep it: title rows, their own column
titles, merged cells, dates as they write them, identity numbers, the registration lists,
a mapping adjusted in the preview and saved; and it says nothing about members outside
the user's reach."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook

from groups.idnumbers import check_digit, validate_id_number
from groups.imports import (
    ImportConflict,
    import_mapping_save,
    member_import_apply,
    member_import_plan,
    member_import_read,
    parse_date,
)
from groups.models import (
    ImportHeader,
    ImportLimits,
    ImportMapping,
    Member,
    MemberOption,
    MemberStatus,
    PersonalAccess,
)
from tests.factories import MemberFactory, UserFactory, leader_user, workshop_user
from tests.spreadsheets import upload

ROSTER_HEADERS = [
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
    "备注",
]


def id_number(born: date, *, woman=False, area="370802", seq="12") -> str:
    first17 = f"{area}{born:%Y%m%d}{seq}{'2' if woman else '1'}"
    return first17 + check_digit(first17)


def roster_row(no, name="王芳", *, gender="男", born=date(1988, 3, 2), woman=False, **over):
    values = {
        "序号": 1,
        "工号": no,
        "姓名": name,
        "性别": gender,
        "民族": "汉族",
        "身份证号": id_number(born, woman=woman),
        "所在车间": "锅炉车间",
        "所在小组": "运行一班",
        "入会时间": "2014.06",
        "联系电话": "13912345678",
        "政治面貌": "群众",
        "学历": "大学本科",
        "备注": "",
    }
    values.update(over)
    return values


def roster_xlsx(rows, headers=ROSTER_HEADERS, *, title="2026年会员花名册", merges=()) -> bytes:
    """A workbook as a union office keeps it: a merged title row above the header."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_of(content, by, name="roster.xlsx", chosen=None):
    return member_import_plan(
        sheet=member_import_read(io.BytesIO(content), name), by=by, chosen=chosen
    )


def errors_of(plan):
    return [(e.row, e.column, e.message) for e in plan.errors]


def welfare_hq():
    return UserFactory(username="hq_welfare", handles_welfare=True)


class TestRoster:
    def test_a_roster_with_a_title_row_and_its_own_titles_is_read(self, org):
        hq = welfare_hq()
        plan = plan_of(roster_xlsx([roster_row("90001", woman=True, gender="女")]), hq)
        assert plan.ok, errors_of(plan)
        assert (plan.header_row, plan.title_rows) == (2, [1])
        [row] = plan.creates
        assert row.group == org.A1
        values = row.values
        assert values["ethnicity"].name == "汉族"
        assert values["political_status"].name == "群众"
        assert values["education"].name == "大学本科"
        assert values["phone"] == "13912345678"
        assert values["joined_union_on"] == date(2014, 6, 1)
        assert values["birth_date"] == date(1988, 3, 2)  # from the identity number
        assert plan.month_only == {"joined_union_on": 1}
        assert plan.from_id_number == {"birth_date": 1}

    def test_every_column_is_mapped_or_listed_as_not_imported(self, org):
        plan = plan_of(roster_xlsx([roster_row("90002")]), welfare_hq())
        assert {c.title for c in plan.not_imported} == {"序号", "备注"}
        assert all(c.field or c in plan.not_imported for c in plan.columns if c.title)
        assert {c.title: c.field for c in plan.columns if c.field} == {
            "工号": "employee_no",
            "姓名": "name",
            "性别": "gender",
            "民族": "ethnicity",
            "身份证号": "id_number",
            "所在车间": "workshop",
            "所在小组": "group",
            "入会时间": "joined_union_on",
            "联系电话": "phone",
            "政治面貌": "political_status",
            "学历": "education",
        }

    @pytest.mark.parametrize(
        ("title", "field"),
        [
            ("车间", "workshop"),
            ("车间工会", "workshop"),
            ("工作单位", "workshop"),
            ("班组", "group"),
            ("工会小组", "group"),
            ("手机", "phone"),
            ("手机号码", "phone"),
            ("身份证号码", "id_number"),
            ("公民身份号码", "id_number"),
            ("入会日期", "joined_union_on"),
            ("参加工作时间", "work_started_on"),
        ],
    )
    def test_titles_union_offices_use(self, org, hq, title, field):
        others = {"workshop": ["所在小组"], "group": ["所在车间"]}
        place = others.get(field, ["所在车间", "所在小组"])
        headers = ["工号", "姓名", "性别", title, *place]
        plan = plan_of(roster_xlsx([], headers), welfare_hq())
        assert {c.title: c.field for c in plan.columns}[title] == field

    def test_a_second_column_for_a_field_is_listed_with_the_one_that_won(self, org, hq):
        headers = ["工号", "姓名", "性别", "工作单位", "所在车间", "所在小组"]
        row = ["90003", "甲", "男", "某某煤矿", "锅炉车间", "运行一班"]
        plan = plan_of(roster_xlsx([row], headers), hq)
        assert plan.ok, errors_of(plan)
        [column] = plan.not_imported
        assert column.title == "工作单位" and "所在车间" in column.note

    def test_a_title_hq_adds_is_known_to_the_next_import(self, org, hq):
        headers = ["工号", "姓名", "性别", "车间", "班组", "职工身份"]
        content = roster_xlsx([["90004", "李明", "男", "锅炉车间", "运行一班", "合同制"]], headers)
        assert "职工身份" in {c.title for c in plan_of(content, hq).not_imported}
        ImportHeader.objects.create(word="职工 身份", field="employment_type")
        plan = plan_of(content, hq)
        assert plan.ok, errors_of(plan)
        assert plan.creates[0].values["employment_type"].name == "合同制"

    def test_several_title_rows_and_a_blank_row(self, org, hq):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["2026年会员花名册"])
        sheet.append(["填报单位：锅炉车间", None, None, "填报日期：2026.1"])
        sheet.append([])
        sheet.append(["工号", "姓名", "性别", "车间", "班组"])
        sheet.append(["90005", "李明", "男", "锅炉车间", "运行一班"])
        sheet.append(["", "无工号", "男", "锅炉车间", "运行一班"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        plan = plan_of(buffer.getvalue(), hq)
        assert (plan.header_row, plan.title_rows) == (4, [1, 2])
        assert [(row, column) for row, column, _m in errors_of(plan)] == [(6, "工号")]

    def test_a_merged_workshop_cell_names_the_workshop_of_each_row(self, org, hq):
        headers = ["工号", "姓名", "性别", "所在车间", "所在小组"]
        rows = [
            ["90006", "甲", "男", "锅炉车间", "运行一班"],
            ["90007", "乙", "女", None, "检修班"],
            ["90008", "丙", "男", None, "运行一班"],
            ["90009", "丁", "男", "汽机车间", "运行甲班"],
        ]
        content = roster_xlsx(rows, headers, merges=["D3:D5"])
        plan = plan_of(content, hq)
        assert plan.ok, errors_of(plan)
        assert [r.group for r in plan.creates] == [org.A1, org.A2, org.A1, org.B1]

    def test_a_merged_cell_is_not_copied_over_a_value_or_into_blank_rows(self, org, hq):
        headers = ["工号", "姓名", "性别", "所在车间", "所在小组"]
        rows = [["90010", "甲", "男", "锅炉车间", "运行一班"], [None, None, None, None, None]]
        content = roster_xlsx(rows, headers, merges=["D3:D4"])
        plan = plan_of(content, hq)
        assert plan.ok and plan.rows_read == 1

    def test_the_workshop_may_be_left_out_where_the_group_name_is_unique(self, org, hq):
        headers = ["工号", "姓名", "性别", "班组"]
        plan = plan_of(roster_xlsx([["90011", "甲", "男", "检修班"]], headers, title=""), hq)
        assert plan.ok and plan.creates[0].group == org.A2

    def test_a_csv_roster_with_a_title_line(self, org, hq):
        text = (
            "2026年会员花名册,,,,\n工号,姓名,性别,所在车间,所在小组\n"
            "90012,甲,男,锅炉车间,运行一班\n"
        )
        plan = plan_of(text.encode("gbk"), hq, name="roster.csv")
        assert plan.ok and plan.header_row == 2 and plan.creates[0].group == org.A1


class TestDates:
    @pytest.mark.parametrize(
        ("written", "day", "month_only"),
        [
            ("2014.06", date(2014, 6, 1), True),
            ("2014年6月", date(2014, 6, 1), True),
            ("201406", date(2014, 6, 1), True),
            (201406, date(2014, 6, 1), True),
            ("2014-06", date(2014, 6, 1), True),
            ("2014-06-01", date(2014, 6, 1), False),
            ("2014/6/1", date(2014, 6, 1), False),
            ("2014.6.1", date(2014, 6, 1), False),
            ("2014年6月1日", date(2014, 6, 1), False),
            ("20140601", date(2014, 6, 1), False),
            (20140601, date(2014, 6, 1), False),
            (41791, date(2014, 6, 1), False),  # an Excel day number
            ("41791", date(2014, 6, 1), False),
            (2014.06, date(2014, 6, 1), True),  # typed into a number cell
            (2014.12, date(2014, 12, 1), True),
            (date(2014, 6, 1), date(2014, 6, 1), False),
        ],
    )
    def test_every_form(self, written, day, month_only):
        assert parse_date(written) == (day, month_only)

    @pytest.mark.parametrize("written", ["2014.13", "2014-02-30", "六月", "14.06", "2014.1.", 12.5])
    def test_not_dates(self, written):
        with pytest.raises(ValueError):
            parse_date(written)

    def test_a_number_cell_2014_1_may_be_january_or_october(self, org, hq):
        headers = ["工号", "姓名", "性别", "车间", "班组", "入会时间"]
        content = roster_xlsx([["90020", "甲", "男", "锅炉车间", "运行一班", 2014.1]], headers)
        [(row, column, message)] = errors_of(plan_of(content, hq))
        assert (row, column) == (3, "入会时间")
        assert "2014-10" in message

    def test_the_preview_says_a_month_means_its_first_day(self, org, hq, login):
        content = roster_xlsx(
            [roster_row("90021"), roster_row("90022", name="赵丽", born=date(1990, 1, 1))]
        )
        page = login(welfare_hq()).post(
            reverse("groups:member_import"), {"file": upload(content, "花名册.xlsx")}
        )
        assert page.context["plan"].ok, errors_of(page.context["plan"])
        assert page.content.decode().count('class="month-only"') == 1


class TestIdentityNumbers:
    def test_a_valid_number_gives_the_birth_date_and_gender(self, org):
        row = roster_row("90030", gender="", born=date(1990, 5, 6), woman=True)
        plan = plan_of(roster_xlsx([row]), welfare_hq())
        assert plan.ok, errors_of(plan)
        values = plan.creates[0].values
        assert (values["birth_date"], values["gender"]) == (date(1990, 5, 6), "F")
        assert plan.from_id_number == {"birth_date": 1, "gender": 1}

    def test_a_wrong_check_digit_is_refused(self, org):
        number = id_number(date(1990, 5, 6))
        wrong = number[:17] + ("0" if number[17] != "0" else "1")
        plan = plan_of(roster_xlsx([roster_row("90031", 身份证号=wrong)]), welfare_hq())
        [(row, column, message)] = errors_of(plan)
        with pytest.raises(ValidationError) as refused:
            validate_id_number(wrong)
        assert (row, column, message) == (3, "身份证号", refused.value.messages[0])
        assert refused.value.code == "check_digit"

    def test_a_birth_date_the_number_contradicts_names_both(self, org):
        headers = [*ROSTER_HEADERS, "出生日期"]
        row = roster_row("90032", born=date(1990, 5, 6), 出生日期="1990-06-05")
        [(_row, column, message)] = errors_of(plan_of(roster_xlsx([row], headers), welfare_hq()))
        assert column == "出生日期"
        assert "1990" in message and "5" in message and "6" in message
        assert message.count("1990") == 2

    def test_a_gender_the_number_contradicts_is_refused(self, org):
        row = roster_row("90033", gender="女", woman=False)
        [(_row, column, _message)] = errors_of(plan_of(roster_xlsx([row]), welfare_hq()))
        assert column == "性别"

    def test_an_old_15_digit_number_is_converted(self, org):
        row = roster_row("90034", 身份证号="370802880302121")
        hq = welfare_hq()
        plan = plan_of(roster_xlsx([row]), hq)
        assert plan.ok, errors_of(plan)
        member_import_apply(plan=plan, by=hq)
        member = Member.objects.get(employee_no="90034")
        assert member.id_number == id_number(date(1988, 3, 2), seq="12")
        assert len(member.id_number) == 18
        assert PersonalAccess.objects.filter(member=member, action="change").count() == 1

    def test_a_number_in_the_file_twice(self, org):
        rows = [roster_row("90035"), roster_row("90036")]
        [(row, column, message)] = errors_of(plan_of(roster_xlsx(rows), welfare_hq()))
        assert (row, column) == (4, "身份证号") and "3" in message

    def test_a_group_leader_cannot_enter_identity_numbers(self, org, leader_a1):
        plan = plan_of(roster_xlsx([roster_row("90037")]), leader_a1)
        column = next(c for c in plan.columns if c.title == "身份证号")
        assert column.field == "" and column in plan.not_imported
        assert plan.ok, errors_of(plan)
        assert "id_number" not in plan.creates[0].values


class TestLists:
    def test_other_ways_of_writing_an_entry(self, org, hq):
        row = roster_row("90040", 民族="汉", 政治面貌="党员", 学历="本科")
        plan = plan_of(roster_xlsx([row]), hq)
        assert plan.ok, errors_of(plan)
        values = plan.creates[0].values
        names = [values[k].name for k in ("ethnicity", "political_status", "education")]
        assert names == ["汉族", "中共党员", "大学本科"]

    def test_an_unknown_entry_names_the_allowed_ones(self, org, hq):
        [(_row, column, message)] = errors_of(
            plan_of(roster_xlsx([roster_row("90041", 学历="幼儿园")]), hq)
        )
        assert column == "学历"
        assert "幼儿园" in message and "大学本科" in message and "研究生" in message

    def test_a_retired_entry_is_not_taken(self, org, hq):
        MemberOption.objects.filter(name="大学专科").update(is_active=False)
        assert not plan_of(roster_xlsx([roster_row("90042", 学历="大专")]), hq).ok


class TestMapping:
    def test_a_chosen_mapping_is_used_and_can_be_saved_and_found_again(self, org, workshop_a):
        headers = ["工号", "姓名", "性别", "车间", "班组", "电话号"]
        content = roster_xlsx(
            [["90050", "甲", "男", "锅炉车间", "运行一班", "13900001111"]], headers
        )
        first = plan_of(content, workshop_a)
        assert "电话号" in {c.title for c in first.not_imported}
        chosen = [c.field for c in first.columns]
        chosen[5] = "phone"
        second = plan_of(content, workshop_a, chosen=chosen)
        assert second.mapping_source == "chosen"
        assert second.creates[0].values["phone"] == "13900001111"
        import_mapping_save(by=workshop_a, headers=headers, fields=second.mapping)

        again = plan_of(content, workshop_a)
        assert again.mapping_source == "saved" and again.saved_mapping is not None
        assert again.creates[0].values["phone"] == "13900001111"
        # Another user of another workshop union does not get it.
        assert plan_of(content, workshop_user(org.b)).mapping_source == "titles"

    def test_a_mapping_shared_with_a_workshop_union_reaches_its_group_leaders(
        self, org, workshop_a, leader_a1
    ):
        headers = ["工号", "姓名", "性别", "车间", "班组", "电话号"]
        content = roster_xlsx([["90051", "甲", "男", "锅炉车间", "运行一班", ""]], headers)
        fields = ["employee_no", "name", "gender", "workshop", "group", "phone"]
        import_mapping_save(by=workshop_a, headers=headers, fields=fields, workshop=org.a)
        assert plan_of(content, leader_a1).mapping_source == "saved"
        assert plan_of(content, leader_user(org.B1)).mapping_source == "titles"
        with pytest.raises(PermissionDenied):
            import_mapping_save(by=leader_a1, headers=headers, fields=fields, workshop=org.a)

    def test_the_preview_adjusts_saves_and_reuses_the_mapping(self, org, workshop_a, login):
        client = login(workshop_a)
        headers = ["工号", "姓名", "性别", "车间", "班组", "电话号"]
        content = roster_xlsx(
            [["90052", "甲", "男", "锅炉车间", "运行一班", "13900002222"]], headers
        )
        page = client.post(reverse("groups:member_import"), {"file": upload(content, "a.xlsx")})
        assert 'id="import-not-imported"' in page.content.decode()
        form = page.context["mapping_form"]
        data = {name: field.initial for name, field in form.fields.items() if name != "save"}
        data.update({"col_5": "phone", "save": "me", "recheck": "1"})
        rechecked = client.post(reverse("groups:member_import"), data)
        assert rechecked.context["plan"].creates[0].values["phone"] == "13900002222"
        assert ImportMapping.objects.filter(user=workshop_a).count() == 1

        again = client.post(reverse("groups:member_import"), {"file": upload(content, "b.xlsx")})
        assert again.context["plan"].mapping_source == "saved"
        assert 'id="import-saved-mapping"' in again.content.decode()
        client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        assert Member.objects.get(employee_no="90052").phone == "13900002222"

    def test_one_field_for_two_columns_is_refused_next_to_the_select(self, org, hq, login):
        client = login(hq)
        headers = ["工号", "姓名", "性别", "车间", "班组", "电话号"]
        content = roster_xlsx([["90053", "甲", "男", "锅炉车间", "运行一班", ""]], headers)
        client.post(reverse("groups:member_import"), {"file": upload(content, "a.xlsx")})
        data = {
            "col_0": "employee_no",
            "col_1": "name",
            "col_2": "gender",
            "col_3": "workshop",
            "col_4": "group",
            "col_5": "name",
            "recheck": "1",
        }
        page = client.post(reverse("groups:member_import"), data)
        assert "col_5" in page.context["mapping_form"].errors


def bomb(rows=300_000) -> bytes:
    """A small .xlsx file whose one sheet unpacks to `rows` rows of twenty cells (cells
    without their optional positions, so that the rows are alike and pack tightly)."""
    row = "<row>" + "<c><v>1</v></c>" * 20 + "</row>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            block = (row * 1000).encode()
            for _ in range(rows // 1000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def thin_bomb(rows=300_000) -> bytes:
    """A complete small workbook whose sheet holds `rows` rows of one cell: it unpacks to
    less than the size limit, so the row count must stop it."""
    ns = 'xmlns="http://schemas.openxmlformats.org/'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": f'<Types {ns}package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships {ns}package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns}spreadsheetml/2006/main" xmlns:r="{rel}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships {ns}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet {ns}spreadsheetml/2006/main"><sheetData>'.encode())
            block = b"<row><c><v>1</v></c></row>" * 1000
            for _ in range(rows // 1000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


class TestLimits:
    def test_a_sheet_of_300000_small_rows_is_refused_before_a_cell_is_parsed(
        self, org, hq, login, monkeypatch
    ):
        from openpyxl.worksheet._reader import WorkSheetParser

        content = thin_bomb()
        assert len(content) < 1024 * 1024

        def must_not_parse(*args, **kwargs):
            raise AssertionError("the sheet's cells were parsed")

        monkeypatch.setattr(WorkSheetParser, "parse", must_not_parse)
        page = login(hq).post(
            reverse("groups:member_import"), {"file": upload(content, "members.xlsx")}
        )
        assert len(page.content) < 30_000
        [message] = page.context["form"].errors["file"]
        assert "20000" in message

    def test_a_workbook_that_unpacks_to_300000_rows_is_refused_before_it_is_read(
        self, org, hq, login, monkeypatch
    ):
        content = bomb()
        assert len(content) < 1024 * 1024

        def must_not_open(*args, **kwargs):
            raise AssertionError("the workbook was opened")

        monkeypatch.setattr("unionhome.tabular.load_workbook", must_not_open)
        page = login(hq).post(
            reverse("groups:member_import"), {"file": upload(content, "members.xlsx")}
        )
        assert page.status_code == 200
        assert len(page.content) < 30_000
        [message] = page.context["form"].errors["file"]
        assert "MB" in message
        assert not Member.objects.filter(employee_no="1").exists()

    def test_more_rows_than_the_cap_are_refused_with_the_limit(self, org, hq, login):
        ImportLimits.objects.create(max_rows=3)
        rows = [roster_row(f"9006{i}", 身份证号="") for i in range(4)]
        page = login(hq).post(
            reverse("groups:member_import"), {"file": upload(roster_xlsx(rows), "m.xlsx")}
        )
        [message] = page.context["form"].errors["file"]
        assert "3" in message
        assert page.context["plan"] is None

    def test_the_cap_itself_is_taken(self, org, hq):
        ImportLimits.objects.create(max_rows=3)
        rows = [roster_row(f"9007{i}", 身份证号="") for i in range(3)]
        assert len(plan_of(roster_xlsx(rows), hq).creates) == 3

    def test_errors_are_listed_up_to_the_limit_with_their_total(self, org, hq, login):
        ImportLimits.objects.create(max_errors_listed=2)
        rows = [roster_row(f"9008{i}", 身份证号="", 联系电话="123") for i in range(5)]
        page = login(hq).post(
            reverse("groups:member_import"), {"file": upload(roster_xlsx(rows), "m.xlsx")}
        )
        plan = page.context["plan"]
        assert (len(plan.errors), plan.errors.total) == (2, 5)
        assert [e.row for e in plan.errors] == [3, 4]
        assert 'id="import-errors-cut"' in page.content.decode()


class TestNoEnumeration:
    def test_a_number_outside_the_reach_gets_the_same_words_whoever_holds_it(self, org, workshop_a):
        elsewhere = org.members["B1"][0]
        left = MemberFactory(group=org.B2, employee_no="77001", name="离会者")
        Member.objects.filter(pk=left.pk).update(status=MemberStatus.LEFT, left_on=date(2020, 1, 1))
        headers = ["工号", "姓名", "性别", "车间", "班组"]
        rows = [
            [elsewhere.employee_no, "某人", "男", "锅炉车间", "运行一班"],
            ["77001", "某人", "男", "锅炉车间", "运行一班"],
        ]
        messages = [m for _r, _c, m in errors_of(plan_of(roster_xlsx(rows, headers), workshop_a))]
        assert len(messages) == 2
        assert messages[0].replace(elsewhere.employee_no, "N") == messages[1].replace("77001", "N")
        for text in messages:
            for secret in (elsewhere.name, "离会者", "汽机车间", "运行甲班", "点检班", "left"):
                assert secret not in text

    def test_an_identity_number_held_outside_the_reach_names_nobody(self, org):
        holder = org.members["B1"][0]
        Member.objects.filter(pk=holder.pk).update(id_number=id_number(date(1985, 6, 15)))
        chair = workshop_user(org.a)
        row = roster_row("90090", born=date(1985, 6, 15))
        [(_row, column, message)] = errors_of(plan_of(roster_xlsx([row]), chair))
        assert column == "身份证号"
        assert holder.name not in message and holder.employee_no not in message

    def test_inside_the_reach_the_holder_is_named(self, org):
        holder = org.members["A2"][0]
        Member.objects.filter(pk=holder.pk).update(id_number=id_number(date(1985, 6, 15)))
        row = roster_row("90091", born=date(1985, 6, 15))
        [(_row, _column, message)] = errors_of(plan_of(roster_xlsx([row]), welfare_hq()))
        assert holder.name in message


class TestConcurrentImports:
    def test_a_number_enrolled_meanwhile_stops_the_whole_import(self, org, hq):
        rows = [roster_row("90100", 身份证号=""), roster_row("90101", 身份证号="")]
        plan = plan_of(roster_xlsx(rows), hq)
        assert plan.ok, errors_of(plan)
        MemberFactory(group=org.A2, employee_no="90101")  # someone else's import, meanwhile
        with pytest.raises(ImportConflict) as raised:
            member_import_apply(plan=plan, by=hq)
        assert raised.value.numbers == ["90101"]
        assert "90101" in str(raised.value)
        assert not Member.objects.filter(employee_no="90100").exists()

    def test_the_page_says_so_and_shows_the_file_checked_again(self, org, hq, login, monkeypatch):
        from groups import import_views

        client = login(hq)
        rows = [roster_row("90102", 身份证号="")]
        client.post(reverse("groups:member_import"), {"file": upload(roster_xlsx(rows), "a.xlsx")})
        real_apply = import_views.member_import_apply

        def someone_else_first(*, plan, by, address=None):
            MemberFactory(group=org.A2, employee_no="90102")
            return real_apply(plan=plan, by=by, address=address)

        monkeypatch.setattr(import_views, "member_import_apply", someone_else_first)
        page = client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        assert page.status_code == 200
        text = page.content.decode()
        assert "90102" in text
        assert Member.objects.get(employee_no="90102").group == org.A2
