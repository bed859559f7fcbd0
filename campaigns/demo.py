"""Demo campaigns (after the welfare and funds demos): last year's 元旦春节送温暖, paid and
closed; this year's, its list made and waiting for the workshop unions; and a donation drive
with a few donations and two members helped."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from funds import services as funds
from funds.models import Fund, PaymentBatch
from groups.models import Member, MemberStatus
from unionhome.demo import DemoContext
from welfare.models import HardshipClass

from . import services
from .models import Campaign, CampaignKind, DonationDrive, MemberCategory

STANDARDS = (("deep_hardship", 800), ("relative_hardship", 500), ("accident_hardship", 600))


def seed(context: DemoContext) -> None:
    if Campaign.objects.exists():
        context.log("  campaigns: already there")
        return
    hq = context.shared["users"]["hq"]
    kind = CampaignKind.objects.get(code="spring_festival")
    fund = Fund.objects.get(code="union_funds")
    today = context.today
    # The last Spring Festival's campaign, paid on 20 January: this year's once that day
    # has passed (so the year's figures show campaign money beside the cases).
    paid_year = today.year if today >= date(today.year, 1, 21) else today.year - 1
    last = _campaign(hq, kind, fund, paid_year)
    try:
        batches = services.campaign_approve(
            by=hq, campaign=last, version=last.version, note="往年活动，补录"
        )
    except ValidationError as error:
        context.log(f"  campaigns: last year's not approved ({' '.join(error.messages)})")
        batches = []
    # Back to last winter: the list was approved on 10 January and paid on the 20th.
    approved = timezone.make_aware(datetime(last.year, 1, 10, 9, 30))
    Campaign.objects.filter(pk=last.pk).update(
        created_at=approved - timedelta(days=20),
        proposed_at=approved - timedelta(days=14),
        approved_at=approved,
    )
    PaymentBatch.objects.filter(pk__in=[b.pk for b in batches]).update(created_at=approved)
    for batch in batches:
        batch.refresh_from_db()
        paid_on = date(batch.year, 1, 20)
        funds.batch_close_by_transfer(
            by=hq,
            batch=batch,
            version=batch.version,
            paid_on=paid_on,
            bank_reference=f"ZH{batch.year}0120{batch.pk:03d}",
        )
    if batches:
        _visits(hq, last)
    # The next one: the list is made, the workshop unions are confirming.
    current = _campaign(hq, kind, fund, paid_year + 1)
    context.log(
        f"  campaigns: {last.title} ({len(batches)} batches), {current.title} "
        f"({current.entries.count()} members)"
    )
    _drive(context, hq)


def _campaign(hq, kind, fund, year) -> Campaign:
    campaign = services.campaign_create(by=hq, kind=kind, year=year, fund=fund, method="bank")
    classes = {c.code: c for c in HardshipClass.objects.all()}
    rows = [
        services.StandardRow(hardship_class=classes[code], amount=Decimal(amount))
        for code, amount in STANDARDS
        if code in classes
    ]
    rows.append(services.StandardRow(category=MemberCategory.MODEL_WORKER, amount=Decimal(300)))
    services.standards_set(by=hq, campaign=campaign, version=campaign.version, rows=rows)
    campaign.refresh_from_db()
    services.campaign_propose(by=hq, campaign=campaign, version=campaign.version)
    campaign.refresh_from_db()
    return campaign


def _photo(index: int):
    """A small picture standing for the photo of a visit."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40 + index * 30, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(f"走访{index}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _visits(hq, campaign) -> None:
    for index, entry in enumerate(campaign.entries.select_related("member", "campaign")[:3]):
        services.visit_add(
            by=hq,
            entry=entry,
            visited_on=date(campaign.year, 1, 18),
            visitors="工会主席、车间主席",
            photo=_photo(index),
        )


DONORS = [
    ("member", 200, False),
    ("member", 100, False),
    ("member", 500, True),
    ("unit", "机关党支部", 3000),
    ("unit", "物资供应部", 2000),
]


def _drive(context, hq) -> None:
    if DonationDrive.objects.exists():
        return
    today = context.today
    starts = max(date(today.year, 1, 1), today - timedelta(days=40))
    drive = services.drive_create(
        by=hq,
        title=f"{today.year}年爱心捐款",
        starts_on=starts,
        ends_on=starts + timedelta(days=60),
        fund=Fund.objects.get(code="donations"),
    )
    members = list(
        Member.objects.filter(status=MemberStatus.ACTIVE)
        .order_by("pk")[:12]
        .select_related("group")
    )
    for index, (kind, *rest) in enumerate(DONORS):
        received = starts + timedelta(days=index)
        if received > today:
            received = today
        if kind == "member":
            amount, anonymous = rest
            services.donation_record(
                by=hq,
                drive=drive,
                member=members[index],
                amount=Decimal(amount),
                received_on=received,
                receipt_no=f"JK{today.year}{index + 1:03d}",
                anonymous=anonymous,
            )
        else:
            unit, amount = rest
            services.donation_record(
                by=hq,
                drive=drive,
                unit=unit,
                amount=Decimal(amount),
                received_on=received,
                receipt_no=f"JK{today.year}{index + 1:03d}",
            )
    for member, amount in ((members[-1], 2000), (members[-2], 1500)):
        services.grant_add(
            by=hq, drive=drive, member=member, amount=Decimal(amount), reason="家人重病住院"
        )
    context.log("  campaigns: a donation drive with 5 donations")
