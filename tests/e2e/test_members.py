"""A group leader works on a phone: opens the group's page and enrols a new member."""

from groups.models import Member


def test_group_leader_adds_a_member_from_the_group_page(page, log_in, org, leader_a1):
    log_in("leader_a1")
    # Home page: the leader's way into their own group.
    page.get_by_role("link", name="我的小组", exact=True).click()
    page.wait_for_url(f"**/org/groups/{org.A1.pk}/")
    assert page.locator("h1").inner_text().startswith("运行一班")
    for member in org.members["A1"]:
        assert page.locator("#group-members").get_by_text(member.name).is_visible()

    page.get_by_role("link", name="新增会员").click()
    page.fill("#id_employee_no", "66688")
    page.fill("#id_name", "林晓燕")
    page.get_by_label("女").check()
    page.fill("#id_birth_date", "1993-04-18")
    page.fill("#id_phone", "1390000")  # a mistake first: the form keeps everything
    page.get_by_role("button", name="保存").click()
    assert "请填写 11 位手机号" in page.locator("#id_phone_error").inner_text()
    assert page.input_value("#id_name") == "林晓燕"

    page.fill("#id_phone", "13900001234")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/members/*/")
    assert "已新增会员 林晓燕" in page.locator(".messages").inner_text()

    member = Member.objects.get(employee_no="66688")
    assert (member.group, member.gender, member.phone) == (org.A1, "F", "13900001234")
    page.goto(f"/org/groups/{org.A1.pk}/")
    assert page.locator("#group-members").get_by_text("林晓燕").is_visible()


def test_phone_menu_opens_and_closes(page, log_in, org, leader_a1):
    log_in("leader_a1")
    menu = page.locator("#mainnav")
    assert not menu.is_visible()
    page.get_by_role("button", name="菜单").click()
    assert menu.get_by_role("link", name="会员").is_visible()
