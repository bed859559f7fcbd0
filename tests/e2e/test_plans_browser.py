"""A planned activity from the year plan to the monthly report and the 台账, in the browser
on a phone: the leader plans it with the creation plan and submits both; the workshop union
reads it under the plan and approves; on the day the leader records it as held with who
came and a photo; on the monthly report the leader adds the sign-in sheet's photo, and the
report shows the activity planned and held beside it; HQ builds the workshop union's
binders in the background and downloads the zip, which holds each group's PDF."""

import io
import zipfile
from datetime import date

from django.urls import reverse

from accounts.models import Role
from homes import services as homes
from homes.models import CreationPlan, CreationYear, PlanStatus
from plans.models import PlannedActivity
from tests import files
from tests.factories import UserFactory, today, workshop_user


def as_user(page, log_in, username):
    page.context.clear_cookies()
    log_in(username)


def test_a_planned_activity_from_the_year_plan_to_the_monthly_report(
    page, log_in, org, leader_a1, tmp_path
):
    day = today()
    CreationYear.objects.create(
        year=day.year,
        declarations_open=date(day.year, 1, 1),
        declarations_close=date(day.year, 12, 31),
    )
    workshop_user(org.a, username="ws_a", name="王车间")
    plan = homes.plan_save(
        group=org.A1,
        year=day.year,
        by=leader_a1,
        target_level="qualified",
        rules="每月一次小组会",
        core=[{"member": org.members["A1"][0].pk, "post": "组长"}],
        measures={"political_study": "每周一次读报"},
    )

    # The leader plans an activity for today on the year plan (their phone opens on it).
    log_in("leader_a1")
    page.goto("/plans/")
    page.wait_for_url(f"**/plans/groups/{org.A1.pk}/{day.year}/")
    page.click(f"a[href='/plans/groups/{org.A1.pk}/{day.year}/items/new/']")
    page.fill("#id_planned_on", day.isoformat())
    page.fill("#id_title", "读书分享会")
    page.fill("#id_place", "班组活动室")
    page.click("form.stacked button.btn.primary")
    page.wait_for_url(f"**/plans/groups/{org.A1.pk}/{day.year}/")
    item = PlannedActivity.objects.get()
    assert not item.added_after_approval

    # … and submits the creation plan with it.
    page.goto(reverse("homes:plan_edit", args=[org.A1.pk, day.year]))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交车间工会").click()
    page.wait_for_url(f"**/homes/plans/{plan.pk}/")

    # The workshop union reads the planned activities under the plan and approves.
    as_user(page, log_in, "ws_a")
    page.goto(reverse("homes:plan", args=[plan.pk]))
    assert "读书分享会" in page.locator("#planned-activities").inner_text()
    page.get_by_role("button", name="批准计划").click()
    page.wait_for_url(f"**/homes/plans/{plan.pk}/")
    assert CreationPlan.objects.get().status == PlanStatus.APPROVED

    # On the day the leader records it as held, with who came and a photo.
    as_user(page, log_in, "leader_a1")
    page.goto(reverse("plans:month", args=[org.A1.pk, day.year, day.month]))
    page.click(f"a[href='/plans/items/{item.pk}/hold/']")
    assert page.input_value("#id_title") == "读书分享会"
    came = org.members["A1"][:2]
    for member in came:
        page.check(f"input[name=participants][value='{member.pk}']")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(files.jpeg().read())
    page.set_input_files("input[name=files]", str(photo))
    page.click("form.stacked button.btn.primary")
    page.wait_for_url("**/activities/*/")
    item.refresh_from_db()
    assert set(item.activity.participants.all()) == set(came)
    assert item.activity.attachments.count() == 1

    # On the monthly report the leader adds the sign-in sheet's photo; the report shows the
    # activity planned and held, and the photo beside it.
    page.goto(reverse("activities:report_detail", args=[org.A1.pk, day.year, day.month]))
    assert "读书分享会" in page.locator("#plan-held").inner_text()
    assert page.locator("#id_photo").get_attribute("capture") == "environment"
    sheet = tmp_path / "签到表.jpg"
    sheet.write_bytes(files.jpeg().read())
    page.select_option("#id_kind", value="signin")
    page.set_input_files("#id_photo", str(sheet))
    with page.expect_navigation():
        page.locator("#report-files button[type=submit]").last.click()
    files_card = page.locator("#report-files")
    assert "签到表.jpg" in files_card.inner_text()
    assert files_card.locator("img").count() == 1
    assert "读书分享会" in page.locator("#plan-held").inner_text()

    # HQ builds the workshop union's binders in the background and downloads the zip.
    UserFactory(role=Role.HQ, username="hq_binders")
    as_user(page, log_in, "hq_binders")
    page.goto(f"/binders/?year={day.year}")
    page.locator(
        f"form[action='{reverse('binders:workshop_zip', args=[org.a.pk, day.year])}'] button"
    ).click()
    page.wait_for_url("**/jobs/*/")
    page.wait_for_selector("#job-download", timeout=120_000)
    with page.expect_download() as download:
        page.click("#job-download")
    path = download.value.path()
    with zipfile.ZipFile(io.BytesIO(open(path, "rb").read())) as archive:
        names = archive.namelist()
    assert len(names) == org.a.groups.count()
    assert any(org.A1.name in name for name in names)
