"""What the campaign and donation pages show, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse

from accounts.scoping import VIEW

from .models import (
    CONFIRM,
    Campaign,
    CampaignEntry,
    CampaignStatus,
    CampaignWorkshop,
    Donation,
    DonationDrive,
    DonationGrant,
)

ZERO = Decimal("0.00")


def waiting_for_confirmation(user):
    """The campaigns with a list of one of the user's workshop unions still to confirm."""
    return Campaign.objects.filter(
        status=CampaignStatus.PROPOSED,
        pk__in=CampaignWorkshop.objects.restrict(user, CONFIRM)
        .filter(confirmed_at__isnull=True)
        .values("campaign"),
    )


def ready_for_approval(user):
    """Proposed campaigns whose every workshop union has confirmed its list."""
    return (
        Campaign.objects.restrict(user, VIEW)
        .filter(status=CampaignStatus.PROPOSED)
        .exclude(workshops__confirmed_at__isnull=True)
    )


def campaign_list(*, user, waiting: str = ""):
    """The campaigns the user sees, with their list's size and total in the user's reach
    (three queries: campaigns, entries' sums, the user's parts). `waiting`: "confirm" or
    "approve", the to-do list's links (exactly what it counted)."""
    campaigns = Campaign.objects.restrict(user, VIEW)
    if waiting == "confirm":
        campaigns = campaigns.filter(pk__in=waiting_for_confirmation(user).values("pk"))
    elif waiting == "approve":
        campaigns = campaigns.filter(pk__in=ready_for_approval(user).values("pk"))
    campaigns = list(campaigns.select_related("kind", "fund").order_by("-year", "-pk"))
    sums = {
        row["campaign"]: row
        for row in CampaignEntry.objects.restrict(user, VIEW)
        .listed()
        .filter(campaign__in=[c.pk for c in campaigns])
        .order_by()
        .values("campaign")
        .annotate(count=Count("pk"), total=Sum("amount"))
    }
    waiting = set(
        CampaignWorkshop.objects.restrict(user, CONFIRM)
        .filter(campaign__in=[c.pk for c in campaigns], confirmed_at__isnull=True)
        .values_list("campaign", flat=True)
    )
    for campaign in campaigns:
        row = sums.get(campaign.pk, {})
        campaign.entry_count = row.get("count", 0)
        campaign.entry_total = row.get("total") or ZERO
        campaign.waits_for_me = campaign.pk in waiting and campaign.status == "proposed"
    return campaigns


@dataclass
class PartSummary:
    part: CampaignWorkshop
    count: int = 0
    total: Decimal = ZERO

    @property
    def batch_url(self) -> str:
        # funds' batch page: the 签领表 to print, the signed scan to upload (which closes it).
        return (
            reverse("funds:batch_detail", args=[self.part.batch_id]) if self.part.batch_id else ""
        )


def campaign_entries(*, user, campaign: Campaign, workshop_id: int | None = None):
    """The entries of the campaign the user sees (the whole list for HQ's welfare staff, a
    workshop union's own, a leader's group's), optionally one workshop union's."""
    entries = (
        CampaignEntry.objects.restrict(user, VIEW)
        .filter(campaign=campaign)
        .select_related("member", "workshop", "group", "visit", "payment_line__batch")
        .order_by(
            "removed", "workshop__sort_order", "workshop__pk", "group__pk", "member__name", "pk"
        )
    )
    if workshop_id:
        entries = entries.filter(workshop_id=workshop_id)
    return list(entries)


def campaign_parts(*, user, campaign: Campaign) -> list[PartSummary]:
    """Each workshop union's part in reach: confirmed or not, its entries and total, its
    batch (two queries)."""
    parts = list(
        CampaignWorkshop.objects.restrict(user, VIEW)
        .filter(campaign=campaign)
        .select_related("workshop", "confirmed_by", "batch")
    )
    sums = {
        row["workshop"]: row
        for row in CampaignEntry.objects.listed()
        .filter(campaign=campaign)
        .order_by()
        .values("workshop")
        .annotate(count=Count("pk"), total=Sum("amount"))
    }
    return [
        PartSummary(
            part,
            sums.get(part.workshop_id, {}).get("count", 0),
            sums.get(part.workshop_id, {}).get("total") or ZERO,
        )
        for part in parts
    ]


@dataclass
class DriveAccount:
    """The public account of a donation drive: money in, money out, the balance; the
    donors by name (unless they asked not to be), the recipients only counted."""

    drive: DonationDrive
    received: Decimal = ZERO
    donor_count: int = 0
    donors: list = field(default_factory=list)
    given: Decimal = ZERO
    recipient_count: int = 0
    committed: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.received - self.given


def drive_account(*, drive: DonationDrive) -> DriveAccount:
    """Three queries: the donations, the paid grants' sums, the grants waiting in a batch."""
    donations = list(drive.donations.select_related("member").order_by("received_on", "pk"))
    account = DriveAccount(drive=drive)
    account.donors = donations
    account.received = sum((d.amount for d in donations), ZERO)
    account.donor_count = len({(d.member_id, d.unit) for d in donations})
    paid = drive.grants.filter(paid_on__isnull=False).aggregate(
        total=Sum("amount"), count=Count("member", distinct=True)
    )
    account.given = paid["total"] or ZERO
    account.recipient_count = paid["count"]
    account.committed = (
        drive.grants.filter(paid_on__isnull=True).aggregate(total=Sum("amount"))["total"] or ZERO
    )
    return account


def drive_list(*, user):
    """The drives with their money received and given (two queries)."""
    drives = list(DonationDrive.objects.restrict(user, VIEW).select_related("fund"))
    received = dict(
        Donation.objects.filter(drive__in=drives)
        .order_by()
        .values("drive")
        .annotate(total=Sum("amount"))
        .values_list("drive", "total")
    )
    given = dict(
        DonationGrant.objects.filter(drive__in=drives)
        .order_by()
        .values("drive")
        .annotate(total=Sum("amount", filter=Q(paid_on__isnull=False)))
        .values_list("drive", "total")
    )
    for drive in drives:
        drive.received = received.get(drive.pk) or ZERO
        drive.given = given.get(drive.pk) or ZERO
    return drives
