"""A group leader records a hospital visit and files a 大病互助 application; the workshop
reviews it once its papers are in; HQ's welfare staff approve it, and after its notice
put it into a payment batch whose closing pays it; the case shows its timeline and the days
from application to payment."""

from datetime import timedelta

from accounts.models import Role
from funds import services as funds
from funds.models import Fund, PaymentBatch
from tests.factories import UserFactory, today
from welfare.models import CaseStatus, Publicity, WelfareCase


def test_hospital_visit_and_serious_illness_case(page, log_in, org, leader_a1, workshop_a):
    hq = UserFactory(role=Role.HQ, handles_welfare=True, username="welfare_hq")
    member = org.members["A1"][0]
    applied_on = today() - timedelta(days=6)

    # The leader visits the member in hospital and records it from the member's page.
    log_in("leader_a1")
    page.goto(f"/members/{member.pk}/")
    page.get_by_role("link", name="登记走访").click()
    page.select_option("#id_kind", label="探望慰问")
    page.fill("#id_gift_value", "300")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/welfare/care/{org.A1.pk}/")
    assert "探望慰问" in page.locator("#visits").inner_text()

    # … and files the application for serious illness mutual aid.
    page.goto(f"/members/{member.pk}/")
    page.get_by_role("link", name="申请帮扶").click()
    page.select_option("#id_case_type", label="职工大病互助")
    page.fill("#id_applied_on", applied_on.isoformat())
    page.fill("#id_amount_requested", "8000")
    page.fill("#id_reason", "住院手术，自付医疗费用三万余元。")
    # The bills: ¥60,000, of which insurance paid ¥30,000 (the rule gives ¥10,000).
    page.fill("#id_bills-0-hospital", "市第一人民医院")
    page.fill("#id_bills-0-admitted_on", (applied_on - timedelta(days=30)).isoformat())
    page.fill("#id_bills-0-discharged_on", (applied_on - timedelta(days=10)).isoformat())
    page.fill("#id_bills-0-diagnosis", "冠心病支架术后")
    page.fill("#id_bills-0-total", "60000")
    page.fill("#id_bills-0-reimbursed", "30000")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/welfare/cases/*/")
    case = WelfareCase.objects.get()
    case_path = f"/welfare/cases/{case.pk}/"

    # The workshop union ticks the papers received, then reviews and passes it on with
    # the amount it suggests.
    page.context.clear_cookies()
    log_in("ws_a")
    page.goto(case_path)
    for _ in range(case.case_type.requirements.count()):
        with page.expect_navigation():
            page.locator("#checklist form.inline button").first.click()
    page.fill("#step-workshop_review #id_amount", "6000")
    with page.expect_navigation():
        page.get_by_role("button", name="提交工会审批").click()
    assert WelfareCase.objects.get().status == CaseStatus.WORKSHOP_REVIEWED

    # HQ's welfare staff approve it from the mutual aid fund; it is posted (公示).
    page.context.clear_cookies()
    log_in("welfare_hq")
    page.goto(case_path)
    page.fill("#id_amount_approved", "6000")
    page.select_option("#id_fund", label="互助金")
    with page.expect_navigation():
        page.get_by_role("button", name="通过").click()
    assert WelfareCase.objects.get().status == CaseStatus.APPROVED

    # Once the notice has ended, HQ puts the case into a new bank batch from the list;
    # the bank's transfer closes the batch and the case is paid.
    Publicity.objects.filter(case=case).update(
        starts_on=today() - timedelta(days=6), ends_on=today() - timedelta(days=1)
    )
    funds.budget_set(
        by=hq, fund=Fund.objects.get(code="mutual_aid"), year=today().year, amount="100000"
    )
    page.goto("/welfare/cases/")
    page.check(f"#pay-{case.pk}")
    page.select_option("#id_method", "bank")
    page.fill("#id_title", "大病互助第1批")
    with page.expect_navigation():
        page.locator("#batch button[type=submit]").click()
    batch = PaymentBatch.objects.get()
    funds.batch_close_by_transfer(
        by=hq, batch=batch, version=batch.version, paid_on=today(), bank_reference="ZH001"
    )
    page.goto(case_path)

    case = WelfareCase.objects.get()
    assert (case.status, case.amount_paid, case.days_to_payment) == (CaseStatus.PAID, 6000, 6)
    assert page.locator("#days-to-payment").inner_text().startswith("6")
    timeline = page.locator("#timeline").inner_text()
    for step in ("已申请", "车间审核通过", "工会已审批", "已发放"):
        assert step in timeline
