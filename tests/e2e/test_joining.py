"""On a phone: a worker scans the poster's QR code and applies to join; the workshop union
approves; the member's page shows the membership card number."""

from django.utils import timezone

from groups.models import Member
from membership import services
from tests.factories import workshop_user


def test_applicant_applies_by_link_and_the_workshop_union_approves(page, log_in, org, hq):
    link = services.join_link_create(by=hq, workshop=org.a, group=org.A1)
    workshop_user(org.a, username="ws_a")

    # The applicant, without an account, on the link the QR code holds.
    page.goto(f"/join/{link.token}/")
    page.fill("#id_employee_no", "66901")
    page.fill("#id_name", "林晓燕")
    page.fill("#id_id_number", "370802198503021240")  # a mistake first: a wrong check digit
    page.fill("#id_phone", "13900001234")
    page.check("#id_statement")
    page.locator("#join-form button[type=submit]").click()
    page.wait_for_selector("#id_id_number_error")
    assert page.input_value("#id_name") == "林晓燕"  # the form keeps what was typed
    page.fill("#id_id_number", "370802199304180022")  # born 1993-04-18, a woman
    page.locator("#join-form button[type=submit]").click()
    reference = page.locator("#reference").inner_text().strip()
    check_code = page.locator("#check-code").inner_text().strip()
    assert len(reference) == 10 and len(check_code) == 6
    assert not page.locator("#id_website").is_visible()  # the hidden box stays hidden

    # The workshop union finds it on its list and approves it.
    log_in("ws_a")
    page.goto("/membership/applications/?status=submitted")
    page.get_by_role("link", name=reference).click()
    page.locator("#approve").click()
    page.wait_for_selector("#card-no")
    member = Member.objects.get(employee_no="66901")
    year = timezone.localdate().year
    assert member.card_no == f"KGH-{year}-00001"
    assert (member.gender, str(member.birth_date)) == ("F", "1993-04-18")
    assert page.locator("#card-no").inner_text().strip() == member.card_no

    page.goto(f"/members/{member.pk}/")
    assert member.card_no in page.locator("main").inner_text()
    assert reference in page.locator("#member-timeline").inner_text()
