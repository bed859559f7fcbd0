"""A group leader logs an activity with a photo and files the month's report; the workshop
union returns it with a reason; the leader resubmits; the workshop approves."""

from activities.models import Activity, MonthlyReport, ReportStatus
from activities.periods import month_start, previous_month
from tests.factories import today
from tests.files import jpeg


def test_activity_and_monthly_report_round_trip(page, log_in, org, leader_a1, workshop_a, tmp_path):
    month = previous_month(month_start(today()))
    photo = tmp_path / "班组活动.jpg"
    photo.write_bytes(jpeg().read())

    # The leader records an activity of last month with a photo from the phone.
    log_in("leader_a1")
    page.goto("/activities/new/")
    page.select_option("#id_area", label="岗位成才")
    page.fill("#id_title", "设备巡检要点培训")
    page.fill("#id_held_on", month.replace(day=15).isoformat())
    page.fill("#id_place", "班组活动室")
    for member in org.members["A1"]:
        page.get_by_label(member.name, exact=True).check()
    page.set_input_files("#id_files", str(photo))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/activities/*/")
    assert page.locator("#photos img").count() == 1
    # The thumbnail loads lazily: bring it into view, then it must decode as an image.
    page.locator("#photos img").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const img = document.querySelector('#photos img');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    activity = Activity.objects.get()

    # The month's report compiles the record and is submitted.
    report_path = f"/reports/{org.A1.pk}/{month:%Y-%m}/"
    page.goto(report_path)
    assert "设备巡检要点培训" in page.locator("body").inner_text()
    assert page.locator("#figures").get_by_text("100%").is_visible()
    page.fill("#id_summary", "本月开展岗位练兵一次，全员参加。")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="提交车间工会").click()
    assert "已提交" in page.locator("h1").inner_text()

    # The workshop union returns it with a reason.
    page.context.clear_cookies()
    log_in("ws_a")
    page.goto(report_path)
    page.fill("#id_reason", "请补充问题和下月计划。")
    with page.expect_navigation():
        page.get_by_role("button", name="退回并说明原因").click()
    assert MonthlyReport.objects.get().status == ReportStatus.RETURNED

    # The leader sees the reason, completes the report and submits again.
    page.context.clear_cookies()
    log_in("leader_a1")
    page.goto(report_path)
    assert "请补充问题和下月计划。" in page.locator(".messages li.error").inner_text()
    page.fill("#id_problems", "倒班人员不齐。")
    page.fill("#id_next_plan", "下月组织技术比武。")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="提交车间工会").click()

    # The workshop approves; the steps show who did what.
    page.context.clear_cookies()
    log_in("ws_a")
    page.goto(report_path)
    with page.expect_navigation():
        page.get_by_role("button", name="通过").click()
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.APPROVED
    assert report.figures["activities"] == 1 and activity.attachments.count() == 1
    steps = page.locator("#timeline").inner_text()
    for word in ("已提交", "已退回", "已通过"):
        assert word in steps
