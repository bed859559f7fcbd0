"""Member import: all or nothing, every bad row named with its row number and reason."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.imports import (
    member_import_apply,
    member_import_plan,
    member_import_read,
    member_import_run,
)
from groups.models import GroupMembership, Member
from tests.spreadsheets import HEADERS, csv_bytes, member_row, xlsx_bytes
from unionhome.tabular import TableReadError


def read_table(handle, name):
    return member_import_read(handle, name)


def plan_for(content: bytes, name: str, by, chosen=None):
    sheet = member_import_read(io.BytesIO(content), name)
    return member_import_plan(sheet=sheet, by=by, chosen=chosen)


def errors_of(plan):
    return [(e.row, e.column, e.message) for e in plan.errors]


class TestReadingFiles:
    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
    def test_csv_in_utf8_with_or_without_bom_and_gbk(self, org, hq, encoding):
        content = csv_bytes([member_row("80001", name="钱七")], encoding=encoding)
        plan = plan_for(content, "members.csv", hq)
        assert plan.ok, errors_of(plan)
        assert [row.values["name"] for row in plan.creates] == ["钱七"]

    def test_xlsx_with_date_cells_and_numeric_employee_numbers(self, org, hq):
        content = xlsx_bytes([member_row(80002, birth=date(1990, 5, 6))])
        plan = plan_for(content, "members.xlsx", hq)
        assert plan.ok, errors_of(plan)
        [row] = plan.creates
        assert (row.values["employee_no"], row.values["birth_date"]) == ("80002", date(1990, 5, 6))

    @pytest.mark.parametrize(
        "written", ["1990-05-06", "1990/5/6", "1990.5.6", "19900506", "1990年5月6日"]
    )
    def test_dates_as_chinese_offices_write_them(self, org, hq, written):
        plan = plan_for(csv_bytes([member_row("80003", birth=written)]), "m.csv", hq)
        assert plan.ok, errors_of(plan)
        assert plan.creates[0].values["birth_date"] == date(1990, 5, 6)

    def test_a_file_that_is_not_a_workbook_is_refused(self, db):
        with pytest.raises(TableReadError):
            read_table(io.BytesIO(b"this is not a zip file"), "members.xlsx")

    def test_a_binary_file_named_csv_is_refused(self, db):
        with pytest.raises(TableReadError):
            read_table(io.BytesIO(b"\x00\x01\x02\xff\xfe" * 100), "members.csv")

    def test_other_file_types_are_refused(self, db):
        with pytest.raises(TableReadError):
            read_table(io.BytesIO(b"a,b"), "members.txt")

    def test_blank_rows_are_skipped_and_row_numbers_kept(self, org, hq):
        rows = [member_row("80004"), ["", "", ""], member_row("", name="")]
        plan = plan_for(xlsx_bytes(rows), "m.xlsx", hq)
        assert {e.row for e in plan.errors} == {4}


class TestBadRows:
    def test_every_bad_row_is_reported_with_its_number_and_reason(self, org, hq):
        existing = org.members["A1"][0].employee_no
        rows = [
            member_row("80010"),  # row 2: fine
            member_row("", name="无工号"),  # row 3: missing 工号
            member_row("80011", group="不存在的班"),  # row 4: unknown group
            member_row("80012", birth="1990-13-45"),  # row 5: bad date
            member_row("80010", name="重复"),  # row 6: duplicate in file
            member_row("80013", gender="未知"),  # row 7: bad gender
            member_row("80014", phone="12345"),  # row 8: bad phone
            member_row("80015", hardship="也许"),  # row 9: bad flag
            member_row("80016", birth="2099-01-01"),  # row 10: future date
            member_row(existing, workshop="锅炉车间", group="运行一班"),  # row 11: fine update
            member_row("80017", name=""),  # row 12: missing name
        ]
        plan = plan_for(xlsx_bytes(rows), "m.xlsx", hq)
        found = {(row, column) for row, column, _ in errors_of(plan)}
        assert found == {
            (3, "工号"),
            (4, "工会小组"),
            (5, "出生日期"),
            (6, "工号"),
            (7, "性别"),
            (8, "手机号"),
            (9, "困难职工"),
            (10, "出生日期"),
            (12, "姓名"),
        }
        duplicate = next(m for r, c, m in errors_of(plan) if r == 6)
        assert "2" in duplicate  # names the row where the number first appeared

    def test_a_file_with_any_bad_row_changes_nothing(self, org, hq):
        before = Member.objects.count()
        plan = plan_for(xlsx_bytes([member_row("80020"), member_row("", name="")]), "m.xlsx", hq)
        assert not plan.ok
        with pytest.raises(ValueError):
            member_import_apply(plan=plan, by=hq)
        assert Member.objects.count() == before

    def test_missing_required_columns_are_named(self, org, hq):
        headers = ["工号", "姓名"]
        plan = plan_for(xlsx_bytes([["80021", "孙八"]], headers=headers), "m.xlsx", hq)
        [(row, column, _message)] = errors_of(plan)
        assert row == 1
        # 车间工会 may be left out where group names are unique; 性别 the ID number gives.
        assert "性别" in column and "工会小组" in column and "车间工会" not in column

    def test_an_empty_file_has_no_member_rows(self, org, hq):
        plan = plan_for(xlsx_bytes([]), "m.xlsx", hq)
        assert not plan.ok


class TestScope:
    def test_group_leader_can_only_import_into_their_group(self, org, leader_a1):
        rows = [member_row("80030", group="运行一班"), member_row("80031", group="检修班")]
        plan = plan_for(xlsx_bytes(rows), "m.xlsx", leader_a1)
        assert errors_of(plan)[0][:2] == (3, "工会小组")

    def test_an_employee_no_of_another_workshop_is_not_updated(self, org, workshop_a):
        other = org.members["B1"][0]
        plan = plan_for(xlsx_bytes([member_row(other.employee_no)]), "m.xlsx", workshop_a)
        assert errors_of(plan)[0][:2] == (2, "工号")

    def test_group_leader_cannot_move_members_by_import(self, org, leader_a1, hq):
        member = org.members["A2"][0]
        # The member is in A2, outside the leader's reach: the row is refused either way.
        plan = plan_for(
            xlsx_bytes([member_row(member.employee_no, group="运行一班")]), "m.xlsx", leader_a1
        )
        assert not plan.ok


class TestApply:
    def test_creates_updates_and_moves_in_one_go(self, org, workshop_a):
        stay = org.members["A1"][0]
        move = org.members["A1"][1]
        rows = [
            member_row("80040", name="周九", group="检修班"),
            member_row(stay.employee_no, name="新名字", group="运行一班"),
            member_row(
                move.employee_no,
                name=move.name,
                group="检修班",
                birth=move.birth_date,
                joined=move.joined_union_on,
                phone=move.phone,
            ),
        ]
        plan = plan_for(xlsx_bytes(rows), "m.xlsx", workshop_a)
        assert plan.ok, errors_of(plan)
        assert (len(plan.creates), len(plan.updates), len(plan.moves)) == (1, 2, 1)
        member_import_apply(plan=plan, by=workshop_a)

        created = Member.objects.get(employee_no="80040")
        assert (created.group, created.name_initials) == (org.A2, "zj")
        assert GroupMembership.objects.filter(member=created, ended_on__isnull=True).count() == 1
        stay.refresh_from_db()
        assert stay.name == "新名字"
        move.refresh_from_db()
        assert move.group == org.A2
        assert [s.group.code for s in move.memberships.order_by("started_on", "pk")] == ["A1", "A2"]
        assert created.history.latest().history_user == workshop_a

    def test_unchanged_rows_are_counted_not_written(self, org, hq):
        member = org.members["A1"][0]
        row = member_row(
            member.employee_no,
            name=member.name,
            birth=member.birth_date,
            joined=member.joined_union_on,
            phone=member.phone,
        )
        plan = plan_for(xlsx_bytes([row]), "m.xlsx", hq)
        assert (plan.unchanged, plan.updates) == (1, [])

    def test_a_column_left_out_is_not_touched(self, org, hq):
        member = org.members["A1"][0]
        headers = ["工号", "姓名", "性别", "车间工会", "工会小组"]
        plan = plan_for(
            xlsx_bytes(
                [[member.employee_no, "改了名", "男", "锅炉车间", "运行一班"]], headers=headers
            ),
            "m.xlsx",
            hq,
        )
        member_import_apply(plan=plan, by=hq)
        member.refresh_from_db()
        assert (member.name, member.phone) == ("改了名", org.members["A1"][0].phone)

    def test_export_then_import_changes_nothing(self, org, hq, login):
        response = login(hq).get("/members/export.xlsx")
        plan = plan_for(response.content, "export.xlsx", hq)
        assert plan.ok, errors_of(plan)
        assert (plan.creates, plan.updates, plan.unchanged) == ([], [], 12)


class TestCommand:
    def test_dry_run_reports_and_changes_nothing(self, org, tmp_path):
        path = tmp_path / "m.xlsx"
        path.write_bytes(xlsx_bytes([member_row("80050")]))
        out = io.StringIO()
        call_command("import_members", str(path), "--dry-run", stdout=out)
        assert "1" in out.getvalue()
        assert not Member.objects.filter(employee_no="80050").exists()

    def test_import_applies_the_file(self, org, tmp_path):
        path = tmp_path / "m.csv"
        path.write_bytes(csv_bytes([member_row("80051")], encoding="gbk"))
        call_command("import_members", str(path), stdout=io.StringIO())
        assert Member.objects.get(employee_no="80051").group == org.A1

    def test_bad_rows_fail_the_command_with_row_numbers(self, org, tmp_path):
        from django.core.management.base import CommandError

        path = tmp_path / "m.xlsx"
        path.write_bytes(xlsx_bytes([member_row("80052"), member_row("", name="x")]))
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import_members", str(path), stdout=io.StringIO(), stderr=err)
        assert "3" in err.getvalue()
        assert not Member.objects.filter(employee_no="80052").exists()


def test_the_export_has_every_registration_field_in_its_order(db):
    from groups.imports import FIELD_ORDER, TITLES
    from groups.services import MEMBER_DETAIL_FIELDS

    assert ("employee_no", *MEMBER_DETAIL_FIELDS, "workshop", "group") == FIELD_ORDER
    assert set(HEADERS) <= {TITLES[key] for key in FIELD_ORDER}


def run_in_chunks(content: bytes, by, *, chunk_size, dry_run=False):
    sheet = member_import_read(io.BytesIO(content), "m.xlsx")
    return member_import_run(sheet=sheet, by=by, chunk_size=chunk_size, dry_run=dry_run)


class TestChunkedImport:
    """`member_import_run` (the command, the background job) checks and writes a chunk at
    a time in one transaction: a bad row in a late chunk still undoes the earlier ones."""

    def test_errors_in_a_late_chunk_are_named_by_row_and_nothing_is_written(self, org, hq):
        before = Member.objects.count()
        rows = [member_row(f"8110{n}") for n in range(6)]  # rows 2-7: three chunks of two
        rows += [member_row("81106", phone="12345"), member_row("81107")]  # row 8 is bad
        rows += [member_row("81108"), member_row("81100", name="重复")]  # row 11 repeats 2
        plan = run_in_chunks(xlsx_bytes(rows), hq, chunk_size=2)
        assert sorted((row, column) for row, column, _m in errors_of(plan)) == [
            (8, "手机号"),
            (11, "工号"),
        ]
        assert Member.objects.count() == before
        assert not GroupMembership.objects.filter(member__employee_no__startswith="811").exists()

    def test_a_clean_file_is_written_chunk_by_chunk(self, org, hq):
        move = org.members["A1"][0]
        rows = [member_row(f"8120{n}") for n in range(5)]
        rows.append(member_row(move.employee_no, name=move.name, group="检修班"))
        plan = run_in_chunks(xlsx_bytes(rows), hq, chunk_size=2)
        assert plan.ok, errors_of(plan)
        assert (plan.create_count, plan.update_count, plan.move_count) == (5, 1, 1)
        # The plan keeps counts, not rows: its memory does not grow with the file.
        assert (plan.creates, plan.updates) == ([], [])
        assert Member.objects.filter(employee_no__startswith="8120").count() == 5
        move.refresh_from_db()
        assert move.group == org.A2
        assert move.memberships.filter(ended_on__isnull=True).get().group == org.A2

    def test_a_dry_run_checks_every_chunk_and_writes_nothing(self, org, hq):
        rows = [member_row(f"8130{n}") for n in range(5)]
        plan = run_in_chunks(xlsx_bytes(rows), hq, chunk_size=2, dry_run=True)
        assert (plan.ok, plan.create_count) == (True, 5)
        assert not Member.objects.filter(employee_no__startswith="8130").exists()

    def test_the_queries_are_fixed_per_chunk_not_per_row(self, org, hq):
        def queries(count, prefix, chunk_size=2):
            content = xlsx_bytes([member_row(f"{prefix}{n:02d}") for n in range(count)])
            with CaptureQueriesContext(connection) as captured:
                assert run_in_chunks(content, hq, chunk_size=chunk_size).ok
            return len(captured)

        queries(2, "8139")  # the first import in a process warms caches up
        one, two, four = queries(2, "8140"), queries(4, "8141"), queries(8, "8142")
        per_chunk = two - one
        assert four - two == 2 * per_chunk
        # Reading three numbers' holders, and writing members, history and group stretches
        assert per_chunk <= 8
        # A larger chunk: the same queries for 8 rows as for 2.
        assert queries(8, "8143", chunk_size=8) == one

    def test_moves_take_the_same_queries_for_one_member_or_several(self, org, hq):
        def queries(members, group):
            rows = [member_row(m.employee_no, name=m.name, group=group) for m in members]
            with CaptureQueriesContext(connection) as captured:
                plan = run_in_chunks(xlsx_bytes(rows), hq, chunk_size=10)
            assert plan.ok and plan.move_count == len(members), errors_of(plan)
            return len(captured)

        queries(org.members["A1"][1:2], "检修班")  # the first import warms caches up
        one = queries(org.members["A1"][:1], "检修班")
        three = queries(org.members["A2"], "运行一班")
        assert one == three

    def test_a_number_an_earlier_chunk_freed_is_still_refused_as_in_the_preview(self, org, hq):
        """Row 2 gives its member a new identity number; row 5, in a later chunk, gives the
        member's old one to a new member. The preview refuses that (the member holds it),
        and the chunked import must not pass it because row 2 was written already."""
        from tests.groups.test_import_roster import id_number, roster_row, roster_xlsx

        holder = org.members["A1"][0]
        old, new = id_number(date(1980, 1, 2)), id_number(date(1980, 1, 3))
        Member.objects.filter(pk=holder.pk).update(id_number=old, birth_date=date(1980, 1, 2))
        rows = [
            roster_row(holder.employee_no, holder.name, born=date(1980, 1, 3)),
            roster_row("81501", born=date(1990, 1, 1)),
            roster_row("81502", born=date(1991, 1, 1)),
            roster_row("81503", born=date(1980, 1, 2)),
        ]
        assert (rows[0]["身份证号"], rows[3]["身份证号"]) == (new, old)
        content = roster_xlsx(rows, title="")
        # The operator at the command line may write identity numbers.
        preview = plan_for(content, "m.xlsx", None)
        chunked = run_in_chunks(content, None, chunk_size=2)
        assert [e[:2] for e in errors_of(preview)] == [(5, "身份证号")]
        assert errors_of(chunked) == errors_of(preview)
        holder.refresh_from_db()
        assert holder.id_number == old

    def test_the_command_reports_a_late_chunk_and_writes_nothing(self, org, tmp_path, monkeypatch):
        from django.core.management.base import CommandError

        from groups import imports

        monkeypatch.setattr(imports, "IMPORT_CHUNK", 2)
        path = tmp_path / "m.xlsx"
        rows = [member_row(f"8160{n}") for n in range(5)] + [member_row("", name="x")]
        path.write_bytes(xlsx_bytes(rows))
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import_members", str(path), stdout=io.StringIO(), stderr=err)
        assert "row 7 " in err.getvalue()
        assert not Member.objects.filter(employee_no__startswith="8160").exists()
