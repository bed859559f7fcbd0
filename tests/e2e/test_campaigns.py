"""送温暖 in a browser: HQ's welfare staff make the list from the archive; workshop union
A raises one amount with a reason and confirms; HQ approves (B has not confirmed: with a
note); A prints its 签领表, uploads the signed scan, the batch closes and A's members show
as paid."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import Role
from campaigns.models import CampaignEntry
from funds.models import Fund, PaymentBatch
from tests.campaigns.conftest import budget, make_campaign, open_record
from tests.factories import UserFactory, workshop_user


def test_spring_festival_campaign_from_archive_to_signed_sheet(page, log_in, org, tmp_path):
    hq = UserFactory(role=Role.HQ, handles_welfare=True, username="hq_w")
    workshop_user(org.a, username="ws_a")
    fund = Fund.objects.get(code="union_funds")
    budget(fund, 10000)
    m = org.members
    open_record(hq, m["A1"][0], "deep_hardship")  # 800
    open_record(hq, m["A1"][1], "relative_hardship")  # 500, raised to 600 below
    open_record(hq, m["B1"][0], "deep_hardship")  # 800
    campaign = make_campaign(hq, fund)

    log_in("hq_w")
    page.goto(f"/campaigns/{campaign.pk}/")
    page.locator("#make-list").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")
    assert page.locator("#entry-count").inner_text() == "3"
    assert page.locator("#entry-total").inner_text() == "¥2,100.00"

    page.context.clear_cookies()
    log_in("ws_a")
    page.goto(f"/campaigns/{campaign.pk}/")
    assert m["B1"][0].name not in page.locator("#entries").inner_text()
    page.locator("#entries a", has_text=m["A1"][1].name).click()
    page.fill("#id_amount", "600")
    page.locator("#adjust-amount").click()  # no reason: refused next to the field
    assert page.locator("#adjust .errorlist").count() == 1
    page.fill("#id_reason", "配偶新近住院")
    page.locator("#adjust-amount").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/**")
    assert page.locator("#entry-total").inner_text() == "¥1,400.00"
    page.locator("#confirm-A").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")

    page.context.clear_cookies()
    log_in("hq_w")
    page.goto(f"/campaigns/{campaign.pk}/")
    page.locator("#approve-campaign").click()  # B has not confirmed: a note is required
    assert page.locator("#approve .errorlist").count() == 1
    page.fill("#id_note", "春节临近，先行发放")
    page.locator("#approve-campaign").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/")
    batches = PaymentBatch.objects.filter(title__startswith=campaign.title)
    assert batches.count() == 2

    page.context.clear_cookies()
    log_in("ws_a")
    page.goto(f"/campaigns/{campaign.pk}/")
    page.locator("#sheet-A").click()
    sheet = page.locator("body").inner_text()
    assert m["A1"][0].name in sheet and m["A1"][1].name in sheet
    page.goto(f"/campaigns/{campaign.pk}/")
    page.locator("#batch-A").click()
    scan = tmp_path / "签领表.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.fill("#id_paid_on", f"{timezone.localdate():%Y-%m-%d}")
    page.set_input_files("#id_uploaded", str(scan))
    page.locator("form[action$='/signed/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert PaymentBatch.objects.get(workshop=org.a, title__startswith=campaign.title).status == (
        "closed"
    )
    page.goto(f"/campaigns/{campaign.pk}/")
    paid = CampaignEntry.objects.filter(campaign=campaign, paid_on__isnull=False)
    assert sum(e.amount for e in paid) == Decimal("1400.00")
    assert page.locator("#entries .paid-on").all_inner_texts().count("—") == 0

    # The fund and the annual summary show the same money: A's ¥1,400 paid, B's ¥800
    # promised in its open batch.
    page.context.clear_cookies()
    log_in("hq_w")
    year = timezone.localdate().year
    page.goto(f"/funds/?year={year}")
    assert page.locator("#fund-union_funds .paid").inner_text() == "¥1,400.00"
    assert page.locator("#fund-union_funds .available").inner_text() == "¥7,800.00"
    page.goto(f"/summary/?year={year}")
    assert page.locator("#money-by-item-total").inner_text() == "¥1,400.00"
    assert campaign.title in page.locator("#money-by-item").inner_text()
