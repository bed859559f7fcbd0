"""A member's own login: the group leader prints the slip, the member opens the login on
their phone, sees their record and their group's calendar, and nobody else's page."""

import re

from django.utils import timezone

from tests.factories import ActivityFactory

PASSWORD = "Hongqi-Road-2026"


def test_a_leader_issues_a_code_and_the_member_opens_their_login_on_a_phone(
    browser, live_server, page, log_in, org, leader_a1
):
    member, other = org.members["A1"][0], org.members["A1"][1]
    ActivityFactory(
        group=org.A1,
        title="班组安全学习",
        held_on=timezone.localdate(),
        recorded_by=leader_a1,
        participants=[member, other],
    )
    # The leader, on the member's page: 开通登录, and the slip is printed at once.
    log_in("leader_a1")
    page.goto(f"/members/{member.pk}/")
    page.locator(".actions").get_by_role("link", name=re.compile("登录|login", re.I)).first.click()
    page.wait_for_url(f"**/members/{member.pk}/login/")
    page.locator("#content form button.primary").click()
    code = page.locator("[data-code]").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", code)
    slip = page.locator(".slip").inner_text()
    assert member.name in slip and "/activate/" in slip
    assert page.locator(".slip-qr svg").count() == 1

    # The member, on their own phone (a new browser): the activation address from the slip.
    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    tab = phone.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(f"/activate/?no={member.employee_no}")
    assert tab.input_value("#id_employee_no") == member.employee_no
    tab.fill("#id_code", code.lower())
    tab.fill("#id_password", PASSWORD)
    tab.fill("#id_password_again", PASSWORD)
    tab.locator("#content form button.primary").click()
    tab.wait_for_url(f"{live_server.url}/")
    # Their own page: their record and their group's calendar, one column on the phone.
    assert tab.locator("h1").inner_text().strip() == member.name
    record = tab.locator("#my-record").locator("xpath=..").inner_text()
    assert member.employee_no in record and member.phone in record
    calendar = tab.locator("#my-group").locator("xpath=..")
    assert calendar.get_by_role("link", name="班组安全学习").first.is_visible()
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px phone"
    assert other.name not in tab.content()
    # The group's calendar opens; another member's page does not exist for them.
    tab.goto(f"/activities/calendar/{org.A1.pk}/")
    assert "班组安全学习" in tab.content()
    response = tab.goto(f"/members/{other.pk}/")
    assert response.status == 404
    assert other.name not in tab.content()
    phone.close()
    assert errors == []
