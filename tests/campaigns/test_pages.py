"""The campaign pages: who sees which rows, the access log, caching, query budgets."""

from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from campaigns import services
from campaigns.models import CampaignEntry, CampaignWorkshop
from tests.factories import MemberFactory, UserFactory
from welfare.models import AccessLog

from .conftest import budget, open_record


def _logged(user, campaign):
    return AccessLog.objects.filter(user=user, target=f"campaign-{campaign.pk}")


def test_hq_welfare_staff_see_the_whole_list_and_the_read_is_logged(
    proposed, welfare_hq, login, archive
):
    response = login(welfare_hq).get(f"/campaigns/{proposed.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    for key in ("A1", "B1"):
        assert archive[key][0].name in body
    assert "深度困难" in body and "¥2,400.00" in body
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    line = _logged(welfare_hq, proposed).get()
    assert line.action == AccessLog.Action.VIEW


def test_a_workshop_union_sees_only_its_own_entries(proposed, ws_b, login, archive):
    body = login(ws_b).get(f"/campaigns/{proposed.pk}/").content.decode()
    assert archive["B1"][0].name in body
    assert archive["A1"][0].name not in body
    assert "¥800.00" in body
    assert _logged(ws_b, proposed).count() == 1


def test_a_leader_sees_name_and_amount_of_their_group_only(proposed, leader_a1, login, archive):
    body = login(leader_a1).get(f"/campaigns/{proposed.pk}/").content.decode()
    assert archive["A1"][0].name in body and "¥800.00" in body
    assert archive["B1"][0].name not in body
    assert "深度困难" not in body and "相对困难" not in body  # the class is not theirs to see
    assert _logged(leader_a1, proposed).count() == 1


def test_hq_without_the_welfare_flag_and_evaluators_are_refused(proposed, login):
    for user in (UserFactory(role=Role.HQ), UserFactory(role=Role.EVALUATOR)):
        assert login(user).get(f"/campaigns/{proposed.pk}/").status_code == 403
        assert login(user).get("/campaigns/").status_code == 403


def test_the_export_is_logged_and_not_cached(proposed, welfare_hq, login):
    response = login(welfare_hq).get(f"/campaigns/{proposed.pk}/export.xlsx")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert _logged(welfare_hq, proposed).get().action == AccessLog.Action.EXPORT


def test_the_adjust_form_shows_the_missing_reason_next_to_the_field(proposed, ws_a, login, archive):
    entry = CampaignEntry.objects.get(campaign=proposed, member=archive["A1"][1])
    response = login(ws_a).post(
        f"/campaigns/entries/{entry.pk}/", {"adjust": "1", "amount": "600", "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["adjust_form"].errors["reason"]
    entry.refresh_from_db()
    assert entry.amount == Decimal("500.00")
    login(ws_a).post(
        f"/campaigns/entries/{entry.pk}/", {"adjust": "1", "amount": "600", "reason": "新增病人"}
    )
    entry.refresh_from_db()
    assert (entry.amount, entry.change_reason) == (Decimal("600.00"), "新增病人")


def test_approval_refused_by_the_fund_shows_the_balance(proposed, welfare_hq, login, fund):
    budget(fund, 100)  # not even the first member's amount
    response = login(welfare_hq).post(
        f"/campaigns/{proposed.pk}/approve/", {"version": proposed.version, "note": "先行发放"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "¥100.00" in body
    proposed.refresh_from_db()
    assert proposed.status == "proposed"


def test_to_do_items(proposed, ws_a, welfare_hq, ws_b):
    from campaigns.hooks import todo_items

    assert [(str(w), n) for w, n, _u in todo_items(ws_a)] == [(_("Campaign lists to confirm"), 1)]
    assert todo_items(welfare_hq) == []
    for user in (ws_a, ws_b):
        part = CampaignWorkshop.objects.get(
            campaign=proposed, workshop__in=[user.grants[0].workshop_id]
        )
        services.workshop_confirm(by=user, part=part)
    assert todo_items(ws_a) == []
    assert [n for _w, n, _u in todo_items(welfare_hq)] == [1]


@pytest.mark.parametrize("extra", [0, 8])
def test_the_campaign_page_runs_a_fixed_number_of_queries(
    extra, org, welfare_hq, fund, login, django_assert_num_queries
):
    """Session, user, roles, the inspection-panel grants (4); campaign, entries, parts,
    their sums, standards (5); the access log line (1) — the same for 2 or 10 members."""
    from .conftest import make_campaign

    members = [org.members["A1"][0], org.members["B1"][0]] + [
        MemberFactory(group=org.A2) for _i in range(extra)
    ]
    for member in members:
        open_record(welfare_hq, member, "deep_hardship")
    campaign = make_campaign(welfare_hq, fund)
    services.campaign_propose(by=welfare_hq, campaign=campaign, version=campaign.version)
    client = login(welfare_hq)
    client.get(f"/campaigns/{campaign.pk}/")  # warm the caches
    with django_assert_num_queries(QUERIES):
        response = client.get(f"/campaigns/{campaign.pk}/")
    assert len(response.context["entries"]) == 2 + extra


QUERIES = 10


@pytest.mark.parametrize("count", [1, 4])
def test_the_campaign_list_runs_a_fixed_number_of_queries(
    count, proposed, welfare_hq, fund, login, django_assert_num_queries
):
    """Session, user, roles, the inspection-panel grants (4); campaigns, their sums (2); the
    parts waiting for the user (none for HQ: no query)."""
    from .conftest import make_campaign

    for _i in range(count - 1):
        make_campaign(welfare_hq, fund)
    client = login(welfare_hq)
    client.get("/campaigns/")
    with django_assert_num_queries(6):
        response = client.get("/campaigns/")
    assert len(response.context["campaigns"]) == count


@pytest.mark.parametrize("count", [1, 6])
def test_the_public_account_runs_a_fixed_number_of_queries(
    count, welfare_hq, org, login, django_assert_num_queries
):
    """Session, user, roles, the inspection-panel grants (4); the drive, its donations, the
    paid and the unpaid grants' sums (4)."""
    from funds.models import Fund

    today = timezone.localdate()
    drive = services.drive_create(
        by=welfare_hq,
        title="爱心捐款",
        starts_on=today,
        ends_on=today,
        fund=Fund.objects.get(code="donations"),
    )
    for index in range(count):
        services.donation_record(
            by=welfare_hq,
            drive=drive,
            member=org.members["A1"][index % 3],
            amount=Decimal(100),
            received_on=today,
        )
    client = login(welfare_hq)
    client.get(f"/donations/{drive.pk}/account/")
    with django_assert_num_queries(8):
        response = client.get(f"/donations/{drive.pk}/account/")
    assert response.context["account"].received == Decimal(100 * count)
