"""The dashboard's cached figures: served again until a committed change, per user."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dashboard import cache as figures_cache
from dashboard.figures import overview
from groups.imports import member_import_apply, member_import_plan, member_import_read
from tests.factories import ActivityFactory, today, workshop_user
from tests.spreadsheets import member_row, xlsx_bytes

THIS_YEAR = today().year


def activity_total(page) -> int:
    return int(re.search(r'id="activity-total">([\d,]+)<', page).group(1).replace(",", ""))


@pytest.fixture
def hq_client(org, hq, login):
    return login(hq)


def test_a_second_visit_is_served_from_the_cache(org, hq, hq_client):
    ActivityFactory(group=org.A1, held_on=today(), recorded_by=hq)
    with CaptureQueriesContext(connection) as first:
        page = hq_client.get("/").content.decode()
    # The second visit: session, user, roles (assigned, and panels held), the to-do list
    # (reports to review; the 小家 steps waiting: the stale limit, declarations, plans,
    # objections, notices; open periods for ballots; applications to join; suggestions
    # waiting; HQ's care tasks due; democratic management: 整改 items, 合理化建议 to screen,
    # congresses to approve and to record, disclosures to review and feedback to answer)
    # and the figures' token; the figures themselves come from the cache.
    with CaptureQueriesContext(connection) as second:
        again = hq_client.get("/").content.decode()
    assert activity_total(page) == activity_total(again) == 1
    # The first visit also counts the year into the summary tables (its first view ever),
    # and the organisation's groups per workshop union in SQL (groups, then members).
    assert (len(first), len(second)) == (59, 21), [q["sql"][:80] for q in second]


def test_a_committed_change_shows_at_once(org, hq, hq_client, django_capture_on_commit_callbacks):
    hq_client.get("/")
    before = figures_cache.current_token()
    with django_capture_on_commit_callbacks(execute=True):
        ActivityFactory(group=org.B2, held_on=date(THIS_YEAR, 1, 2), recorded_by=hq)
    assert figures_cache.current_token() != before
    assert activity_total(hq_client.get("/").content.decode()) == 1


def test_a_target_hq_changes_shows_at_once(org, hq, hq_client, django_capture_on_commit_callbacks):
    from homes.models import CreationYear

    year = CreationYear.objects.create(
        year=THIS_YEAR,
        declarations_open=date(THIS_YEAR, 1, 1),
        declarations_close=date(THIS_YEAR, 12, 31),
        coverage_target=80,
    )
    assert hq_client.get("/").context["o"].homes.targets["coverage"] == Decimal("0.8")
    with django_capture_on_commit_callbacks(execute=True):
        year.coverage_target = 90
        year.save()
    assert hq_client.get("/").context["o"].homes.targets["coverage"] == Decimal("0.9")


def test_a_change_rolled_back_leaves_the_token(org, hq, django_capture_on_commit_callbacks):
    figures_cache.renew_token("default")
    before = figures_cache.current_token()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                ActivityFactory(group=org.B2, held_on=date(THIS_YEAR, 1, 2), recorded_by=hq)
                raise RuntimeError("the user's request failed half-way")
        except RuntimeError:
            pass
    assert figures_cache.current_token() == before


def test_a_change_on_another_server_shows_at_once(
    org, hq, hq_client, django_capture_on_commit_callbacks
):
    """Another server's commit renews the token in the shared database; this process
    still holds the old figures in its own cache, and must not serve them."""
    hq_client.get("/")
    ActivityFactory(group=org.B2, held_on=date(THIS_YEAR, 1, 2), recorded_by=hq)
    assert activity_total(hq_client.get("/").content.decode()) == 0  # not committed yet
    # What the other server's commit does: a new token, and the summary tables' refresh
    # queued (the test settings' task backend runs it at once, as the worker would).
    with django_capture_on_commit_callbacks(execute=True):
        figures_cache.renew_token("default")
    assert activity_total(hq_client.get("/").content.decode()) == 1


def test_users_never_share_an_entry(org, hq, login):
    """Two workshop unions' staff, one after the other: each sees their own figures."""
    ActivityFactory(group=org.A1, held_on=date(THIS_YEAR, 1, 2), recorded_by=hq)
    a_page = login(workshop_user(org.a)).get("/").content.decode()
    b_page = login(workshop_user(org.b)).get("/").content.decode()
    assert (activity_total(a_page), activity_total(b_page)) == (1, 0)
    assert overview(user=hq, year=THIS_YEAR).activities.total == 1


def test_an_import_renews_the_token(org, hq, django_capture_on_commit_callbacks):
    """Imports write in bulk, without per-row signals, and say so."""
    sheet = member_import_read(
        io.BytesIO(xlsx_bytes([member_row("990001", name="林晓")])), "m.xlsx"
    )
    plan = member_import_plan(sheet=sheet, by=hq)
    assert plan.ok, plan.errors
    before = figures_cache.current_token()
    with django_capture_on_commit_callbacks(execute=True):
        member_import_apply(plan=plan, by=hq)
    assert figures_cache.current_token() != before


def test_the_welfare_access_log_does_not_renew_it(org, hq, django_capture_on_commit_callbacks):
    from welfare.models import AccessLog

    figures_cache.renew_token("default")
    before = figures_cache.current_token()
    with django_capture_on_commit_callbacks(execute=True):
        AccessLog.objects.create(user=hq, action=AccessLog.Action.VIEW, target="case 1")
    assert figures_cache.current_token() == before


def test_welfare_money_is_never_served_from_an_entitled_users_entry(org, hq, login):
    """Same role and place, different entitlement: the HQ welfare staff see the money
    paid, their colleague does not, whoever opened the page first."""
    from accounts.models import Role
    from tests.factories import UserFactory

    welfare_staff = UserFactory(role=Role.HQ, handles_welfare=True)
    colleague = UserFactory(role=Role.HQ, handles_welfare=False)
    assert 'id="paid"' in login(welfare_staff).get("/").content.decode()
    assert 'id="paid"' not in login(colleague).get("/").content.decode()


def test_a_transaction_renews_the_token_once_however_many_rows_it_changes(
    org, hq, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        for day in range(1, 6):
            ActivityFactory(group=org.A1, held_on=date(THIS_YEAR, 1, day), recorded_by=hq)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    renewals = [q for q in queries if q["sql"].startswith('UPDATE "dashboard_figuresversion"')]
    assert len(renewals) == 1 and figures_cache.current_token()
