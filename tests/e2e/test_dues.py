"""A workshop union's officer on a phone: imports the month's payroll, computes the dues,
records the month as collected by payroll deduction and reads 收缴率 100 %."""

from datetime import date
from decimal import Decimal

from dues.models import DuesCharge, DuesRule
from dues.months import this_month


def test_payroll_to_collection_rate(page, log_in, org, workshop_a, tmp_path):
    DuesRule.objects.get_or_create(
        starts_on=date(2000, 1, 1), defaults={"rate_percent": Decimal("0.5")}
    )
    month = this_month()
    members = org.members["A1"] + org.members["A2"]
    payroll = tmp_path / "工资表.csv"
    lines = ["工号,姓名,部门,基本工资"] + [
        f"{m.employee_no},{m.name},{m.group.name},6850.00" for m in members
    ]
    payroll.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")

    log_in("ws_a")
    page.goto("/dues/collect/")
    assert org.a.name in page.locator("h1").inner_text()
    page.locator("#import-payroll").click()
    page.fill("#id_month", f"{month:%Y-%m}")
    page.set_input_files("#id_file", str(payroll))
    page.locator("#check-file").click()
    preview = page.locator("#import-preview")
    assert preview.is_visible()
    assert "¥41,100.00" in preview.inner_text()  # 6 × 6,850.00
    page.locator("#confirm-import").click()
    page.wait_for_url(f"**/dues/collect/?workshop={org.a.pk}&month={month:%Y-%m}")

    page.locator("#compute-dues").click()
    page.wait_for_url("**/dues/collect/**")
    assert page.locator("#collect-charges").inner_text() == "6"
    assert page.locator("#collect-due").inner_text() == "¥205.50"  # 6 × 34.25
    assert page.locator("#unpaid-table tbody tr").count() == 6

    page.locator("#record-collected").click()
    page.wait_for_url("**/dues/collect/**")
    assert page.locator("#collect-rate").inner_text() == "100%"
    assert page.locator("#all-collected").is_visible()
    assert DuesCharge.objects.filter(month=month, paid=Decimal("34.25")).count() == 6

    page.goto(f"/dues/rate/?month={month:%Y-%m}")
    row = page.locator('#rate-table tr[data-workshop="A"]')
    assert row.locator(".month-rate").inner_text() == "100%"
    assert page.locator('#rate-table tr[data-workshop="B"]').count() == 0
