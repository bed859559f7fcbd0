"""seed_demo's federation size: the bulk loader on either database, the plan of ten mines,
and SQLite's refusal (the build itself runs on PostgreSQL, outside the tests)."""

import io
import random
from datetime import date
from itertools import islice

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from activities.models import MonthlyReport
from groups import demo as groups_demo
from groups.idnumbers import check_digit
from groups.models import UnionGroup, WorkshopUnion
from unionhome import bulk
from unionhome.demo import FEDERATION, MINE, DemoContext


def _context(size):
    return DemoContext(
        size=size, rng=random.Random(2026), today=date(2026, 12, 7), log=lambda text: None
    )


class TestCopyRows:
    def test_writes_more_rows_than_a_chunk_and_fills_the_columns_not_named(self, db):
        total = bulk.CHUNK + 7
        rows = ((f"T{n:05d}", f"测试{n}车间") for n in range(total))
        assert bulk.copy_rows(WorkshopUnion, ("code", "name"), rows) == total
        assert WorkshopUnion.objects.filter(code__startswith="T").count() == total
        last = WorkshopUnion.objects.get(code=f"T{total - 1:05d}")
        blank = WorkshopUnion(code="x", name="x")
        assert last.name == f"测试{total - 1}车间"
        assert (last.is_active, last.sort_order) == (blank.is_active, blank.sort_order)

    def test_json_columns_and_foreign_keys_by_id(self, db):
        workshop = WorkshopUnion.objects.create(code="J1", name="综采一队")
        group = UnionGroup.objects.create(workshop=workshop, code="J1-01", name="早班")
        figures = {"activities": 4, "members": 23, "rate": "0.65"}
        bulk.copy_rows(
            MonthlyReport,
            ("group_id", "month", "figures"),
            [(group.pk, date(2026, 11, 1), figures)],
        )
        report = MonthlyReport.objects.get(group=group)
        assert report.figures == figures and report.month == date(2026, 11, 1)

    def test_a_name_that_is_not_a_column_is_refused(self, db):
        with pytest.raises(ValueError, match="not a column"):
            bulk.copy_rows(WorkshopUnion, ("code", "name", "groups"), [("Z1", "x", None)])

    def test_the_rows_may_query_the_database_as_they_are_drawn(self, db, monkeypatch):
        # Between chunks, never inside a COPY (where a query would wait for ever).
        monkeypatch.setattr(bulk, "COPY_CHUNK", 2)
        monkeypatch.setattr(bulk, "CHUNK", 2)

        def rows():
            for n in range(5):
                seen = WorkshopUnion.objects.filter(code__startswith="G").count()
                yield (f"G{n}", f"掘进{n + 1}队", seen + 1)

        assert bulk.copy_rows(WorkshopUnion, ("code", "name", "sort_order"), rows()) == 5
        assert list(
            WorkshopUnion.objects.order_by("code").values_list("sort_order", flat=True)
        ) == [1, 1, 3, 3, 5]

    def test_reserved_ids_are_never_handed_out_again(self, db):
        before = WorkshopUnion.objects.create(code="R0", name="准备一队")
        ids = bulk.reserve_ids(WorkshopUnion, 3)
        assert len(ids) == 3 and ids[0] > before.pk
        bulk.copy_rows(
            WorkshopUnion,
            ("id", "code", "name"),
            [(pk, f"R{n + 1}", f"准备{n + 2}队") for n, pk in enumerate(ids)],
        )
        after = WorkshopUnion.objects.create(code="R9", name="安装一队")
        assert after.pk > ids[-1]
        assert list(
            WorkshopUnion.objects.filter(pk__in=ids).order_by("pk").values_list("code", flat=True)
        ) == ["R1", "R2", "R3"]

    def test_rows_with_history_get_their_created_history_rows(self, db, monkeypatch, hq):
        from decimal import Decimal

        from dues.models import BasePay
        from groups.models import Member

        monkeypatch.setattr(bulk, "COPY_CHUNK", 2)  # ids reserved chunk by chunk
        workshop = WorkshopUnion.objects.create(code="H1", name="通风一队")
        group = UnionGroup.objects.create(workshop=workshop, code="H1-01", name="测风班")
        members = [
            Member.objects.create(group=group, employee_no=f"6600{n}", name=f"测风{n}", gender="M")
            for n in range(3)
        ]
        rows = [(m.pk, date(2026, 11, 1), Decimal("5200.00"), "11月工资表.xlsx") for m in members]
        written = bulk.copy_rows_with_history(
            BasePay, ("member_id", "month", "amount", "source"), rows, user=hq
        )
        assert written == 3
        pays = list(BasePay.objects.filter(member__in=members).order_by("member"))
        assert [p.amount for p in pays] == [Decimal("5200.00")] * 3
        history = BasePay.history.filter(id__in=[p.pk for p in pays])
        assert sorted(history.values_list("id", "history_type", "history_user", "source")) == [
            (p.pk, "+", hq.pk, "11月工资表.xlsx") for p in pays
        ]
        after = BasePay.objects.create(member=members[0], month=date(2026, 10, 1), amount=1)
        assert after.pk > pays[-1].pk


def test_the_federation_is_refused_on_sqlite(db):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL builds the federation")
    with pytest.raises(CommandError, match="postgres://"):
        call_command("seed_demo", "--size", FEDERATION, stdout=io.StringIO())
    assert not WorkshopUnion.objects.exists()


class TestFederationPlan:
    def test_ten_mines_of_65_units_and_405_groups(self):
        mine = groups_demo._structure(_context(MINE))
        federation = groups_demo._structure(_context(FEDERATION))
        assert len(mine) == 65 and sum(len(groups) for *_, groups in mine) == 405
        assert len(federation) == 650
        assert sum(len(groups) for *_, groups in federation) == 4050
        names = [name for name, *_ in federation]
        codes = [code for _, code, _ in federation]
        group_codes = [code for *_, groups in federation for _, code in groups]
        assert len(set(names)) == 650 and len(set(codes)) == 650
        assert len(set(group_codes)) == 4050
        # Each mine is the seed's mine under its prefix: 一矿综采一队 … 十矿后勤九服务站.
        for index, prefix in enumerate(groups_demo.FEDERATION_MINES):
            block = federation[index * 65 : (index + 1) * 65]
            assert [name for name, *_ in block] == [prefix + name for name, *_ in mine]
            assert [len(g) for *_, g in block] == [len(g) for *_, g in mine]
        assert names[0] == "一矿综采一队" and names[-1] == "十矿后勤九服务站"

    def test_the_scale_of_each_size(self):
        assert (_context(MINE).scale, _context(FEDERATION).scale) == (1, 10)
        assert _context(MINE).is_mine and _context(FEDERATION).is_mine
        assert not _context("demo").is_mine

    def test_100000_members_with_unique_numbers(self, db):
        context = _context(FEDERATION)
        groups = [
            UnionGroup(pk=pk, code=code, name=name)
            for pk, code, name in (
                (index + 1, code, name)
                for index, (name, code) in enumerate(
                    g for *_, gs in groups_demo._structure(context) for g in gs
                )
            )
        ]
        fields = groups_demo.MEMBER_FIELDS
        rows = groups_demo._members_for(context, groups, 200001)
        employee_nos, phones, id_numbers, per_group = set(), set(), set(), {}
        group_at = fields.index("group_id")
        for row in islice(rows, 200_000):
            employee_nos.add(row[fields.index("employee_no")])
            phones.add(row[fields.index("phone")])
            id_number = row[fields.index("id_number")]
            assert check_digit(id_number[:17]) == id_number[17]
            id_numbers.add(id_number)
            per_group[row[group_at]] = per_group.get(row[group_at], 0) + 1
        assert len(employee_nos) == len(phones) == len(id_numbers) == 100_000
        assert len(per_group) == 4050 and set(per_group.values()) == {24, 25}
