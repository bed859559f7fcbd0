"""The organisation's year in summary tables: the same figures as the live count, kept
by the worker after every committed change, and the page says how fresh they are."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from activities import summaries
from activities.models import ActivityLevel, SummaryYear
from activities.selectors import activity_year
from groups.models import MemberStatus
from tests.factories import ActivityFactory, MemberFactory, today, workshop_user

THIS_YEAR = today().year
STALE = "Newer changes are being counted: reload the page in a few seconds."


@pytest.fixture
def year_of_activities(org, hq):
    """Group activities in both workshop unions, one a workshop union hosts, one HQ holds,
    a member who left (not counted), and a member in two activities (counted once)."""
    a1, b1 = org.members["A1"], org.members["B1"]
    gone = MemberFactory(group=org.A2, status=MemberStatus.LEFT, left_on=date(THIS_YEAR - 1, 1, 1))
    ActivityFactory(group=org.A1, held_on=date(THIS_YEAR, 1, 5), participants=[*a1, gone])
    ActivityFactory(group=org.A1, held_on=date(THIS_YEAR, 1, 9), participants=a1[:1])
    ActivityFactory(group=org.B1, held_on=date(THIS_YEAR, 1, 20), participants=b1[:2])
    ActivityFactory(
        group=None,
        level=ActivityLevel.WORKSHOP,
        host_workshop=org.b,
        held_on=date(THIS_YEAR, 1, 3),
        participants=org.members["B2"],
    )
    ActivityFactory(
        group=None, level=ActivityLevel.HQ, held_on=date(THIS_YEAR, 1, 4), participants=a1
    )
    # Last year's activity counts in last year only.
    ActivityFactory(group=org.B2, held_on=date(THIS_YEAR - 1, 6, 1), participants=b1)
    return org


def _same(stored, live):
    assert [(a.pk, n) for a, n in stored.areas] == [(a.pk, n) for a, n in live.areas]
    assert stored.months == live.months
    assert stored.per_workshop == live.per_workshop
    assert stored.participants == live.participants
    assert stored.total == live.total


@pytest.mark.parametrize("year", [THIS_YEAR, THIS_YEAR - 1])
def test_the_stored_figures_are_the_live_ones(year_of_activities, hq, year):
    start, end = summaries.year_span(year)
    stored, state = summaries.organisation_year(year)
    _same(stored, activity_year(user=hq, start=start, end=end))
    assert not state.stale


def test_counted_once_each_and_only_active_members(year_of_activities):
    org = year_of_activities
    stored, _state = summaries.organisation_year(THIS_YEAR)
    # A1's three (one took part twice, the one who left is not counted) and B's 2 + 3.
    assert stored.participants == {org.a.pk: 3, org.b.pk: 5}
    # The workshop union's activity counts in B; HQ's only in the total.
    assert stored.per_workshop == {org.a.pk: 2, org.b.pk: 2}
    assert stored.total == 5


def test_a_committed_change_is_counted_by_the_worker(
    year_of_activities, hq, login, django_capture_on_commit_callbacks
):
    org = year_of_activities
    client = login(hq)
    client.get("/")  # the year's first view counts it
    assert SummaryYear.objects.filter(year=THIS_YEAR).exists()
    with django_capture_on_commit_callbacks(execute=True):
        ActivityFactory(group=org.A2, held_on=date(THIS_YEAR, 1, 6), participants=org.members["A2"])
    # The test settings' task backend runs the queued refresh at once, as the worker would
    # within seconds.
    stored, state = summaries.organisation_year(THIS_YEAR)
    assert stored.participants[org.a.pk] == 6 and not state.stale
    page = client.get("/").content.decode()
    assert 'id="figures-as-of"' in page and gettext(STALE) not in page


def test_until_the_worker_has_counted_the_page_says_so(year_of_activities, hq, login):
    client = login(hq)
    client.get("/")
    # A change committed on another server, the worker not yet done: the stored years are
    # marked changed (the refresh is left in the queue).
    SummaryYear.objects.update(queued=True)
    summaries.mark_changed("default")
    from dashboard.cache import store_new_token

    store_new_token("default")
    page = client.get("/").content.decode()
    assert gettext(STALE) in page


def test_the_current_year_goes_stale_when_the_day_moves_on(
    year_of_activities, django_capture_on_commit_callbacks
):
    summaries.organisation_year(THIS_YEAR)
    SummaryYear.objects.filter(year=THIS_YEAR).update(
        through=timezone.localdate() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        _stored, state = summaries.organisation_year(THIS_YEAR)
    # Counted through yesterday: shown as stale, and a refresh is queued (the test backend
    # has already run it).
    assert state.stale
    assert SummaryYear.objects.get(year=THIS_YEAR).through == timezone.localdate()


def test_after_a_change_the_organisation_page_reads_no_participation_row(
    year_of_activities, hq, login, django_capture_on_commit_callbacks
):
    client = login(hq)
    client.get("/")
    from dashboard.cache import store_new_token

    store_new_token("default")  # the cached page is gone, as after any change
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries if "activities_participation" in q["sql"]]


def test_a_workshop_union_reads_its_own_figures_live(year_of_activities, login):
    org = year_of_activities
    page = login(workshop_user(org.a)).get("/").content.decode()
    assert 'id="figures-as-of"' not in page
    assert not SummaryYear.objects.exists()


def test_the_command_counts_every_stored_year_and_this_one(year_of_activities):
    summaries.organisation_year(THIS_YEAR - 1)
    call_command("refresh_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(SummaryYear.objects.values_list("year", flat=True)) == {THIS_YEAR, THIS_YEAR - 1}
    assert not SummaryYear.objects.filter(queued=True).exists()


def test_the_participation_page_lists_every_group_from_the_summary(year_of_activities, hq, login):
    from django.urls import reverse

    from activities.selectors import compile_figures

    org = year_of_activities
    start, end = summaries.year_span(THIS_YEAR)
    live = compile_figures(
        group_ids=[g.pk for g in org.groups.values()], start=start, end=end, day=end
    )
    page = login(hq).get(reverse("activities:participation")).content.decode()
    assert 'id="figures-as-of"' in page
    rows = page.split('id="participation-table"')[1].split("</tbody>")[0].split("<tr>")[2:]
    # Lowest participation first: A2 (its one who took part has left) and B2 before A1.
    names = [next(g.name for g in org.groups.values() if g.name in row) for row in rows]
    assert names[-1] == org.A1.name and len(names) == 4
    stored = {r.group_id: summaries.group_figures(r) for r in summaries.group_rows(THIS_YEAR)}
    for gid, figures in live.items():
        assert stored[gid]["activities"] == figures["activities"]
        assert stored[gid]["members"] == figures["members"]
        assert stored[gid]["own_participants"] == figures["own_participants"]


def test_the_participation_page_reads_a_fixed_number_of_queries(
    year_of_activities, hq, login, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from tests.factories import UnionGroupFactory, WorkshopUnionFactory

    client = login(hq)
    url = reverse("activities:participation")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            group = UnionGroupFactory(workshop=WorkshopUnionFactory())
            ActivityFactory(
                group=group,
                held_on=date(THIS_YEAR, 2, 1),
                participants=MemberFactory.create_batch(2, group=group),
            )
    with django_assert_num_queries(len(few)):
        page = client.get(url)
    assert page.status_code == 200


def test_counting_the_summary_is_no_change_to_count(
    year_of_activities, django_capture_on_commit_callbacks
):
    """The refresh writes the summary tables: that must not queue another refresh (the
    worker would count forever, and the figures would always read as stale)."""
    summaries.organisation_year(THIS_YEAR)
    with django_capture_on_commit_callbacks() as callbacks:
        summaries.compute_year(THIS_YEAR)
    assert not [c for c in callbacks if type(c).__name__ == "_Renewal"]


def test_the_workshop_table_is_paged(year_of_activities, hq, login, settings):
    """A federation's hundreds of workshop unions are shown a page at a time; the key
    figures above the table still count them all."""
    org = year_of_activities
    settings.UNIONHOME = {**settings.UNIONHOME, "PAGE_SIZE": 1}
    client = login(hq)
    pages = [client.get("/", {"page": n}) for n in (1, 2)]
    shown = [[row.workshop.pk for row in p.context["page"]] for p in pages]
    assert sorted(shown[0] + shown[1]) == sorted([org.a.pk, org.b.pk])
    assert pages[0].context["o"].participants == 8
