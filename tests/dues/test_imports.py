"""The payroll import: all or nothing, every error with its row number, names checked against
the 工号, members outside the user's reach reported without a word about them; preview,
then confirm. The payment workbook likewise."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dues import imports, services
from dues.models import BasePay, DuesCharge

from .conftest import OCTOBER, pay
from .files import csv_file, payroll_rows, workbook


def plan_for(upload, by, month=OCTOBER, kind="payroll"):
    headers, rows = imports.read_upload(upload, upload.name)
    make = imports.payroll_plan if kind == "payroll" else imports.payment_plan
    return make(month=month, headers=headers, rows=rows, by=by)


class TestPayrollPlan:
    def test_a_clean_file_reads_base_pay_from_the_first_known_column(self, org, rule, workshop_a):
        members = org.members["A1"] + org.members["A2"]
        plan = plan_for(workbook(payroll_rows(members)), workshop_a)
        assert plan.ok and plan.column == "基本工资"  # before 应发工资
        assert [r.amount for r in plan.rows] == [Decimal("6850.00")] * 6
        assert [r.row for r in plan.rows] == [2, 3, 4, 5, 6, 7]

    def test_other_header_words_and_csv_in_gbk(self, org, rule, workshop_a):
        member = org.members["A1"][0]
        text = f'工号,姓名,缴费基数\n{member.employee_no},{member.name},"6,850.00"\n'
        plan = plan_for(csv_file(text, encoding="gb18030"), workshop_a)
        assert plan.ok and plan.column == "缴费基数"
        assert plan.rows[0].amount == Decimal("6850.00")

    def test_every_bad_row_is_reported_with_its_number(self, org, rule, workshop_a):
        a1 = org.members["A1"]
        other = org.members["B1"][0]
        rows = [
            [a1[0].employee_no, a1[0].name, "", 6850, 0],  # row 2: fine
            [a1[1].employee_no, "王错名", "", 5000, 0],  # row 3: name disagrees
            [a1[2].employee_no, a1[2].name, "", "六千", 0],  # row 4: not an amount
            ["", "无工号", "", 5000, 0],  # row 5: no 工号
            [other.employee_no, other.name, "", 5000, 0],  # row 6: another workshop union
            ["99999", "查无此人", "", 5000, 0],  # row 7: nobody
            [a1[0].employee_no, a1[0].name, "", 6850, 0],  # row 8: again
            [org.members["A2"][0].employee_no, org.members["A2"][0].name, "", -5, 0],  # row 9
            [org.members["A2"][1].employee_no, org.members["A2"][1].name, "", 5000.123, 0],
        ]
        plan = plan_for(workbook(rows), workshop_a)
        got = [(e.row, e.column) for e in plan.errors]
        assert got == [
            (3, "姓名"),
            (4, "基本工资"),
            (5, "工号"),
            (6, "工号"),
            (7, "工号"),
            (8, "工号"),
            (9, "基本工资"),
            (10, "基本工资"),
        ]
        messages = {e.row: e.message for e in plan.errors}
        assert a1[1].name in messages[3] and "王错名" in messages[3]
        assert a1[0].employee_no in messages[8] and "2" in messages[8]

    def test_a_member_outside_reach_reads_exactly_as_a_number_nobody_has(
        self, org, rule, workshop_a
    ):
        """No enumeration: the message names the number and nothing about the member."""
        other = org.members["B1"][0]
        rows = [[other.employee_no, other.name, "", 5000, 0], ["99999", other.name, "", 5000, 0]]
        plan = plan_for(workbook(rows), workshop_a)
        first, second = (e.message for e in plan.errors)
        assert first.replace(other.employee_no, "N") == second.replace("99999", "N")
        assert other.name not in first and org.b.name not in first and org.B1.name not in first

    def test_a_group_leader_imports_nothing(self, org, rule, leader_a1, login):
        response = login(leader_a1).get(reverse("dues:payroll_import"))
        assert response.status_code == 403

    def test_missing_columns_are_named(self, org, rule, workshop_a):
        plan = plan_for(workbook([["1", "张三"]], headers=["工号", "姓名"]), workshop_a)
        assert plan.errors[0].row == 1 and "缴费基数" in plan.errors[0].column

    def test_a_title_row_above_the_header_is_skipped_where_the_reader_finds_the_header(
        self, org, rule, workshop_a
    ):
        if not hasattr(imports.tabular, "open_table"):
            pytest.skip("the table reader here takes the first row as the header")
        upload = workbook(payroll_rows(org.members["A1"]), title="2026年10月工资表")
        plan = plan_for(upload, workshop_a)
        assert plan.ok and [r.row for r in plan.rows] == [3, 4, 5]


class TestPayrollPages:
    def upload(self, client, upload, month="2026-10"):
        return client.post(reverse("dues:payroll_import"), {"month": month, "file": upload})

    def test_preview_then_confirm(self, org, rule, workshop_a, login):
        client = login(workshop_a)
        members = org.members["A1"]
        pay(members[0], OCTOBER, "6000.00")
        response = self.upload(client, workbook(payroll_rows(members)))
        assert response.status_code == 200 and "import-preview" in response.content.decode()
        assert BasePay.objects.get(member=members[0]).amount == Decimal("6000.00")  # not yet
        response = client.post(reverse("dues:payroll_import_confirm"), {"confirm": "1"})
        assert response.status_code == 302
        assert response["Location"].endswith(f"?workshop={org.a.pk}&month=2026-10")
        assert set(BasePay.objects.filter(month=OCTOBER).values_list("amount", flat=True)) == {
            Decimal("6850.00")
        }
        record = BasePay.objects.get(member=members[0])
        assert record.imported_by == workshop_a and record.source == "2026年10月工资表.xlsx"

    def test_a_file_with_any_bad_row_changes_nothing(self, org, rule, workshop_a, login):
        client = login(workshop_a)
        rows = [*payroll_rows(org.members["A1"]), ["99999", "查无此人", "", 5000, 0]]
        response = self.upload(client, workbook(rows))
        page = response.content.decode()
        assert "import-errors" in page and "99999" in page
        response = client.post(reverse("dues:payroll_import_confirm"), {"confirm": "1"})
        assert response.status_code == 302 and response["Location"].endswith("/dues/payroll/")
        assert not BasePay.objects.exists()

    def test_the_register_changing_between_preview_and_confirm_changes_nothing(
        self, org, rule, workshop_a, login
    ):
        client = login(workshop_a)
        members = org.members["A1"]
        self.upload(client, workbook(payroll_rows(members)))
        members[1].name = "改了名"
        members[1].save()
        response = client.post(reverse("dues:payroll_import_confirm"), {"confirm": "1"})
        assert response.status_code == 200 and "import-errors" in response.content.decode()
        assert not BasePay.objects.exists()

    def test_no_month_in_the_future(self, org, rule, workshop_a, login):
        response = self.upload(login(workshop_a), workbook([]), month="2099-01")
        assert response.status_code == 200 and not BasePay.objects.exists()
        assert "import-preview" not in response.content.decode()


class TestPaymentWorkbook:
    def test_payments_recorded_with_part_payments(self, org, payroll, hq, workshop_a, login):
        services.dues_compute_month(month=OCTOBER, by=hq)
        a1 = org.members["A1"]
        rows = [
            [a1[0].employee_no, a1[0].name, 34.25],
            [a1[1].employee_no, a1[1].name, None],  # the whole month's dues
            [a1[2].employee_no, a1[2].name, 10],  # part of 25.00
        ]
        client = login(workshop_a)
        response = client.post(
            reverse("dues:payment_import"),
            {
                "month": "2026-10",
                "paid_on": "2026-10-31",
                "method": "cash",
                "file": workbook(rows, headers=["工号", "姓名", "实缴金额"]),
            },
        )
        assert "import-preview" in response.content.decode()
        client.post(reverse("dues:payment_import_confirm"), {"confirm": "1"})
        paid = dict(
            DuesCharge.objects.filter(group=org.A1).values_list("member__employee_no", "paid")
        )
        assert paid == {
            a1[0].employee_no: Decimal("34.25"),
            a1[1].employee_no: Decimal("25.00"),
            a1[2].employee_no: Decimal("10.00"),
        }
        charge = DuesCharge.objects.get(member=a1[2])
        assert (charge.paid_on, charge.recorded_by, charge.collection.method) == (
            date(2026, 10, 31),
            workshop_a,
            "cash",
        )

    def test_errors_for_paid_overpaid_uncomputed_and_out_of_reach(
        self, org, payroll, hq, workshop_a
    ):
        services.dues_compute_month(month=OCTOBER, workshop=org.a, by=hq)
        a1 = org.members["A1"]
        services.dues_record_collection(
            workshop=org.a,
            month=OCTOBER,
            by=hq,
            paid_on=date(2026, 10, 31),
            only_members=[a1[0].pk],
        )
        other = org.members["B1"][0]
        rows = [
            [a1[0].employee_no, a1[0].name, None],  # row 2: paid already
            [a1[1].employee_no, a1[1].name, 30],  # row 3: 25.00 due
            [other.employee_no, other.name, None],  # row 4: not in reach
        ]
        plan = plan_for(
            workbook(rows, headers=["工号", "姓名", "实缴金额"]), workshop_a, kind="payment"
        )
        assert [e.row for e in plan.errors] == [2, 3, 4]
        services.dues_compute_month(month=OCTOBER, by=hq)
        DuesCharge.objects.filter(group__workshop=org.a).delete()
        plan = plan_for(
            workbook(rows[1:2], headers=["工号", "姓名", "实缴金额"]), workshop_a, kind="payment"
        )
        assert [e.row for e in plan.errors] == [2]  # no dues computed for the month
