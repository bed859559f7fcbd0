"""A 小家 from its plan to its certificate, in the browser: HQ opens the year in the admin
site; the group leader writes the plan on a phone and the workshop union approves it; the
leader self-assesses and declares; the workshop union recommends; HQ forms a panel of two
and gives it the declaration; each member inspects on site and the panel's leader signs
off; HQ publishes the notice; a leader of another group objects and HQ answers; after the
notice HQ names the small home under its 文号; the leader prints the certificate."""

from datetime import timedelta

from accounts.models import Role
from accounts.services import hq_group_sync_permissions, user_create
from homes.models import Declaration, DeclarationStatus, HomeTitle, Notice
from tests.factories import PASSWORD, leader_user, today, workshop_user


def as_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(username)


def test_a_small_home_from_plan_to_certificate(page, log_in, org, leader_a1):
    hq_group_sync_permissions()
    user_create(username="hq_e2e", name="刘芳", password=PASSWORD, role=Role.HQ)
    workshop_user(org.a, username="ws_a", name="王车间")
    workshop_user(org.b, username="chair_b", name="赵主席")
    user_create(username="eval_e2e", name="陈静", password=PASSWORD, role=Role.EVALUATOR)
    leader_user(org.A2, username="leader_a2", name="孙组长")
    day = today()
    year = day.year

    # HQ opens the year of creation in the admin site.
    log_in("hq_e2e")
    page.goto("/admin/homes/creationyear/add/")
    page.fill("#id_year", str(year))
    page.fill(
        "#id_declarations_open",
        max(day - timedelta(days=20), day.replace(month=1, day=1)).isoformat(),
    )
    page.fill(
        "#id_declarations_close",
        min(day + timedelta(days=20), day.replace(month=12, day=31)).isoformat(),
    )
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/homes/creationyear/")

    # The leader writes the plan on a phone and submits it.
    as_user(page, log_in, "leader_a1")
    page.goto("/homes/")
    page.wait_for_url(f"**/homes/groups/{org.A1.pk}/")
    page.get_by_role("link", name=f"填写{year}年度创建计划").click()
    page.fill("#id_rules", "每月一次小组会；组务公开；困难职工帮扶")
    member = org.members["A1"][0]
    page.fill(f"#id_core_{member.pk}", "组长")
    page.fill("#id_measure_political_study", "每周一次读报学习")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交车间工会").click()
    page.wait_for_url("**/homes/plans/*/")
    assert "待车间工会审核" in page.locator("h1").inner_text()

    # The workshop union approves it.
    as_user(page, log_in, "ws_a")
    page.get_by_role("link", name="待审核的创建计划").click()
    page.get_by_role("link", name="运行一班").first.click()
    page.get_by_role("button", name="批准计划").click()
    assert "已批准" in page.locator("h1").inner_text()

    # The leader self-assesses and declares.
    as_user(page, log_in, "leader_a1")
    page.goto(f"/homes/groups/{org.A1.pk}/")
    page.get_by_role("button", name="开始自评").click()
    page.wait_for_url("**/homes/declarations/*/edit/")
    for field in page.locator("input[name^=self_]").all():
        field.fill("3")
    page.fill("#id_summary", "坚持组务公开，开展技术比武和师带徒。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="申报", exact=True).click()
    page.wait_for_url("**/homes/declarations/*/")
    declaration = Declaration.objects.get()
    assert declaration.status == DeclarationStatus.DECLARED

    # The workshop union recommends it for 合格.
    as_user(page, log_in, "ws_a")
    page.goto(f"/homes/declarations/{declaration.pk}/")
    page.get_by_role("link", name="审核推荐").click()
    page.select_option("#id_level", label="合格")
    page.fill("#id_opinion", "材料齐全，同意推荐")
    page.get_by_role("button", name="推荐").click()
    assert "车间工会已推荐" in page.locator("h1").inner_text()

    # HQ forms a panel of two from outside workshop union A and gives it the declaration.
    as_user(page, log_in, "hq_e2e")
    page.goto("/homes/panels/")
    page.fill("#id_name", "第一考评小组")
    page.select_option("#id_leader", label="赵主席（chair_b）")
    page.select_option("#id_members", label=["赵主席（chair_b）", "陈静（eval_e2e）"])
    page.get_by_role("button", name="组建验收小组").click()
    page.goto(f"/homes/declarations/{declaration.pk}/")
    page.select_option("#id_panel", label="第一考评小组")
    page.get_by_role("button", name="交验收小组").click()
    assert "验收考核中" in page.locator("h1").inner_text()

    # Each member inspects on site (82 and 78 points) and submits.
    for username, points in (("chair_b", "82"), ("eval_e2e", "78")):
        as_user(page, log_in, username)
        page.goto(f"/homes/declarations/{declaration.pk}/")
        page.get_by_role("link", name="填写验收记录").click()
        for item in page.locator("fieldset.line").all():
            item.get_by_label("通过", exact=True).check()
        fields = page.locator("input[name^=points_]").all()
        fields[0].fill("10")
        remaining = int(points) - 10
        for field in fields[1:]:
            maximum = float(field.get_attribute("max"))
            give = min(maximum, remaining)
            field.fill(f"{give:g}")
            remaining -= give
        page.get_by_role("button", name="提交验收记录").click()
        # Submitting scores the record; on a loaded CI machine it can take a while.
        page.wait_for_url(f"**/homes/declarations/{declaration.pk}/", timeout=45_000)

    # The panel's leader signs off: the mean of 82 and 78 is 80, enough for 合格.
    as_user(page, log_in, "chair_b")
    page.goto(f"/homes/declarations/{declaration.pk}/")
    page.fill("#id_opinion", "台账齐全，阵地规范")
    page.get_by_role("button", name="签署").click()
    assert page.locator("#panel-total").inner_text() == "80.00"

    # HQ publishes the notice.
    as_user(page, log_in, "hq_e2e")
    page.goto(f"/homes/notices/new/?year={year}")
    page.get_by_label("锅炉车间 · 运行一班", exact=False).check()
    page.get_by_role("button", name="发布").click()
    page.wait_for_url("**/homes/notices/*/")
    notice = Notice.objects.get()

    # The leader of another group objects while it runs; HQ answers.
    as_user(page, log_in, "leader_a2")
    page.goto(f"/homes/notices/{notice.pk}/")
    page.select_option("#id_declaration", label="锅炉车间 · 运行一班")
    page.fill("#id_text", "小组会记录有补记的情况")
    page.get_by_role("button", name="提交异议").click()
    as_user(page, log_in, "hq_e2e")
    page.goto(f"/homes/notices/{notice.pk}/")
    assert "孙组长" in page.locator("#objections").inner_text()
    page.fill("#id_answer", "经核实，记录为当月所记，异议不成立")
    page.get_by_role("button", name="答复").click()

    # The notice's days pass; HQ names the small home under its 文号.
    Notice.objects.filter(pk=notice.pk).update(
        starts_on=day - timedelta(days=8), ends_on=day - timedelta(days=1)
    )
    page.goto(f"/homes/notices/{notice.pk}/")
    page.get_by_role("link", name="命名职工小家").click()
    page.fill("#id_document_no", f"矿工发〔{year}〕21号")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="命名", exact=True).click()
    page.wait_for_url("**/homes/namings/*/")
    assert "运行一班" in page.locator("body").inner_text()
    title = HomeTitle.objects.get()
    assert (title.level, title.document.document_no) == ("qualified", f"矿工发〔{year}〕21号")

    # The leader sees the title and prints the certificate.
    as_user(page, log_in, "leader_a1")
    page.goto(f"/homes/groups/{org.A1.pk}/")
    assert "合格职工小家" in page.locator("#title").inner_text()
    page.get_by_role("link", name="打印证书").click()
    text = page.locator("#certificate").inner_text()
    assert f"{year}年度“合格职工小家”" in text and title.certificate_no in text

    # On screen the certificate keeps the site's menu; printed, it is one A4 sheet alone.
    assert page.locator("#mainnav").count() == 1
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1
