"""The rubric in a browser: HQ copies this year's rubric into the next, adds a band row, a
bonus item and a gate, and freezes it; an evaluator scores two groups with "save and
next"; HQ is stopped by the publish guard, marks the gaps 不适用 and publishes; a group
leader reads the scorecard on a phone, the points within the screen."""

from datetime import date

from accounts.models import Role
from accounts.services import hq_group_sync_permissions, user_create
from scoring.models import (
    AdjustmentItem,
    AssessmentPeriod,
    Gate,
    Indicator,
    RubricVersion,
)
from tests.factories import PASSWORD, accepted_home


def test_next_years_rubric_from_the_admin_site_to_a_leaders_phone(
    page, browser, live_server, log_in, org, leader_a1
):
    hq_group_sync_permissions()
    user_create(username="hq_e2e", name="刘芳", password=PASSWORD, role=Role.HQ)
    evaluator = user_create(
        username="eval_e2e", name="陈静", password=PASSWORD, role=Role.EVALUATOR
    )
    this_year = RubricVersion.objects.get()
    accepted_home(org.A1, org.A2)

    # HQ, at a desk, copies the rubric into the next year.
    desk = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    ).new_page()
    desk.goto("/accounts/login/")
    desk.fill("#id_username", "hq_e2e")
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_url("**/")
    desk.goto("/admin/scoring/rubricversion/")
    desk.check(f"input[name=_selected_action][value='{this_year.pk}']")
    desk.select_option("select[name=action]", "copy_to_next_year")
    desk.click("button[name=index]")
    assert "（草稿）" in desk.locator(".messagelist").inner_text()
    next_year = RubricVersion.objects.get(year=this_year.year + 1)

    # … adds a band row to 小组会议与民主管理 and a bonus item to its criterion …
    desk.goto(f"/admin/scoring/rubricversion/{next_year.pk}/change/")
    desk.locator("#criteria-group tr", has_text="民主有序").get_by_role("link", name="编辑").click()
    meetings = desk.locator(
        ".inline-related.has_original", has=desk.locator("h3", has_text="小组会议与民主管理")
    )
    prefix = meetings.get_attribute("id")  # indicators-N
    desk.fill(f"[name='{prefix}-steps_6']", "3")
    desk.fill(f"[name='{prefix}-steps_7']", "45")
    desk.fill("#id_bonus_cap", "2")
    desk.locator("#adjustment_items-group").get_by_text("添加另一个").click()
    desk.select_option("#id_adjustment_items-0-kind", "bonus")
    desk.fill("#id_adjustment_items-0-name", "合理化建议被采纳")
    desk.fill("#id_adjustment_items-0-points_each", "1")
    desk.fill("#id_adjustment_items-0-cap", "2")
    desk.click("input[name=_save]")
    desk.wait_for_url("**/admin/scoring/criterion/")
    meetings = Indicator.objects.get(criterion__version=next_year, code="democratic_records")
    assert [3, 0.45] in meetings.steps
    assert AdjustmentItem.objects.get(criterion__version=next_year).name == "合理化建议被采纳"

    # … a gate: 模范 needs a survey approval of at least 85 % …
    desk.goto(f"/admin/scoring/rubricversion/{next_year.pk}/change/")
    desk.locator("#gates-group").get_by_text("添加另一个").click()
    desk.fill("#id_gates-0-name", "职工满意率")
    desk.select_option("#id_gates-0-level", "model")
    desk.select_option("#id_gates-0-metric", "survey.approval_rate")
    desk.fill("#id_gates-0-at_least", "0.85")
    desk.click("input[name=_save]")
    desk.wait_for_url("**/admin/scoring/rubricversion/")
    assert Gate.objects.get(version=next_year).level == "model"

    # … and freezes it: from now on it is read-only.
    desk.check(f"input[name=_selected_action][value='{next_year.pk}']")
    desk.select_option("select[name=action]", "freeze")
    desk.click("button[name=index]")
    assert "已冻结" in desk.locator(".messagelist").inner_text()
    next_year.refresh_from_db()
    assert next_year.is_frozen

    period = AssessmentPeriod.objects.create(
        name=f"{next_year.year}年第一季度",
        start=date(next_year.year, 1, 1),
        end=date(next_year.year, 3, 31),
    )
    period.evaluators.add(evaluator)
    assert period.rubric == next_year

    # The evaluator, on a phone, scores A1 then A2 with "save and next".
    log_in("eval_e2e")
    page.goto(f"/assessment/{period.pk}/evaluate/{org.A1.pk}/")
    for field in page.locator("input[name^=points_]").all():
        field.fill("8")
    page.get_by_role("button", name="保存并评下一个小组").click()
    page.wait_for_url(f"**/assessment/{period.pk}/evaluate/{org.A2.pk}/")
    assert "已评 1 / 4 个小组" in page.locator("#desk-progress").inner_text()
    for field in page.locator("input[name^=points_]").all():
        field.fill("9")
    page.get_by_role("button", name="保存并评下一个小组").click()
    page.wait_for_url(f"**/assessment/{period.pk}/evaluate/{org.B1.pk}/")

    # HQ computes; the publish guard stops the publication: no survey was held.
    desk.goto(f"/assessment/{period.pk}/")
    with desk.expect_navigation():
        desk.get_by_role("button", name="计算考核结果").click()
    desk.once("dialog", lambda dialog: dialog.accept())
    with desk.expect_navigation():
        desk.get_by_role("button", name="发布").click()
    assert "项得分缺失" in desk.locator(".messages").inner_text()
    assert not period.runs.get().is_published

    # HQ marks what is missing 不适用, computes again (a gate changes levels), publishes.
    for box in desk.locator("#completeness input[name=keys]").all():
        box.check()
    desk.fill("#id_reason", "本季度未组织民主测评")
    with desk.expect_navigation():
        desk.get_by_role("button", name="标为不适用").click()
    with desk.expect_navigation():
        desk.get_by_role("button", name="计算考核结果").click()
    desk.once("dialog", lambda dialog: dialog.accept())
    with desk.expect_navigation():
        desk.get_by_role("button", name="发布").click()
    assert period.runs.get().is_published
    desk.context.close()

    # The leader of A1 reads the scorecard on the phone: every line's points on screen.
    page.context.clear_cookies()
    log_in("leader_a1")
    page.goto(f"/assessment/{period.pk}/groups/{org.A1.pk}/")
    assert "本季度未组织民主测评" in page.locator("#breakdown").inner_text()
    points = page.locator("#breakdown tbody tr:not(.criterion-row) td.num.nowrap:not(.hide-sm)")
    assert points.count() > 5
    for cell in points.all():
        box = cell.bounding_box()
        assert box and box["x"] + box["width"] <= 390, cell.inner_text()
    assert "/ 10.00" in page.locator("#breakdown").inner_text()
