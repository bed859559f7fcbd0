"""HQ opens a period, issues ballots; a member votes from the ballot link; an evaluator
enters scores; HQ computes and publishes; the group leader sees the scorecard."""

import re

from accounts.models import Role
from accounts.services import hq_group_sync_permissions, user_create
from scoring.models import AssessmentPeriod, GroupResult, SurveyAnswer
from tests.factories import PASSWORD, today


def test_assessment_from_period_to_scorecard(page, browser, live_server, log_in, org, leader_a1):
    hq_group_sync_permissions()
    user_create(username="hq_e2e", name="刘芳", password=PASSWORD, role=Role.HQ)
    user_create(username="eval_e2e", name="陈静", password=PASSWORD, role=Role.EVALUATOR)
    year = today().year

    # HQ opens the period in the admin site, with its evaluator.
    log_in("hq_e2e")
    page.goto("/admin/scoring/assessmentperiod/add/")
    page.fill("#id_name", f"{year}年度")
    page.fill("#id_start", f"{year}-01-01")
    page.fill("#id_end", f"{year}-12-31")
    page.select_option("#id_evaluators_from", label="陈静")
    page.click("#id_evaluators_add")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/scoring/assessmentperiod/")
    period = AssessmentPeriod.objects.get()

    # … and issues the 民主测评 ballots for group A1: one slip per member.
    page.goto(f"/assessment/{period.pk}/ballots/")
    row = page.locator("#ballot-table tr", has_text="运行一班")
    with page.expect_navigation():
        row.get_by_role("button", name="发放").click()
    codes = re.findall(r"\b[2-9A-HJ-NP-Z]{8}\b", page.locator(".slips").inner_text())
    assert len(codes) == 3
    assert page.locator(".slip-qr svg").count() == 3

    # A member votes from the link on the slip, with no account, on a phone.
    voter = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, base_url=live_server.url
    ).new_page()
    voter.goto(f"/b/{codes[0]}/")
    for question in voter.locator("fieldset").all():
        question.get_by_label("满意", exact=True).check()
    voter.get_by_role("button", name="提交").click()
    assert "已计入" in voter.locator("body").inner_text()
    voter.goto(f"/b/{codes[0]}/")
    assert "已经使用" in voter.locator("body").inner_text()
    assert SurveyAnswer.objects.count() == 1
    voter.context.close()  # no request of the voter's tab outlives the test

    # The evaluator scores the group.
    page.context.clear_cookies()
    log_in("eval_e2e")
    page.goto(f"/assessment/{period.pk}/evaluate/{org.A1.pk}/")
    for field in page.locator("input[name^=points_]").all():
        field.fill("4")
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_url(f"**/assessment/{period.pk}/evaluate/**")

    # HQ computes and publishes.
    page.context.clear_cookies()
    log_in("hq_e2e")
    page.goto(f"/assessment/{period.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="计算考核结果").click()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="发布").click()
    result = GroupResult.objects.get(run__period=period, group=org.A1)
    assert result.run.is_published

    # The group leader sees the scorecard from the group's page.
    page.context.clear_cookies()
    log_in("leader_a1")
    page.goto(f"/org/groups/{org.A1.pk}/")
    page.get_by_role("link", name="考核得分").click()
    page.wait_for_url(f"**/assessment/{period.pk}/groups/{org.A1.pk}/")
    assert page.locator("#total").inner_text() == str(result.total)
    assert page.locator("#breakdown").get_by_text("民主测评满意率").is_visible()
