"""By keyboard alone, and in larger text on a small phone: a group leader records an
activity with its participants and submits the month's report; the pages reflow."""

from activities.models import Activity, ContentArea, MonthlyReport, ReportStatus
from activities.periods import month_start, previous_month
from tests.factories import PASSWORD, today

TABS = 120  # the furthest a page's control is from its start, with room to spare


def focused(page) -> str:
    """What the keyboard is on: a control's label, or a link's or button's text."""
    return page.evaluate(
        """() => { const e = document.activeElement;
        if (!e || e === document.body || e.tagName === "MAIN") return "";
        const label = e.labels && e.labels.length ? e.labels[0].textContent : "";
        return (label || e.getAttribute("aria-label") || e.textContent || "").trim(); }"""
    )


def tab_to(page, text: str) -> None:
    """Tab until the control named `text` (its label without the 必填 mark) has the focus."""
    for _ in range(TABS):
        page.keyboard.press("Tab")
        if focused(page).removesuffix("必填").strip() == text:
            return
    raise AssertionError(f"the keyboard never reaches “{text}”")


def tab_to_link(page, start: str) -> None:
    """Tab until a link whose text begins with `start` has the focus (a card's link)."""
    for _ in range(TABS):
        page.keyboard.press("Tab")
        if focused(page).startswith(start):
            return
    raise AssertionError(f"the keyboard never reaches “{start}…”")


def test_a_leader_records_an_activity_and_submits_the_report_by_keyboard(page, org, leader_a1):
    month = previous_month(month_start(today()))
    members = org.members["A1"]
    page.goto("/accounts/login/")
    tab_to(page, "用户名")  # from the password field the autofocus left it in, round
    page.keyboard.type("leader_a1")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The first Tab of a page offers the skip link; it leads into the main content.
    page.keyboard.press("Tab")
    assert focused(page) == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    # A visible focus ring on what the keyboard is on.
    tab_to(page, "登记活动")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring != "none"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    tab_to(page, "活动内容")
    page.keyboard.press("ArrowDown")  # the second content area
    tab_to(page, "标题")
    page.keyboard.type("岗位练兵")
    tab_to(page, "日期")
    # Headless Chromium lays a date field out as month, day, year whatever the language.
    page.keyboard.type(f"{month:%m}15{month:%Y}")
    assert page.evaluate("document.activeElement.value") == f"{month:%Y-%m}-15"
    for member in members:
        tab_to(page, member.name)
        page.keyboard.press("Space")
    tab_to(page, "保存")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    activity = Activity.objects.get()
    assert activity.held_on == month.replace(day=15)
    assert (
        activity.area == ContentArea.objects.filter(is_active=True).order_by("sort_order", "pk")[1]
    )
    assert activity.participants.count() == len(members)

    # The month's report, from the home page, submitted by keyboard.
    page.goto("/")
    tab_to_link(page, f"{month.year}年{month.month}月月报")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "月度小结")
    page.keyboard.type("开展岗位练兵一次。")
    tab_to(page, "提交车间工会")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert MonthlyReport.objects.get().status == ReportStatus.SUBMITTED


def test_larger_text_on_a_small_phone_is_kept_and_nothing_spills(page, log_in, org, leader_a1):
    page.set_viewport_size({"width": 320, "height": 640})
    log_in("leader_a1")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
    with page.expect_navigation():
        page.get_by_role("button", name="大字模式").click()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    assert page.get_by_role("button", name="大字模式").get_attribute("aria-pressed") == "true"
    leader_a1.refresh_from_db()
    assert leader_a1.large_text  # kept for the user, on every device
    month = previous_month(month_start(today()))
    for url in (
        "/",
        "/activities/",
        "/activities/new/",
        "/reports/",
        f"/reports/{org.A1.pk}/{month:%Y-%m}/",
    ):
        page.goto(url)
        assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
