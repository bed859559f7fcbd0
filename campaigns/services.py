"""Changes to campaigns and donation drives. Every function checks the acting user with the
scope rules, runs in one transaction and raises ValidationError with the reason; nothing is
half-written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import CHANGE, require_allowed
from funds import services as funds
from funds.models import PaymentBatch
from groups.models import Member, MemberStatus, WorkshopUnion
from unionhome import uploads
from welfare.models import HardshipRecord, HardshipStatus, VisitKind
from welfare.services import money, visit_record
from welfare.services.rules import months_before

from .models import (
    APPROVE,
    CATEGORY_FILTERS,
    CONFIRM,
    PROPOSE,
    VISIT,
    Campaign,
    CampaignEntry,
    CampaignKind,
    CampaignStandard,
    CampaignStatus,
    CampaignVisit,
    CampaignWorkshop,
    Donation,
    DonationDrive,
    DonationGrant,
    DriveStatus,
    MemberCategory,
)

# An archive entry counts for a campaign when it was reviewed within this many days of the
# day the list is made (the archive is reviewed every year: 动态管理).


class ConcurrentChange(ValidationError):
    """Somebody else changed the campaign since the page was loaded."""


def _now():
    return timezone.now()


def _today() -> date:
    return timezone.localdate()


def _reason(value: str, field: str = "reason") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("Give the reason.")})
    return value


def _locked(campaign: Campaign, version: int | None = None) -> Campaign:
    campaign = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("fund", "kind")
        .get(pk=campaign.pk)
    )
    if version is not None and campaign.version != version:
        raise ConcurrentChange(
            _("Somebody changed this campaign while you were working on it; look at it again.")
        )
    return campaign


def _bump(campaign: Campaign, *fields: str) -> None:
    campaign.version += 1
    campaign.save(update_fields=["version", *fields])


# Campaigns ----------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    prefix = f"SW{year}-"
    last = Campaign.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:02d}"


def previous_campaign(*, kind: CampaignKind, year: int) -> Campaign | None:
    """The latest campaign of the kind before `year`, whose standards a new one may copy."""
    return (
        Campaign.objects.filter(kind=kind, year__lt=year)
        .order_by("-year", "-pk")
        .prefetch_related("standards")
        .first()
    )


@transaction.atomic
def campaign_create(
    *,
    by,
    kind: CampaignKind,
    year: int,
    fund,
    method: str = "cash",
    title: str = "",
    copy_standards: bool = False,
) -> Campaign:
    """Start a campaign in draft (HQ). With `copy_standards`, the standards of last year's
    campaign of the kind are copied (HQ edits them before making the list)."""
    campaign = Campaign(
        kind=kind,
        year=year,
        fund=fund,
        method=method,
        title=(title or "").strip() or f"{year}年{kind.name}",
        created_by=by,
    )
    require_allowed(by, CHANGE, campaign)
    campaign.number = _next_number(year)
    campaign.full_clean()
    campaign.save()
    if copy_standards:
        earlier = previous_campaign(kind=kind, year=year)
        if earlier is None:
            raise ValidationError(
                {"copy_standards": _("There is no earlier campaign of this kind to copy.")}
            )
        CampaignStandard.objects.bulk_create(
            CampaignStandard(
                campaign=campaign,
                hardship_class_id=s.hardship_class_id,
                category=s.category,
                amount=s.amount,
            )
            for s in earlier.standards.all()
        )
    return campaign


@dataclass
class StandardRow:
    hardship_class: object = None  # welfare.HardshipClass
    category: str = ""
    amount: Decimal | None = None


@transaction.atomic
def standards_set(*, by, campaign: Campaign, version: int, rows: list[StandardRow]) -> None:
    """Replace a draft campaign's standards. Each row is a hardship class or a member
    category, once each; a kind given by class only (金秋助学) takes no category."""
    require_allowed(by, PROPOSE, campaign)
    campaign = _locked(campaign, version)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("The standards can change only before the list is made."))
    seen = set()
    standards = []
    for row in rows:
        if (row.hardship_class is None) == (not row.category):
            raise ValidationError(_("Each standard is for a hardship class or a member category."))
        if row.category and campaign.kind.classes_only:
            raise ValidationError(
                _("A %(kind)s campaign is given by hardship class only.")
                % {"kind": campaign.kind.name}
            )
        key = row.hardship_class.pk if row.hardship_class is not None else row.category
        if key in seen:
            raise ValidationError(_("Each class or category may have one standard only."))
        seen.add(key)
        if row.amount is None or row.amount <= 0:
            raise ValidationError({"amount": _("The amount must be more than zero.")})
        standards.append(
            CampaignStandard(
                campaign=campaign,
                hardship_class=row.hardship_class,
                category=row.category,
                amount=money(row.amount),
            )
        )
    campaign.standards.all().delete()
    CampaignStandard.objects.bulk_create(standards)
    _bump(campaign)


@dataclass
class Proposal:
    member: Member
    standard: CampaignStandard


def current_archive(*, on: date, months: int):
    """The archive entries that count on `on`: in the archive and reviewed within the
    campaign kind's months."""
    return HardshipRecord.objects.filter(
        status=HardshipStatus.ACTIVE, last_reviewed_on__gte=months_before(on, months)
    )


def proposals(*, campaign: Campaign, on: date) -> list[Proposal]:
    """Who the campaign gives to, from the current archive and the members' flags: one
    proposal per active member, at the highest standard the member meets (a 深度困难 model
    worker gets the 深度困难 amount, not both). Among equal amounts, a hardship class goes
    before a category, so the list shows the reason that matters most."""
    standards = list(campaign.standards.select_related("hardship_class"))
    best: dict[int, tuple[tuple, Member, CampaignStandard]] = {}
    active = Member.objects.filter(status=MemberStatus.ACTIVE).select_related("group")

    def consider(member, standard):
        rank = (standard.amount, standard.hardship_class_id is not None, -standard.pk)
        if member.pk not in best or rank > best[member.pk][0]:
            best[member.pk] = (rank, member, standard)

    by_class = {s.hardship_class_id: s for s in standards if s.hardship_class_id}
    if by_class:
        records = current_archive(on=on, months=campaign.kind.review_within_months).filter(
            hardship_class__in=list(by_class), member__status=MemberStatus.ACTIVE
        )
        for record in records.select_related("member__group"):
            consider(record.member, by_class[record.hardship_class_id])
    for standard in standards:
        if standard.category:
            for member in active.filter(CATEGORY_FILTERS[MemberCategory(standard.category)]):
                consider(member, standard)
    return [Proposal(member, standard) for _rank, member, standard in best.values()]


@transaction.atomic
def campaign_propose(*, by, campaign: Campaign, version: int) -> int:
    """Make the list (HQ): one entry per eligible member, in the workshop union and group
    the member is in today; every active workshop union is asked to confirm its part.
    Returns the number of entries."""
    require_allowed(by, PROPOSE, campaign)
    campaign = _locked(campaign, version)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("The list of this campaign is already made."))
    if not campaign.standards.exists():
        raise ValidationError(_("Set the campaign's standards before making the list."))
    found = proposals(campaign=campaign, on=_today())
    CampaignEntry.objects.bulk_create(
        CampaignEntry(
            campaign=campaign,
            member=p.member,
            workshop_id=p.member.group.workshop_id,
            group_id=p.member.group_id,
            standard=p.standard,
            basis=p.standard.hardship_class.name if p.standard.hardship_class_id else "",
            category=p.standard.category,
            standard_amount=p.standard.amount,
            amount=p.standard.amount,
        )
        for p in found
    )
    CampaignWorkshop.objects.bulk_create(
        CampaignWorkshop(campaign=campaign, workshop=w)
        for w in WorkshopUnion.objects.filter(is_active=True)
    )
    campaign.status = CampaignStatus.PROPOSED
    campaign.proposed_at = _now()
    _bump(campaign, "status", "proposed_at")
    return len(found)


def _open_part(entry_campaign: Campaign, workshop_id: int) -> CampaignWorkshop:
    """The workshop union's part of a campaign while it may still change."""
    if entry_campaign.status != CampaignStatus.PROPOSED:
        raise ValidationError(_("The list can change only before the campaign is approved."))
    part = (
        CampaignWorkshop.objects.select_for_update()
        .filter(campaign=entry_campaign, workshop_id=workshop_id)
        .first()
    )
    if part is not None and part.confirmed_at is not None:
        raise ValidationError(
            _("This workshop union has confirmed its list; it can no longer change.")
        )
    return part


@transaction.atomic
def entry_adjust(*, by, entry: CampaignEntry, amount, reason: str) -> CampaignEntry:
    """Change an entry's amount (the workshop union, or HQ); the reason is required."""
    require_allowed(by, CHANGE, entry)
    campaign = _locked(entry.campaign)
    _open_part(campaign, entry.workshop_id)
    reason = _reason(reason)
    if amount is None or money(amount) <= 0:
        raise ValidationError(
            {"amount": _("The amount must be more than zero; remove the member instead.")}
        )
    entry.amount = money(amount)
    entry.change_reason = reason
    entry.changed_by, entry.changed_at = by, _now()
    entry.save(update_fields=["amount", "change_reason", "changed_by", "changed_at"])
    _bump(campaign)
    return entry


@transaction.atomic
def entry_remove(*, by, entry: CampaignEntry, reason: str) -> CampaignEntry:
    """Take a member off the list, with the reason (kept on the entry)."""
    require_allowed(by, CHANGE, entry)
    campaign = _locked(entry.campaign)
    _open_part(campaign, entry.workshop_id)
    entry.removed_reason = _reason(reason)
    entry.removed = True
    entry.changed_by, entry.changed_at = by, _now()
    entry.save(update_fields=["removed", "removed_reason", "changed_by", "changed_at"])
    _bump(campaign)
    return entry


@transaction.atomic
def entry_add(*, by, campaign: Campaign, member: Member, amount, reason: str) -> CampaignEntry:
    """Put a member the archive did not propose on the list (or back on it), with the
    amount and the reason."""
    group = member.group
    entry = CampaignEntry.objects.filter(campaign=campaign, member=member).first()
    if entry is None:
        entry = CampaignEntry(
            campaign=campaign,
            member=member,
            workshop_id=group.workshop_id,
            group=group,
            standard_amount=Decimal("0"),
            added=True,
        )
    elif not entry.removed:
        raise ValidationError(
            {"member": _("%(name)s is on the list already.") % {"name": member.name}}
        )
    require_allowed(by, CHANGE, entry)
    campaign = _locked(campaign)
    _open_part(campaign, entry.workshop_id)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError({"member": _("Only a member of the union can be put on the list.")})
    if amount is None or money(amount) <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    reason = _reason(reason)
    entry.amount = money(amount)
    if entry.pk is None:
        entry.added_reason = reason
    else:
        entry.removed = False
        entry.change_reason = reason
    entry.changed_by, entry.changed_at = by, _now()
    entry.full_clean(exclude=["campaign", "member", "workshop", "group", "standard"])
    entry.save()
    _bump(campaign)
    return entry


@transaction.atomic
def workshop_confirm(*, by, part: CampaignWorkshop) -> CampaignWorkshop:
    """A workshop union confirms its part of the list; it cannot change afterwards."""
    require_allowed(by, CONFIRM, part)
    campaign = _locked(part.campaign)
    part = _open_part(campaign, part.workshop_id)
    part.confirmed_at, part.confirmed_by = _now(), by
    part.save(update_fields=["confirmed_at", "confirmed_by"])
    _bump(campaign)
    return part


@transaction.atomic
def campaign_approve(*, by, campaign: Campaign, version: int, note: str = "") -> list[PaymentBatch]:
    """HQ approves the list and the money goes into one payment batch per workshop union
    (the campaign's fund and method). Approving before every workshop union has confirmed
    needs a note saying why. A fund that cannot pay it all refuses the whole approval:
    no batch, no line, the campaign stays as it was."""
    require_allowed(by, APPROVE, campaign)
    campaign = _locked(campaign, version)
    if campaign.status != CampaignStatus.PROPOSED:
        raise ValidationError(_("Only a campaign whose list is made can be approved."))
    note = (note or "").strip()
    waiting = campaign.workshops.filter(confirmed_at__isnull=True).select_related("workshop")
    if waiting and not note:
        raise ValidationError(
            {
                "note": _("%(names)s have not confirmed their lists; to approve now, write why.")
                % {"names": "、".join(p.workshop.name for p in waiting)}
            }
        )
    entries = list(
        campaign.entries.listed()
        .select_related("member__group", "workshop")
        .order_by("workshop__sort_order", "workshop__pk", "group__pk", "member__name", "pk")
    )
    if not entries:
        raise ValidationError(_("The list is empty: there is nobody to pay."))
    parts = {p.workshop_id: p for p in campaign.workshops.all()}
    batches = []
    try:
        # An inner savepoint: the fund's refusal undoes every batch opened so far.
        with transaction.atomic():
            current = None
            for entry in entries:
                if current is None or current.workshop_id != entry.workshop_id:
                    current = funds.batch_open(
                        by=by,
                        fund=campaign.fund,
                        method=campaign.method,
                        title=f"{campaign.title} · {entry.workshop.name}"[:100],
                        workshop=entry.workshop,
                        year=campaign.year,
                    )
                    batches.append(current)
                    part = parts.get(entry.workshop_id)
                    if part is None:
                        part = CampaignWorkshop.objects.create(
                            campaign=campaign, workshop_id=entry.workshop_id
                        )
                    part.batch = current
                    part.save(update_fields=["batch"])
                entry.payment_line = funds.batch_add_line(
                    by=by,
                    batch=current,
                    member=entry.member,
                    amount=entry.amount,
                    kind="campaign",
                    category=campaign.title,
                    reference=campaign.number,
                )
                entry.save(update_fields=["payment_line"])
    except ValidationError as error:
        messages = error.messages
        raise ValidationError(
            _("The campaign was not approved and nothing was paid: %(reason)s")
            % {"reason": " ".join(messages)}
        ) from error
    campaign.status = CampaignStatus.APPROVED
    campaign.approval_note = note
    campaign.approved_by, campaign.approved_at = by, _now()
    _bump(campaign, "status", "approval_note", "approved_by", "approved_at")
    return batches


def lines_paid(*, batch, lines, paid_on: date) -> None:
    """funds closed a batch: its campaign entries and donation grants are paid; a campaign
    whose batches are all closed is closed."""
    ids = [line.pk for line in lines]
    CampaignEntry.objects.filter(payment_line__in=ids).update(paid_on=paid_on)
    DonationGrant.objects.filter(payment_line__in=ids).update(paid_on=paid_on)
    part = CampaignWorkshop.objects.filter(batch=batch).select_related("campaign").first()
    if part is None:
        return
    campaign = Campaign.objects.select_for_update().get(pk=part.campaign_id)
    open_batches = campaign.workshops.filter(batch__isnull=False).exclude(batch=batch)
    # A batch left empty (its lines taken out) holds nothing to pay.
    still_open = open_batches.filter(batch__status="open", batch__lines__isnull=False).exists()
    if still_open:
        campaign.status = CampaignStatus.PAYING
        _bump(campaign, "status")
    else:
        campaign.status = CampaignStatus.CLOSED
        campaign.closed_on = paid_on
        _bump(campaign, "status", "closed_on")


def line_taken_out(*, line, by) -> None:
    """funds took a line out of an open batch (before deleting it): a campaign entry is
    off the list, with the batch named as the reason, so that the campaign can close
    without it; a donation grant waits to be paid again."""
    entry = CampaignEntry.objects.filter(payment_line=line).first()
    if entry is not None:
        entry.removed = True
        entry.removed_reason = _("Taken out of payment batch %(number)s") % {
            "number": line.batch.number
        }
        entry.payment_line = None
        entry.changed_by, entry.changed_at = by, _now()
        entry.save(
            update_fields=["removed", "removed_reason", "payment_line", "changed_by", "changed_at"]
        )
    DonationGrant.objects.filter(payment_line=line).update(payment_line=None)


@transaction.atomic
def visit_add(
    *, by, entry: CampaignEntry, visited_on: date, visitors: str, photo, note: str = ""
) -> CampaignVisit:
    """Record the festival visit of an entry, with its photo: the care visit goes to the
    welfare records (kind festival, the entry's amount as the gift), the photo stays here."""
    require_allowed(by, VISIT, entry)
    if entry.campaign.status in (CampaignStatus.DRAFT, CampaignStatus.PROPOSED):
        raise ValidationError(_("Visits are recorded once the campaign is approved."))
    if entry.removed:
        raise ValidationError(_("This member was taken off the list."))
    if CampaignVisit.objects.filter(entry=entry).exists():
        raise ValidationError(_("The visit of this member is already recorded."))
    if photo is None:
        raise ValidationError({"photo": _("Add a photo of the visit.")})
    file_type = uploads.validate_upload(photo)
    if file_type.kind != uploads.IMAGE:
        raise ValidationError({"photo": _("The photo must be a picture (JPEG, PNG …).")})
    care = visit_record(
        by=by,
        member=entry.member,
        kind=VisitKind.FESTIVAL,
        visited_on=visited_on,
        visitors=visitors,
        gift_value=entry.amount,
        note=entry.campaign.title[:200],
    )
    visit = CampaignVisit(entry=entry, care_visit=care, mime=file_type.mime, recorded_by=by)
    visit.photo.save(f"visit.{file_type.extension}", photo, save=False)
    visit.thumbnail.save("thumb.jpg", uploads.thumbnail(photo), save=False)
    visit.save()
    return visit


# Donation drives ---------------------------------------------------------------------------


@transaction.atomic
def drive_create(*, by, title: str, starts_on: date, ends_on: date, fund) -> DonationDrive:
    drive = DonationDrive(
        title=title.strip(), starts_on=starts_on, ends_on=ends_on, fund=fund, created_by=by
    )
    require_allowed(by, CHANGE, drive)
    drive.full_clean()
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The drive cannot end before it starts.")})
    drive.save()
    return drive


@transaction.atomic
def donation_record(
    *,
    by,
    drive: DonationDrive,
    amount,
    received_on: date,
    member: Member | None = None,
    unit: str = "",
    receipt_no: str = "",
    anonymous: bool = False,
) -> Donation:
    """Record a gift (HQ): by a member or a unit; it is the fund's income at once."""
    require_allowed(by, CHANGE, drive)
    unit = (unit or "").strip()
    if (member is None) == (not unit):
        raise ValidationError({"unit": _("Name the member or the unit who gave, one of them.")})
    if drive.status != DriveStatus.OPEN:
        raise ValidationError(_("This drive is closed."))
    if amount is None or money(amount) <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if received_on is None:
        raise ValidationError({"received_on": _("Enter the date the money was received.")})
    income = funds.record_income(
        by=by,
        fund=drive.fund,
        year=received_on.year,
        received_on=received_on,
        amount=amount,
        source=_("Donations: %(title)s") % {"title": drive.title},
        reference=receipt_no,
    )
    donation = Donation(
        drive=drive,
        member=member,
        unit=unit,
        amount=money(amount),
        received_on=received_on,
        receipt_no=(receipt_no or "").strip(),
        anonymous=anonymous,
        income=income,
        recorded_by=by,
    )
    donation.full_clean(exclude=["income", "drive", "member"])
    donation.save()
    return donation


@transaction.atomic
def grant_add(*, by, drive: DonationDrive, member: Member, amount, reason: str) -> DonationGrant:
    """Name a member helped from the drive, with the amount and why (HQ)."""
    require_allowed(by, CHANGE, drive)
    if amount is None or money(amount) <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    grant = DonationGrant(
        drive=drive,
        member=member,
        workshop_id=member.group.workshop_id,
        amount=money(amount),
        reason=_reason(reason),
        recorded_by=by,
    )
    grant.full_clean(exclude=["drive", "member", "workshop"])
    grant.save()
    return grant


@transaction.atomic
def grants_pay(*, by, drive: DonationDrive, method: str = "cash") -> PaymentBatch:
    """Put every recipient not yet in a batch into one payment batch of the drive's fund;
    a fund that cannot pay them all refuses the whole batch."""
    require_allowed(by, CHANGE, drive)
    grants = list(
        drive.grants.filter(payment_line__isnull=True, paid_on__isnull=True).select_related(
            "member__group"
        )
    )
    if not grants:
        raise ValidationError(_("Every recipient is already in a batch."))
    year = _today().year
    batch = funds.batch_open(
        by=by, fund=drive.fund, method=method, title=drive.title[:100], year=year
    )
    for grant in grants:
        grant.payment_line = funds.batch_add_line(
            by=by,
            batch=batch,
            member=grant.member,
            amount=grant.amount,
            kind="donation",
            category=drive.title,
            reference=f"JK{drive.pk}-{grant.pk}",
        )
        grant.save(update_fields=["payment_line"])
    return batch


def category_q(category: str) -> Q:
    return CATEGORY_FILTERS[MemberCategory(category)]
