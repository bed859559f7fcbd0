"""入会率 = members ÷ employees per workshop union, by each unit's latest month with a count;
employee counts entered on a page or imported from a workbook, all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from groups.services import member_leave
from membership import services
from membership.models import EmployeeCount
from membership.selectors import enrolment_rates, workshop_enrolment
from tests.factories import WorkshopUnionFactory
from tests.spreadsheets import csv_bytes, upload

OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)
HEADERS = ["车间工会", "月份", "职工人数"]


def _workbook(*rows) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def counts(org, hq):
    """A: 10 employees in October, 8 in November; B: 12 in October only; C: none."""
    services.employee_count_set(by=hq, workshop=org.a, month=OCTOBER, employees=10)
    services.employee_count_set(by=hq, workshop=org.a, month=NOVEMBER, employees=8)
    services.employee_count_set(by=hq, workshop=org.b, month=OCTOBER, employees=12)
    return WorkshopUnionFactory(name="电气车间", code="C")


def test_the_rate_by_hand_for_two_workshop_unions_and_one_without_counts(org, hq, counts):
    # A: 6 members (3 in A1, 3 in A2) ÷ 8 employees of November, its latest month = 75 %.
    # B: 6 members ÷ 12 employees of October (no November count) = 50 %.
    # C: no count at all: no rate. Overall over the counted: 12 ÷ 20 = 60 %.
    member_leave(member=org.members["B2"][0], left_on=date(2026, 1, 5), reason="离职", by=hq)
    services.employee_count_set(by=hq, workshop=org.b, month=OCTOBER, employees=10)
    rates = enrolment_rates(user=hq)
    rows = {row.workshop.code: row for row in rates.rows}
    assert (rows["A"].members, rows["A"].employees, rows["A"].month) == (6, 8, NOVEMBER)
    assert rows["A"].rate == 0.75
    # One member of B left: 5 members ÷ the corrected 10 employees = 50 %.
    assert (rows["B"].members, rows["B"].employees, rows["B"].month) == (5, 10, OCTOBER)
    assert rows["B"].rate == 0.5
    assert (rows["C"].members, rows["C"].employees, rows["C"].rate) == (0, None, None)
    assert rates.rate == 11 / 18
    assert rates.months == [NOVEMBER, OCTOBER]
    assert [r.workshop.code for r in rates.missing] == ["C"]
    assert workshop_enrolment(workshop_ids=[org.a.pk, org.b.pk, counts.pk]) == {
        org.a.pk: 0.75,
        org.b.pk: 0.5,
    }


def test_a_workshop_union_sees_its_own_rate_only(org, counts, workshop_a):
    rates = enrolment_rates(user=workshop_a)
    assert [row.workshop for row in rates.rows] == [org.a]


def test_the_dashboards_show_the_rate_and_the_month(org, hq, counts, workshop_a, login):
    page = login(hq).get("/")
    rows = {row.workshop.code: row for row in page.context["o"].enrolment.rows}
    assert rows["A"].rate == 0.75 and rows["B"].rate == 0.5
    html = page.content.decode()
    assert 'id="enrolment-table"' in html and "75" in html
    own = login(workshop_a).get("/")
    assert [row.workshop for row in own.context["o"].enrolment.rows] == [org.a]


def test_the_home_page_lists_the_lowest_rates_and_links_to_every_one(org, hq, counts, login):
    from membership.selectors import HOME_ROWS

    for n in range(HOME_ROWS):
        services.employee_count_set(
            by=hq, workshop=WorkshopUnionFactory(code=f"L{n}"), month=OCTOBER, employees=1
        )
    # A 75 %, B 50 %, C without a count, ten more at 0 %: C first, then the ten at 0 %.
    lowest = enrolment_rates(user=hq).lowest
    assert [r.workshop.code for r in lowest] == ["C", *(f"L{n}" for n in range(HOME_ROWS - 1))]
    html = login(hq).get("/").content.decode()
    table = html[
        html.index('id="enrolment-table"') : html.index("</table>", html.index("enrolment"))
    ]
    assert table.count("<tr><td>") == HOME_ROWS and "锅炉车间" not in table
    assert f"以上为 {HOME_ROWS + 3} 个车间工会中尚无职工人数或入会率最低的 {HOME_ROWS} 个" in html
    assert reverse("membership:employee_counts") in html
    # The counts page lists them all.
    every = login(hq).get(reverse("membership:employee_counts")).content.decode()
    table = every[every.index('id="enrolment-table"') :]
    assert table[: table.index("</table>")].count("<tr><td>") == HOME_ROWS + 3


def test_the_rate_takes_one_query_however_many_workshop_unions(
    org, hq, counts, django_assert_num_queries
):
    hq.grants  # noqa: B018 (the roles are read once per request, before the figures)
    with django_assert_num_queries(1):
        assert len(enrolment_rates(user=hq).rows) == 3
    for n in range(6):
        services.employee_count_set(
            by=hq,
            workshop=WorkshopUnionFactory(code=f"X{n}"),
            month=OCTOBER,
            employees=5,
        )
    with django_assert_num_queries(1):
        assert len(enrolment_rates(user=hq).rows) == 9


class TestCountsPage:
    def test_a_count_entered_again_replaces_the_months(self, org, workshop_a, login):
        client = login(workshop_a)
        url = reverse("membership:employee_counts")
        for employees in ("120", "118"):
            response = client.post(
                url, {"workshop": org.a.pk, "month": "2026-11", "employees": employees}
            )
            assert response.status_code == 302, response.context["form"].errors
        count = EmployeeCount.objects.get()
        assert (count.month, count.employees, count.recorded_by) == (NOVEMBER, 118, workshop_a)

    def test_a_workshop_union_cannot_enter_anothers(self, org, workshop_a, login):
        response = login(workshop_a).post(
            reverse("membership:employee_counts"),
            {"workshop": org.b.pk, "month": "2026-11", "employees": "50"},
        )
        assert "workshop" in response.context["form"].errors
        with pytest.raises(PermissionDenied):
            services.employee_count_set(by=workshop_a, workshop=org.b, month=NOVEMBER, employees=50)
        assert not EmployeeCount.objects.exists()

    def test_the_page_runs_the_same_queries_with_more_counts(
        self, org, hq, login, django_assert_num_queries
    ):
        client = login(hq)
        url = reverse("membership:employee_counts")
        services.employee_count_set(by=hq, workshop=org.a, month=OCTOBER, employees=9)
        # session, user, roles (2), workshop choices, count, page of counts, the rates,
        # the to-do counts of each app and the menu
        with django_assert_num_queries(len(_queries(client, url))):
            client.get(url)
        for month in range(1, 10):
            services.employee_count_set(
                by=hq, workshop=org.b, month=date(2026, month, 1), employees=9
            )
        first = _queries(client, url)
        with django_assert_num_queries(len(first)):
            client.get(url)


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return captured.captured_queries


class TestImport:
    def post(self, client, content, name="counts.xlsx"):
        return client.post(reverse("membership:employee_import"), {"file": upload(content, name)})

    def test_a_workbook_with_a_title_row_is_saved_whole(self, org, hq, login):
        content = _workbook(
            ["2026年职工人数统计"],
            ["车间工会", "月份", "职工人数"],
            ["锅炉车间", "2026-10", 10],
            ["B", "2026年11月", 12],
            ["汽机车间", "2026.09", 11],
        )
        response = self.post(login(hq), content)
        assert response.status_code == 302
        saved = {(c.workshop.code, c.month): c.employees for c in EmployeeCount.objects.all()}
        assert saved == {
            ("A", OCTOBER): 10,
            ("B", NOVEMBER): 12,
            ("B", date(2026, 9, 1)): 11,
        }

    def test_one_bad_row_saves_nothing_and_each_error_names_its_row(self, org, hq, login):
        content = csv_bytes(
            [
                ["锅炉车间", "2026-10", "10"],
                ["不存在车间", "2026-10", "5"],
                ["汽机车间", "十月", "5"],
                ["汽机车间", "2026-10", "五十"],
                ["锅炉车间", "2026-10", "11"],
            ],
            HEADERS,
        )
        response = self.post(login(hq), content, "counts.csv")
        plan = response.context["plan"]
        assert [row for row, _message in plan.errors] == [3, 4, 5, 6]
        assert plan.error_total == 4
        assert not EmployeeCount.objects.exists()

    def test_a_workshop_union_imports_only_its_own_rows(self, org, workshop_a, login):
        content = csv_bytes([["锅炉车间", "2026-10", "10"], ["汽机车间", "2026-10", "12"]], HEADERS)
        plan = self.post(login(workshop_a), content, "counts.csv").context["plan"]
        assert [row for row, _message in plan.errors] == [3]
        assert not EmployeeCount.objects.exists()
