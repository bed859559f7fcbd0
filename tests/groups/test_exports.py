"""Member exports: real workbooks and CSV that Chinese Excel opens, nothing that runs."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from groups.imports import FIELD_ORDER, TITLES
from groups.models import MemberOption, PersonalAccess
from tests.factories import MemberFactory, UserFactory, leader_user


def test_xlsx_export_holds_the_filtered_list(org, hq, login):
    response = login(hq).get(reverse("groups:member_export", args=["xlsx"]), {"group": org.B1.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("工号", "姓名", "性别")
    assert sorted(r[0] for r in rows[1:]) == sorted(m.employee_no for m in org.members["B1"])
    workshop, group = rows[0].index("车间工会"), rows[0].index("工会小组")
    assert (rows[1][workshop], rows[1][group]) == ("汽机车间", "运行甲班")


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


def _sheet(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _welfare_hq():
    return UserFactory(username="hq_welfare", handles_welfare=True)


def test_the_export_has_every_registration_field_in_its_order(org, login):
    member = org.members["A1"][0]
    member.ethnicity = MemberOption.objects.get(option_list="ethnicity", name="回族")
    member.education = MemberOption.objects.get(option_list="education", name="大学本科")
    member.id_number = "11010519491231002X"
    member.birth_date, member.gender = None, ""
    member.hukou_type, member.is_worker_representative = "rural", True
    member.full_clean()
    member.save()
    rows = _sheet(login(_welfare_hq()).get(reverse("groups:member_export", args=["xlsx"])))
    assert list(rows[0]) == [TITLES[key] for key in FIELD_ORDER] + ["状态"]
    row = dict(zip(rows[0], next(r for r in rows if r[0] == member.employee_no), strict=True))
    assert (row["民族"], row["学历"], row["身份证号"], row["户籍类型"]) == (
        "回族",
        "大学本科",
        "11010519491231002X",
        "农业",
    )
    assert (row["性别"], row["职工代表"], row["政治面貌"]) == ("女", "是", None)


def test_identity_numbers_are_exported_only_to_those_entitled_and_logged(org, hq, login):
    url = reverse("groups:member_export", args=["xlsx"])
    assert "身份证号" not in _sheet(login(hq).get(url))[0]  # HQ outside welfare work
    assert "户籍类型" not in _sheet(login(leader_user(org.A1)).get(url))[0]
    assert not PersonalAccess.objects.exists()

    staff = _welfare_hq()
    assert "身份证号" in _sheet(login(staff).get(url))[0]
    [entry] = PersonalAccess.objects.all()
    assert (entry.user, entry.action) == (staff, PersonalAccess.Action.EXPORT)


def test_identity_numbers_are_filled_on_the_rows_the_user_may_see(org, login):
    for key in ("A1", "B1"):
        member = org.members[key][0]
        member.id_number = "11010519491231002X" if key == "A1" else "110105194912310038"
        member.birth_date, member.gender = None, ""
        member.full_clean()
        member.save()
    # The chair of workshop union A who also leads group B1 sees B1's members, not their
    # identity numbers.
    chair = UserFactory(
        role=Role.WORKSHOP, workshop=org.a, roles=[(Role.GROUP_LEADER, None, org.B1)]
    )
    rows = _sheet(login(chair).get(reverse("groups:member_export", args=["xlsx"])))
    column = rows[0].index("身份证号")
    by_no = {r[0]: r[column] for r in rows[1:]}
    assert by_no[org.members["A1"][0].employee_no] == "11010519491231002X"
    assert by_no[org.members["B1"][0].employee_no] is None


def test_the_export_runs_the_same_queries_for_few_and_many_members(org, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(_welfare_hq())
    url = reverse("groups:member_export", args=["xlsx"])
    client.get(url)  # the session and the user's roles, loaded once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    few = queries()
    option = MemberOption.objects.get(option_list="ethnicity", name="汉族")
    MemberFactory.create_batch(10, group=org.B2, ethnicity=option)
    assert queries() == few


def test_the_template_has_the_columns_the_user_may_fill(org, hq, login):
    url = reverse("groups:member_import_template")
    leader = _sheet(login(leader_user(org.A1)).get(url))
    assert "身份证号" not in leader[0] and leader[0][:3] == ("工号", "姓名", "性别")
    staff = _sheet(login(_welfare_hq()).get(url))
    assert list(staff[0]) == [TITLES[key] for key in FIELD_ORDER]
