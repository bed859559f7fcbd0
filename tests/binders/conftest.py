"""Binder fixtures: a group's year of records (activities with photos, a report, a case)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from accounts.models import Role
from activities.models import Attachment, MonthlyReport
from tests.factories import ActivityFactory, UserFactory
from welfare.models import CaseType, WelfareCase

YEAR = 2025
SECRET_REASON = "肝癌晚期化疗自付九万元"


def jpeg(size=(1600, 1200), colour=(200, 60, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def add_photo(activity, by, *, thumbnail=False):
    attachment = Attachment(
        activity=activity,
        original_name="照片.jpg",
        kind="image",
        mime="image/jpeg",
        size=1,
        uploaded_by=by,
    )
    attachment.file.save("photo.jpg", ContentFile(jpeg()), save=False)
    if thumbnail:
        attachment.thumbnail.save("thumb.jpg", ContentFile(jpeg((480, 360))), save=False)
    attachment.save()
    return attachment


def year_of_records(group, by, *, per_month=1, photos=1, start_day=10):
    """`per_month` activities in each month of YEAR, each with `photos` photos."""
    members = list(group.members.all())
    activities = []
    for month in range(1, 13):
        for n in range(per_month):
            activity = ActivityFactory(
                group=group,
                title=f"{month}月活动{n + 1}",
                held_on=date(YEAR, month, start_day + n),
                recorded_by=by,
                participants=members,
            )
            for p in range(photos):
                add_photo(activity, by, thumbnail=bool(p % 2))
            activities.append(activity)
        MonthlyReport.objects.update_or_create(
            group=group, month=date(YEAR, month, 1), defaults={"summary": f"{month}月小结"}
        )
    return activities


@pytest.fixture
def welfare_hq(db):
    return UserFactory(role=Role.HQ, handles_welfare=True, username="welfare_hq")


@pytest.fixture
def plain_hq(db):
    return UserFactory(role=Role.HQ, handles_welfare=False, username="plain_hq")


@pytest.fixture
def case_a1(org, workshop_a):
    """A case of a member of A1, filed by the workshop union (so A1's leader is not its
    filer and may not read its details)."""
    return WelfareCase.objects.create(
        number="K2025-0001",
        member=org.members["A1"][0],
        case_type=CaseType.objects.filter(needs_medical_bills=False).first(),
        applied_on=date(YEAR, 3, 5),
        filed_by=workshop_a,
        reason=SECRET_REASON,
        situation="家庭收入微薄",
        amount_requested=Decimal("3000"),
    )
