"""HQ follows a figure from the dashboard down to the records behind it."""

from datetime import date

from accounts.models import Role
from accounts.services import user_create
from tests.factories import PASSWORD, ActivityFactory, area, today


def test_hq_drills_down_from_a_chart_bar_to_the_activities(page, log_in, org):
    hq = user_create(username="hq_dash", name="刘芳", password=PASSWORD, role=Role.HQ)
    year = today().year
    ActivityFactory(
        group=org.A1,
        area=area("recreation"),
        title="拔河比赛",
        held_on=date(year, 1, 8),
        recorded_by=hq,
    )
    ActivityFactory(
        group=org.B1,
        area=area("recreation"),
        title="登山活动",
        held_on=date(year, 1, 9),
        recorded_by=hq,
    )
    ActivityFactory(
        group=org.B1,
        area=area("skills"),
        title="技术问答",
        held_on=date(year, 1, 9),
        recorded_by=hq,
    )

    log_in("hq_dash")
    assert page.locator("#activity-total").inner_text() == "3"
    # On the phone the charts' words and numbers read at text size, and nothing spills
    # sideways off the screen.
    sizes = page.eval_on_selector_all(
        ".hbar-label, .hbar-value, .column-label, .column-value",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert len(sizes) > 12 and min(sizes) >= 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The 文体活动 bar of the chart leads to those activities, and only those.
    page.locator(".hbars a", has_text="文体活动").first.click()
    page.wait_for_url("**/activities/?area=*")
    titles = page.locator("#activity-table tbody tr td:nth-child(2)").all_inner_texts()
    assert sorted(titles) == ["拔河比赛", "登山活动"]
    # … and one of them opens as the record itself.
    page.get_by_role("link", name="登山活动").click()
    page.wait_for_url("**/activities/*/")
    assert "运行甲班" in page.locator(".page-head").inner_text()
