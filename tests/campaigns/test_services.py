"""The campaign's rules, with money checked by hand (see conftest.py for the archive)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import services
from campaigns.models import (
    CampaignEntry,
    CampaignKind,
    CampaignStatus,
    CampaignWorkshop,
    MemberCategory,
)
from funds import services as funds
from funds.models import PaymentBatch, PaymentLine

from .conftest import budget, year


def amounts(campaign):
    return {
        e.member_id: (e.basis or e.category, e.amount)
        for e in CampaignEntry.objects.filter(campaign=campaign, removed=False)
    }


def test_the_list_comes_from_the_current_archive_and_the_flags_at_the_highest_standard(
    proposed, archive, org
):
    m = archive
    assert amounts(proposed) == {
        m["A1"][0].pk: ("深度困难", Decimal("800.00")),
        m["A1"][1].pk: ("相对困难", Decimal("500.00")),
        m["A1"][2].pk: ("model_worker", Decimal("300.00")),
        m["B1"][0].pk: ("深度困难", Decimal("800.00")),
    }
    entries = CampaignEntry.objects.filter(campaign=proposed)
    assert sum(e.amount for e in entries) == Decimal("2400.00")
    assert {e.workshop_id for e in entries if e.member_id == m["B1"][0].pk} == {org.b.pk}
    assert proposed.status == CampaignStatus.PROPOSED
    # Every active workshop union is asked to confirm.
    assert set(
        CampaignWorkshop.objects.filter(campaign=proposed).values_list("workshop", flat=True)
    ) == {
        org.a.pk,
        org.b.pk,
    }


def test_a_list_is_made_once(proposed, welfare_hq):
    with pytest.raises(ValidationError) as refused:
        services.campaign_propose(by=welfare_hq, campaign=proposed, version=proposed.version)
    assert refused.value.messages == [_("The list of this campaign is already made.")]


def test_a_campaign_by_class_only_refuses_a_category_standard(welfare_hq, fund):
    kind = CampaignKind.objects.get(code="school_aid")
    campaign = services.campaign_create(by=welfare_hq, kind=kind, year=year(), fund=fund)
    with pytest.raises(ValidationError) as refused:
        services.standards_set(
            by=welfare_hq,
            campaign=campaign,
            version=campaign.version,
            rows=[services.StandardRow(category=MemberCategory.MODEL_WORKER, amount=Decimal(300))],
        )
    assert refused.value.messages == [
        _("A %(kind)s campaign is given by hardship class only.") % {"kind": "金秋助学"}
    ]


def test_a_new_campaign_copies_last_years_standards(welfare_hq, fund, draft):
    draft.year = year() - 1
    draft.save()
    copy = services.campaign_create(
        by=welfare_hq, kind=draft.kind, year=year(), fund=fund, copy_standards=True
    )
    assert sorted(s.amount for s in copy.standards.all()) == [300, 500, 800]
    assert copy.title == f"{year()}年元旦春节送温暖"


def test_only_hq_welfare_staff_make_campaigns(org, fund, ws_a):
    from tests.factories import UserFactory

    for user in (ws_a, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.campaign_create(
                by=user, kind=CampaignKind.objects.first(), year=year(), fund=fund
            )


def _entry(campaign, member):
    return CampaignEntry.objects.get(campaign=campaign, member=member)


def test_adjusting_an_amount_needs_a_reason(proposed, archive, ws_a):
    entry = _entry(proposed, archive["A1"][1])
    with pytest.raises(ValidationError) as refused:
        services.entry_adjust(by=ws_a, entry=entry, amount="600", reason=" ")
    assert refused.value.message_dict == {"reason": [_("Give the reason.")]}
    services.entry_adjust(by=ws_a, entry=entry, amount="600", reason="家中新添病人")
    entry.refresh_from_db()
    assert (entry.amount, entry.standard_amount, entry.change_reason) == (
        Decimal("600.00"),
        Decimal("500.00"),
        "家中新添病人",
    )


def test_a_workshop_union_changes_only_its_own_entries(proposed, archive, ws_b):
    entry = _entry(proposed, archive["A1"][1])
    with pytest.raises(PermissionDenied):
        services.entry_adjust(by=ws_b, entry=entry, amount="600", reason="x")


def test_remove_and_add_need_a_reason_and_a_confirmed_list_is_closed(proposed, archive, ws_a):
    entry = _entry(proposed, archive["A1"][2])
    with pytest.raises(ValidationError):
        services.entry_remove(by=ws_a, entry=entry, reason="")
    services.entry_remove(by=ws_a, entry=entry, reason="已调离本单位")
    added = services.entry_add(
        by=ws_a, campaign=proposed, member=archive["A2"][2], amount="400", reason="突发重病"
    )
    assert (added.added, added.standard_amount, added.amount) == (True, 0, Decimal("400.00"))
    part = CampaignWorkshop.objects.get(campaign=proposed, workshop=archive["A1"][0].group.workshop)
    services.workshop_confirm(by=ws_a, part=part)
    with pytest.raises(ValidationError) as refused:
        services.entry_adjust(
            by=ws_a, entry=_entry(proposed, archive["A1"][1]), amount="600", reason="x"
        )
    assert refused.value.messages == [
        _("This workshop union has confirmed its list; it can no longer change.")
    ]


def _confirm_all(campaign, *users):
    for user, part in zip(
        users,
        CampaignWorkshop.objects.filter(campaign=campaign).order_by("workshop__code"),
        strict=True,
    ):
        services.workshop_confirm(by=user, part=part)


def test_approving_before_every_workshop_confirmed_needs_a_note(proposed, welfare_hq, fund, ws_a):
    budget(fund, 10000)
    _confirm_all_a = CampaignWorkshop.objects.get(campaign=proposed, workshop__code="A")
    services.workshop_confirm(by=ws_a, part=_confirm_all_a)
    with pytest.raises(ValidationError) as refused:
        services.campaign_approve(by=welfare_hq, campaign=proposed, version=proposed.version + 1)
    assert "汽机车间" in refused.value.message_dict["note"][0]
    proposed.refresh_from_db()
    services.campaign_approve(
        by=welfare_hq, campaign=proposed, version=proposed.version, note="春节临近，先行发放"
    )
    proposed.refresh_from_db()
    assert proposed.status == CampaignStatus.APPROVED
    assert proposed.approval_note == "春节临近，先行发放"


def test_approval_makes_one_batch_per_workshop_union_with_its_total(
    proposed, welfare_hq, fund, ws_a, ws_b, org
):
    budget(fund, 10000)
    _confirm_all(proposed, ws_a, ws_b)
    proposed.refresh_from_db()
    batches = services.campaign_approve(by=welfare_hq, campaign=proposed, version=proposed.version)
    assert len(batches) == 2
    totals = {b.workshop_id: sum(line.amount for line in b.lines.all()) for b in batches}
    assert totals == {org.a.pk: Decimal("1600.00"), org.b.pk: Decimal("800.00")}
    lines = PaymentLine.objects.filter(batch__in=batches)
    assert {(line.kind, line.category, line.reference) for line in lines} == {
        ("campaign", proposed.title, proposed.number)
    }
    assert lines.count() == 4
    assert all(b.method == "cash" and b.fund == fund for b in batches)
    assert CampaignEntry.objects.filter(campaign=proposed, payment_line__isnull=True).count() == 0


def test_a_fund_that_cannot_pay_it_all_refuses_the_approval_and_nothing_is_written(
    proposed, welfare_hq, fund, ws_a, ws_b
):
    budget(fund, 2000)  # the list needs 2,400: A's 1,600 fits, B's 800 does not
    _confirm_all(proposed, ws_a, ws_b)
    proposed.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.campaign_approve(by=welfare_hq, campaign=proposed, version=proposed.version)
    # A's 1,600 went in, then B's 800 met a balance of 400: the fund's own message, whole.
    (message,) = refused.value.messages
    assert message.startswith(
        _("The campaign was not approved and nothing was paid: %(reason)s") % {"reason": ""}
    )
    assert "¥400.00" in message and "¥800.00" in message
    assert PaymentBatch.objects.count() == 0
    assert PaymentLine.objects.count() == 0
    proposed.refresh_from_db()
    assert proposed.status == CampaignStatus.PROPOSED
    assert not CampaignEntry.objects.filter(payment_line__isnull=False).exists()
    assert not CampaignWorkshop.objects.filter(batch__isnull=False).exists()


def test_paid_batches_mark_the_entries_paid_and_close_the_campaign(
    proposed, welfare_hq, fund, ws_a, ws_b, org
):
    from tests import files

    budget(fund, 10000)
    _confirm_all(proposed, ws_a, ws_b)
    proposed.refresh_from_db()
    batches = services.campaign_approve(by=welfare_hq, campaign=proposed, version=proposed.version)
    today = timezone.localdate()
    a = next(b for b in batches if b.workshop_id == org.a.pk)
    a.refresh_from_db()
    funds.batch_close_by_signed_sheet(
        by=ws_a, batch=a, version=a.version, paid_on=today, uploaded=files.pdf()
    )
    proposed.refresh_from_db()
    assert proposed.status == CampaignStatus.PAYING
    paid = CampaignEntry.objects.filter(campaign=proposed, paid_on=today)
    assert {e.workshop_id for e in paid} == {org.a.pk} and paid.count() == 3
    b = next(b for b in batches if b.workshop_id == org.b.pk)
    b.refresh_from_db()
    funds.batch_close_by_signed_sheet(
        by=ws_b, batch=b, version=b.version, paid_on=today, uploaded=files.pdf()
    )
    proposed.refresh_from_db()
    assert (proposed.status, proposed.closed_on) == (CampaignStatus.CLOSED, today)
    assert not CampaignEntry.objects.filter(campaign=proposed, paid_on__isnull=True).exists()


def test_a_line_taken_out_of_its_batch_takes_the_entry_off_the_list(
    proposed, welfare_hq, fund, ws_a, ws_b, org
):
    """The campaign closes without it once its batches are paid."""
    from tests import files

    budget(fund, 10000)
    _confirm_all(proposed, ws_a, ws_b)
    proposed.refresh_from_db()
    batches = services.campaign_approve(by=welfare_hq, campaign=proposed, version=proposed.version)
    b = next(b for b in batches if b.workshop_id == org.b.pk)
    line = b.lines.get()
    entry = CampaignEntry.objects.get(payment_line=line)
    funds.batch_remove_line(by=welfare_hq, line=line)
    entry.refresh_from_db()
    assert entry.removed and entry.payment_line is None and b.number in entry.removed_reason
    a = next(b for b in batches if b.workshop_id == org.a.pk)
    a.refresh_from_db()
    funds.batch_close_by_signed_sheet(
        by=ws_a, batch=a, version=a.version, paid_on=timezone.localdate(), uploaded=files.pdf()
    )
    proposed.refresh_from_db()
    assert proposed.status == CampaignStatus.CLOSED  # B's batch is open but empty


def test_a_leader_records_the_visit_of_their_groups_entry_with_a_photo(
    proposed, welfare_hq, fund, ws_a, ws_b, archive, leader_a1
):
    from tests import files
    from welfare.models import CareVisit

    budget(fund, 10000)
    _confirm_all(proposed, ws_a, ws_b)
    proposed.refresh_from_db()
    services.campaign_approve(by=welfare_hq, campaign=proposed, version=proposed.version)
    entry = _entry(proposed, archive["A1"][0])
    visit = services.visit_add(
        by=leader_a1,
        entry=entry,
        visited_on=timezone.localdate(),
        visitors="班组长、车间主席",
        photo=files.jpeg(),
    )
    care = CareVisit.objects.get(pk=visit.care_visit_id)
    assert (care.kind, care.member_id, care.gift_value) == (
        "festival",
        entry.member_id,
        Decimal("800.00"),
    )
    assert visit.photo and visit.thumbnail
    other = _entry(proposed, archive["B1"][0])
    with pytest.raises(PermissionDenied):
        services.visit_add(
            by=leader_a1,
            entry=other,
            visited_on=timezone.localdate(),
            visitors="x",
            photo=files.jpeg(),
        )
