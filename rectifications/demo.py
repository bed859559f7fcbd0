"""Demo 整改: items raised by the inspection panels from their remarks — one closed with
evidence (a photo and a PDF), one open, one overdue — and, if the demo has fewer
inspections, items the workshop unions raise themselves. The congresses and disclosures
seeders raise their own items through the same service."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from homes.models import Inspection
from unionhome.demo import DemoContext

from .models import Kind, Rectification
from .services import (
    rectification_close,
    rectification_raise,
    rectification_raise_from_inspection,
    rectification_report,
)

PROBLEMS = [
    ("安全活动记录缺三月份", "班组安全活动台账缺少三月份记录，学习签到不全。"),
    ("班务公开栏未及时更新", "公开栏内容仍为上季度，奖金分配未按月公开。"),
    ("职工小家活动室器材破损", "活动室跑步机故障、书架图书未登记。"),
]


def _photo(rng) -> SimpleUploadedFile:
    """A small picture standing in for a photo of the work done."""
    image = Image.new("RGB", (640, 480), (225, 232, 238))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 100, 520, 380), fill=(rng.randint(40, 90), rng.randint(110, 160), 80))
    draw.rectangle((160, 140, 480, 200), fill=(250, 250, 240))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile("整改后照片.jpg", buffer.getvalue(), content_type="image/jpeg")


def _pdf() -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile("整改报告.pdf", content, content_type="application/pdf")


def seed(context: DemoContext) -> None:
    if Rectification.objects.exists():
        context.log("  rectifications: already there")
        return
    today, rng = context.today, context.rng
    hq = context.shared["users"]["hq"]
    leaders = context.shared.get("leader_users", {})
    workshop_users = context.shared.get("workshop_users", {})
    inspections = list(
        Inspection.objects.select_related("declaration__group__workshop", "inspector")
        .exclude(submitted_at=None)
        .order_by("pk")[:3]
    )
    made = []
    for index, (title, description) in enumerate(PROBLEMS):
        due_on = today + timedelta(days=20) if index != 2 else today - timedelta(days=5)
        if index < len(inspections):
            inspection = inspections[index]
            group = inspection.declaration.group
            item = rectification_raise_from_inspection(
                by=inspection.inspector,
                inspection=inspection,
                title=title,
                description=description,
                owner_department=group.name,
                owner_user=leaders.get(group.pk) or workshop_users.get(group.workshop_id),
                due_on=due_on,
            )
        else:
            group = context.shared["groups"][index]
            item = rectification_raise(
                by=workshop_users.get(group.workshop_id) or hq,
                workshop=group.workshop,
                group=group,
                kind=Kind.OTHER,
                title=title,
                description=description,
                owner_department=group.name,
                owner_user=leaders.get(group.pk),
                due_on=due_on,
            )
        made.append(item)
    if made:
        Rectification.objects.filter(pk=made[-1].pk).update(
            raised_at=made[-1].raised_at - timedelta(days=30)
        )
        first = made[0]
        reporter = first.owner_user or first.raised_by
        first = rectification_report(
            rectification=first,
            by=reporter,
            report="已补齐三月份安全活动记录，组织全班重新学习并签到。",
            evidence_files=[_photo(rng), _pdf()],
            completed_on=today - timedelta(days=1),
        )
        rectification_close(rectification=first, by=first.raised_by)
    context.log(f"  rectifications: {len(made)} items (1 closed with evidence, 1 overdue)")
