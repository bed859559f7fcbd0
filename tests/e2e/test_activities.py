"""A group leader logs an activity with a photo and files the month's report; the workshop
union returns it with a reason; the leader resubmits; the workshop approves."""

from activities import services
from activities.models import Activity, MonthlyReport, ReportStatus
from activities.periods import month_start, previous_month
from tests.factories import leader_user, today
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

    # The leader's home page (a phone) puts the returned report first, with the reason.
    page.context.clear_cookies()
    log_in("leader_a1")
    banner = page.locator("[data-returned]")
    assert banner.is_visible()
    assert "请补充问题和下月计划。" in banner.inner_text()
    assert banner.bounding_box()["y"] < page.locator(".stats").bounding_box()["y"]
    with page.expect_navigation():
        banner.get_by_role("link", name="修改后重新提交").click()
    assert page.url.endswith(report_path)
    assert "请补充问题和下月计划。" in page.locator(".messages li.error").inner_text()
    page.fill("#id_problems", "倒班人员不齐。")
    page.fill("#id_next_plan", "下月组织技术比武。")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="提交车间工会").click()

    # The workshop approves it from the list of reports to review, with a second group's
    # report ticked at the same time; the steps show who did what.
    leader_a2 = leader_user(org.A2, username="leader_a2")
    services.report_submit(group=org.A2, month=month, by=leader_a2, version=0, summary="小结")
    page.context.clear_cookies()
    log_in("ws_a")
    page.get_by_role("link", name="待审核的月报").first.click()
    page.wait_for_url("**/reports/review/")
    assert page.locator("[data-row]").count() == 2
    page.get_by_role("button", name="全选").click()
    with page.expect_navigation():
        page.get_by_role("button", name="批准勾选的月报").click()
    assert "已批准 2 份月报" in page.locator(".messages").inner_text()
    assert MonthlyReport.objects.filter(status=ReportStatus.APPROVED).count() == 2
    page.goto(report_path)
    report = MonthlyReport.objects.get(group=org.A1)
    assert report.status == ReportStatus.APPROVED
    assert report.figures["activities"] == 1 and activity.attachments.count() == 1
    steps = page.locator("#timeline").inner_text()
    for word in ("已提交", "已退回", "已通过"):
        assert word in steps


def test_the_running_month_offers_no_submit_button(page, log_in, org, leader_a1):
    """On the phone, this month's report can be drafted; the page says when it can be
    submitted instead of offering a button that would be refused."""
    month = month_start(today())
    log_in("leader_a1")
    page.goto(f"/reports/{org.A1.pk}/{month:%Y-%m}/")
    assert page.get_by_role("button", name="保存草稿").is_visible()
    assert page.get_by_role("button", name="提交车间工会").count() == 0
    assert "月底之后再提交" in page.locator("#submit-later").inner_text()


def test_a_phone_shows_the_month_as_a_grid_and_wide_tables_say_they_scroll(
    page, log_in, org, leader_a1, workshop_a
):
    from datetime import date

    from tests.factories import ActivityFactory

    ActivityFactory(group=org.A1, held_on=date(2026, 9, 9), recorded_by=leader_a1, title="象棋赛")
    log_in("leader_a1")
    page.goto(f"/activities/calendar/{org.A1.pk}/?month=2026-09")
    assert page.locator("table.calendar").is_visible()
    count = page.locator(".day-count")
    assert count.count() == 1 and count.inner_text() == "1"
    count.click()
    assert page.url.endswith("#d2026-09-09")
    assert "9月9日 周三" in page.locator("#d2026-09-09").inner_text()

    # A table wider than the phone keeps its first column in view and says it scrolls.
    page.context.clear_cookies()
    log_in("ws_a")
    page.goto("/homes/")
    assert page.locator(".scroll-hint").first.is_visible()
    wide = page.locator(".table-wrap.scrolls").first
    first = wide.locator("tbody tr td").first
    wide.evaluate("wrap => { wrap.scrollLeft = 400; }")
    assert first.is_visible() and first.bounding_box()["x"] < 40


def test_a_print_page_keeps_the_menu_and_its_tables_fill_the_sheet(page, log_in, org, leader_a1):
    page.set_viewport_size({"width": 1280, "height": 900})
    month = previous_month(month_start(today()))
    log_in("leader_a1")
    page.goto(f"/reports/{org.A1.pk}/{month:%Y-%m}/print/")
    assert page.locator("#mainnav").is_visible()
    # Each table's rows span the sheet (app.css's layout .grid must not reach table.grid).
    widths = page.eval_on_selector_all(
        ".sheet table", "tables => tables.map(t => t.rows[0].getBoundingClientRect().width)"
    )
    sheet = page.locator(".sheet header").bounding_box()["width"]
    assert len(widths) >= 2 and all(abs(width - sheet) < 2 for width in widths)
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
