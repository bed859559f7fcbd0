"""Demo care tasks: the daily run (ten days ago, so some are late, and today), a hospital
stay and a wedding reported in the demo leader's group, and two tasks closed with photos."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from groups.models import Member, MemberStatus
from unionhome.demo import DemoContext

from .models import CareTask, TaskStatus
from .services import event_report, make_due_tasks, task_close


def _photo(rng) -> SimpleUploadedFile:
    """A small picture standing in for a visit's photo."""
    image = Image.new("RGB", (640, 480), (235, 225, 210))
    draw = ImageDraw.Draw(image)
    colour = (rng.randint(150, 220), rng.randint(40, 90), rng.randint(40, 90))
    draw.rectangle((200, 150, 440, 330), fill=colour)
    draw.ellipse((270, 60, 370, 160), fill=(250, 200, 80))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile("visit.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed(context: DemoContext) -> None:
    groups = context.shared["groups"]
    if CareTask.objects.filter(group__in=groups).exists():
        context.log("  care tasks: already there")
        return
    today, rng = context.today, context.rng
    group = groups[0]
    leader = context.shared["leader_users"].get(group.pk) or context.shared["users"]["hq"]
    members = list(
        Member.objects.filter(group=group, status=MemberStatus.ACTIVE).order_by("employee_no")[:3]
    )
    if len(members) >= 2:
        event_report(
            by=leader,
            member=members[0],
            kind="hospital",
            happened_on=today - timedelta(days=1),
            note="市人民医院骨科住院",
        )
        event_report(
            by=leader, member=members[1], kind="wedding", happened_on=today + timedelta(days=5)
        )
    made = [make_due_tasks(today - timedelta(days=10)), make_due_tasks(today)]
    # A month-old visit left undone in the leader's group and in another group of its
    # workshop union: late on their lists and on the workshop union's to-do.
    for in_group in (
        CareTask.objects.filter(group=group),
        CareTask.objects.filter(group__workshop=group.workshop).exclude(group=group),
    ):
        late = in_group.filter(status=TaskStatus.OPEN, occasion__code="not_visited").first()
        if late is not None:
            CareTask.objects.filter(pk=late.pk).update(
                for_date=today - timedelta(days=32), due_on=today - timedelta(days=2)
            )
    # Two visits done, with their photos (the reported hospital stay stays open).
    closed = 0
    for task in (
        CareTask.objects.filter(group=group, status=TaskStatus.OPEN, hq=False, event=None)
        .exclude(due_on__lt=today)
        .order_by("due_on", "pk")[:2]
    ):
        task_close(
            by=leader,
            task=task,
            visited_on=today,
            visitors=leader.name,
            gift_value=task.gift_standard,
            note="代表工会小组看望",
            photo=_photo(rng),
        )
        closed += 1
    total = sum(sum(v for k, v in counts.items() if k != "cancelled") for counts in made)
    context.log(f"  care tasks: {total} made by the daily run, {closed} closed with photos")
