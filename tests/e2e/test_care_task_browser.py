"""A group leader, on a phone, reports a member's hospital stay; the care task appears on
the task list at once, with its gift standard; the leader closes it with the visit's photo
from the phone's camera; the task is done and the visit recorded."""

import io

from PIL import Image

from caretasks.models import CareTask, TaskStatus
from groups.models import GroupPost, Post
from tests.factories import today
from welfare.models import CareVisit, VisitKind


def test_leader_reports_a_hospital_stay_and_closes_the_task_with_a_photo(
    page, log_in, org, leader_a1, tmp_path
):
    member = org.members["A1"][2]
    officer = org.members["A1"][1]
    GroupPost.objects.create(group=org.A1, post=Post.LIVELIHOOD, member=officer, since=today())
    photo = tmp_path / "visit.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 90, 60)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    log_in("leader_a1")
    page.goto(f"/members/{member.pk}/")
    page.locator(f'a[href="/care/events/new/?member={member.pk}"]').first.click()
    page.wait_for_url("**/care/events/new/**")
    page.select_option("#id_kind", value="hospital")
    page.fill("#id_note", "市人民医院骨科")
    with page.expect_navigation():
        page.locator("#event-form button[type=submit]").click()
    page.wait_for_url("**/care/tasks/")

    task = CareTask.objects.get()
    assert (task.member, task.occasion.code, task.assignee) == (member, "hospital", officer.name)
    card = page.locator(f"#task-{task.pk}")
    text = card.inner_text()
    assert member.name in text and "300.00" in text and officer.name in text

    card.locator(f'a[href="/care/tasks/{task.pk}/close/"]').click()
    page.wait_for_url(f"**/care/tasks/{task.pk}/close/")
    assert page.locator("#id_photo").get_attribute("capture") == "environment"
    assert page.locator("#id_gift_value").input_value() == "300.00"
    # The save button is a thumb's size on the phone.
    box = page.locator("#close-form button[type=submit]").bounding_box()
    assert box["height"] >= 44
    page.set_input_files("#id_photo", str(photo))
    with page.expect_navigation():
        page.locator("#close-form button[type=submit]").click()
    page.wait_for_url("**/care/tasks/")

    task.refresh_from_db()
    visit = CareVisit.objects.get()
    assert task.status == TaskStatus.DONE and task.visit == visit and task.photo
    assert (visit.member, visit.kind, visit.gift_value) == (member, VisitKind.SICK_VISIT, 300)
    page.goto("/care/tasks/?status=done")
    image = page.locator(f"#task-{task.pk} img")
    # The photo loads (lazily, after the page): wait for it rather than read it at once.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
