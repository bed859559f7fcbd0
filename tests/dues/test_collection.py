"""Recording what was collected (工资代扣: the whole workshop union but a few), taking a
payment back, arrears and 会费收缴率 by hand, the export, and who sees what."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from dues import selectors, services
from dues.models import DuesCharge, DuesCollection
from tests.factories import MemberFactory

from .conftest import NOVEMBER, OCTOBER, pay

PAID_ON = date(2026, 10, 31)


@pytest.fixture
def october(org, payroll, hq):
    services.dues_compute_month(month=OCTOBER, by=hq)
    return OCTOBER


class TestRecordingACollection:
    def test_the_whole_workshop_union_but_these(self, org, october, workshop_a):
        behind = org.members["A2"][0]
        collection = services.dues_record_collection(
            workshop=org.a,
            month=OCTOBER,
            by=workshop_a,
            paid_on=PAID_ON,
            except_members=[behind.pk],
        )
        # A: 34.25 + 25 + 25 for each of two groups, less the one behind (34.25).
        assert (collection.charges, collection.amount) == (5, Decimal("134.25"))
        charges = DuesCharge.objects.filter(group__workshop=org.a)
        assert charges.unpaid().get().member == behind
        paid = charges.exclude(member=behind).first()
        assert (paid.paid_on, paid.recorded_by, paid.collection) == (
            PAID_ON,
            workshop_a,
            collection,
        )
        assert not DuesCharge.objects.filter(group__workshop=org.b, paid__gt=0).exists()
        # Each charge paid keeps its change in the history: paid in full, by whom.
        assert paid.paid == paid.due
        last = paid.history.first()
        assert (last.history_type, last.history_user, last.paid, last.collection_id) == (
            "~",
            workshop_a,
            paid.due,
            collection.pk,
        )

    def test_nothing_left_to_record(self, org, october, workshop_a):
        services.dues_record_collection(
            workshop=org.a, month=OCTOBER, by=workshop_a, paid_on=PAID_ON
        )
        with pytest.raises(ValidationError):
            services.dues_record_collection(
                workshop=org.a, month=OCTOBER, by=workshop_a, paid_on=PAID_ON
            )

    def test_another_workshop_union_or_a_leader_records_nothing(
        self, org, october, workshop_a, leader_a1
    ):
        for user, workshop in ((workshop_a, org.b), (leader_a1, org.a)):
            with pytest.raises(PermissionDenied):
                services.dues_record_collection(
                    workshop=workshop, month=OCTOBER, by=user, paid_on=PAID_ON
                )
        assert not DuesCharge.objects.filter(paid__gt=0).exists()

    def test_no_payment_in_the_future(self, org, october, workshop_a):
        with pytest.raises(ValidationError):
            services.dues_record_collection(
                workshop=org.a, month=OCTOBER, by=workshop_a, paid_on=date(2099, 1, 1)
            )

    def test_the_page_marks_the_month_collected_except_the_ticked(
        self, org, october, workshop_a, login
    ):
        client = login(workshop_a)
        url = reverse("dues:collect") + f"?workshop={org.a.pk}&month=2026-10"
        page = client.get(url).content.decode()
        assert org.members["A1"][0].name in page and org.members["B1"][0].name not in page
        behind = org.members["A1"][2]
        response = client.post(
            reverse("dues:collect"),
            {
                "workshop": org.a.pk,
                "month": "2026-10",
                "paid_on": "2026-10-31",
                "method": "payroll",
                "unpaid": [behind.pk],
            },
        )
        assert response.status_code == 302
        owing = DuesCharge.objects.filter(group__workshop=org.a).unpaid()
        assert list(owing.values_list("member", flat=True)) == [behind.pk]

    def test_a_workshop_union_cannot_open_another_ones_month(self, org, october, workshop_a, login):
        response = login(workshop_a).get(reverse("dues:collect"), {"workshop": org.b.pk})
        assert response.status_code == 404

    def test_taking_a_payment_back(self, org, october, workshop_a, login):
        member = org.members["A1"][0]
        collection = services.dues_record_collection(
            workshop=org.a, month=OCTOBER, by=workshop_a, paid_on=PAID_ON
        )
        charge = DuesCharge.objects.get(member=member, month=OCTOBER)
        response = login(workshop_a).post(
            reverse("dues:charge_undo", args=[charge.pk]), {"reason": "误登记，本月未扣款"}
        )
        assert response.status_code == 302
        charge.refresh_from_db()
        collection.refresh_from_db()
        assert (charge.paid, charge.paid_on, charge.collection) == (0, None, None)
        assert (collection.charges, collection.amount) == (5, Decimal("134.25"))
        assert charge.history.first().history_change_reason == "误登记，本月未扣款"


def collect_all(org, month, hq, behind=()):
    for workshop in (org.a, org.b):
        services.dues_record_collection(
            workshop=workshop,
            month=month,
            by=hq,
            paid_on=PAID_ON if month == OCTOBER else date(2026, 11, 30),
            except_members=[m.pk for m in behind],
        )


class TestArrearsAndRate:
    def test_arrears_count_months_and_money(self, org, october, hq):
        a1 = org.members["A1"]
        for member in org.members["A1"] + org.members["B1"]:
            pay(member, NOVEMBER, "5000.00")
        services.dues_compute_month(month=NOVEMBER, by=hq)
        collect_all(org, OCTOBER, hq, behind=[a1[0], a1[1]])
        collect_all(org, NOVEMBER, hq, behind=[a1[0]])
        _filter, rows, totals, _m = selectors.arrears(user=hq, params={})
        rows = list(rows)
        assert [(r["member"], r["months"], r["owed"]) for r in rows] == [
            (a1[0].pk, 2, Decimal("59.25")),  # 34.25 + 25.00
            (a1[1].pk, 1, Decimal("25.00")),
        ]
        assert totals == {"members": 2, "owed": Decimal("84.25")}
        _filter, rows, _totals, _m = selectors.arrears(user=hq, params={"months": "2"})
        assert [r["member"] for r in rows] == [a1[0].pk]

    def test_the_collection_rate_of_two_workshop_unions_by_hand(self, org, october, hq):
        """October: each workshop union owes 2 × (34.25 + 25 + 25) = 168.50. A collects all
        but one 25.00 (143.50 ÷ 168.50 = 85.2 %); B all but a 34.25 (134.25 ÷ 168.50 =
        79.7 %); together 277.75 ÷ 337.00 = 82.4 %."""
        collect_all(org, OCTOBER, hq, behind=[org.members["A2"][1], org.members["B1"][0]])
        rows, total = selectors.collection_rates(user=hq, month=OCTOBER)
        by_code = {row.workshop.code: row for row in rows}
        a, b = by_code["A"], by_code["B"]
        assert (a.month_due, a.month_paid) == (Decimal("168.50"), Decimal("143.50"))
        assert (b.month_due, b.month_paid) == (Decimal("168.50"), Decimal("134.25"))
        assert round(a.month_rate * 100, 1) == Decimal("85.2")
        assert round(b.month_rate * 100, 1) == Decimal("79.7")
        assert (total.month_due, total.month_paid) == (Decimal("337.00"), Decimal("277.75"))
        assert round(total.month_rate * 100, 1) == Decimal("82.4")
        # The year to date adds November: A owes 168.50 more and pays it all.
        for member in org.members["A1"] + org.members["A2"]:
            pay(member, NOVEMBER, "5000.00" if member not in (org.members["A1"][0],) else "6850")
        services.dues_compute_month(month=NOVEMBER, workshop=org.a, by=hq)
        services.dues_record_collection(
            workshop=org.a, month=NOVEMBER, by=hq, paid_on=date(2026, 11, 30)
        )
        rows, total = selectors.collection_rates(user=hq, month=NOVEMBER)
        a = next(row for row in rows if row.workshop.code == "A")
        # November: A1 34.25 + 25 + 25, A2 3 × 25 = 159.25, all paid.
        assert (a.month_rate, a.year_due, a.year_paid) == (1, Decimal("327.75"), Decimal("302.75"))

    def test_a_workshop_union_sees_its_own_rate_and_a_leader_none(
        self, org, october, workshop_a, leader_a1, login
    ):
        page = login(workshop_a).get(reverse("dues:rate"), {"month": "2026-10"})
        text = page.content.decode()
        assert org.a.name in text and org.b.name not in text
        assert login(leader_a1).get(reverse("dues:rate")).status_code == 403


class TestWhoSeesWhat:
    def test_the_ledger_of_a_workshop_union_and_of_a_leader(
        self, org, october, workshop_a, leader_a1, login
    ):
        ledger = login(workshop_a).get(reverse("dues:ledger"), {"month": "2026-10"})
        text = ledger.content.decode()
        assert org.members["A2"][0].name in text and org.members["B1"][0].name not in text
        assert "¥6,850.00 × 0.5%" in text  # the pay it came from
        ledger = login(leader_a1).get(reverse("dues:ledger"), {"month": "2026-10"})
        text = ledger.content.decode()
        assert org.members["A1"][0].name in text and org.members["A2"][0].name not in text
        assert "¥34.25" in text and "6,850" not in text  # the dues, not the pay

    def test_the_member_page_shows_the_pay_only_to_hq_and_the_workshop_union(
        self, org, october, hq, workshop_a, leader_a1, login
    ):
        member = org.members["A1"][0]
        url = reverse("dues:member", args=[member.pk])
        for user in (hq, workshop_a):
            assert "6,850.00" in login(user).get(url).content.decode()
        text = login(leader_a1).get(url).content.decode()
        assert "¥34.25" in text and "6,850" not in text
        other = login(leader_a1).get(reverse("dues:member", args=[org.members["A2"][0].pk]))
        assert other.status_code == 404

    def test_the_member_page_links_to_the_dues(self, org, october, leader_a1, login):
        member = org.members["A1"][0]
        page = login(leader_a1).get(reverse("groups:member_detail", args=[member.pk]))
        assert reverse("dues:member", args=[member.pk]) in page.content.decode()

    def test_a_leader_records_nothing_on_the_pages(self, org, october, leader_a1, login):
        client = login(leader_a1)
        charge = DuesCharge.objects.filter(group=org.A1).first()
        assert client.get(reverse("dues:collect")).status_code == 403
        assert client.post(reverse("dues:compute"), {"month": "2026-10"}).status_code == 403
        assert client.post(reverse("dues:charge_undo", args=[charge.pk])).status_code == 403
        assert client.get(reverse("dues:export")).status_code == 403

    def test_the_querysets_say_the_same(self, org, october, hq, workshop_a, leader_a1, evaluator):
        assert DuesCharge.objects.restrict(hq).count() == 12
        assert set(
            DuesCharge.objects.restrict(workshop_a).values_list("group__workshop", flat=True)
        ) == {org.a.pk}
        assert set(DuesCharge.objects.restrict(leader_a1).values_list("group", flat=True)) == {
            org.A1.pk
        }
        assert not DuesCharge.objects.restrict(evaluator).exists()
        from dues.models import PAY, BasePay

        assert not BasePay.objects.restrict(leader_a1).exists()
        assert BasePay.objects.restrict(workshop_a).count() == 6
        assert not DuesCharge.objects.may(leader_a1, PAY)
        assert not DuesCollection.objects.may(leader_a1)


class TestExport:
    def test_a_summary_sheet_and_a_sheet_per_month_with_money_in_two_places(
        self, org, october, hq, workshop_a, login
    ):
        collect_all(org, OCTOBER, hq, behind=[org.members["A2"][1]])
        response = login(workshop_a).get(reverse("dues:export"), {"year": "2026"})
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames[0] in ("Dues summary", "会费汇总")
        assert "2026-10" in book.sheetnames and "2026-01" in book.sheetnames
        summary = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
        assert summary == [("2026-10", org.a.name, 6, 168.5, 143.5, 25, "85.2%")]
        detail = book["2026-10"]
        rows = list(detail.iter_rows(min_row=2, values_only=True))
        assert len(rows) == 6 and {r[0] for r in rows} == {org.a.name}
        first = rows[0]
        assert first[2] == org.members["A1"][0].employee_no
        assert (first[5], first[6], first[7], first[8]) == (6850, "0.5", 34.25, 34.25)
        assert detail.cell(row=2, column=8).number_format == "#,##0.00"


class TestQueryCounts:
    def grow(self, org, months=(OCTOBER,)):
        from dues.models import BasePay

        for group in org.groups.values():
            for member in MemberFactory.create_batch(6, group=group):
                for month in months:
                    BasePay.objects.create(member=member, month=month, amount=Decimal("5200"))
        for month in months:
            services.dues_compute_month(month=month, by=None)

    @pytest.mark.parametrize(
        "params",
        [
            {"month": "2026-10"},
            {"month": "2026-10", "view": "group"},
            {"year": "2026", "view": "workshop"},
            {"month": "2026-10", "workshop": "A"},
        ],
    )
    def test_the_ledger(
        self, org, october, hq, workshop_a, login, django_assert_num_queries, params
    ):
        """Session, user, roles (2), totals, count, the page's rows, the workshop union
        choices, the group choices (HQ, who reaches several workshop unions, is offered
        none until one is chosen: no query) and the chosen workshop union, checked; a
        workshop union's menu asks one more (the 小家 notices)."""
        hq_groups = 0
        if params.get("workshop"):
            params, hq_groups = {**params, "workshop": org.a.pk}, 2
        for user, expected in ((hq, 8 + hq_groups), (workshop_a, 10 + bool(hq_groups))):
            client = login(user)
            client.get(reverse("dues:ledger"), params)  # the session is warm
            with django_assert_num_queries(expected):
                assert client.get(reverse("dues:ledger"), params).status_code == 200
        self.grow(org)
        for user, expected in ((hq, 8 + hq_groups), (workshop_a, 10 + bool(hq_groups))):
            client = login(user)
            with django_assert_num_queries(expected):
                client.get(reverse("dues:ledger"), params)

    def test_the_rate_arrears_and_collect_pages(
        self, org, october, hq, workshop_a, login, django_assert_num_queries
    ):
        pages = {
            # session, user, roles (2), menu, workshop unions, the month, the year to date
            reverse("dues:rate") + "?month=2026-10": 8,
            # session, user, roles (2), menu, totals, count, choices (2), rows
            reverse("dues:arrears"): 10,
            # session, user, roles (2), menu, workshop unions (2), totals, unpaid, members
            # without dues, the rule, base pay, collections
            reverse("dues:collect") + f"?workshop={org.a.pk}&month=2026-10": 13,
        }
        client = login(workshop_a)
        for url, expected in pages.items():
            with django_assert_num_queries(expected):
                assert client.get(url).status_code == 200
        self.grow(org)
        for url, expected in pages.items():
            with django_assert_num_queries(expected):
                client.get(url)
