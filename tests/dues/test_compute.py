"""The month's dues by hand: rate × base pay, the rounding, a minimum, a fixed amount, a
change of rate from a month, and computing again."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dues import services
from dues.models import Basis, DuesCharge, DuesRule, FixedDues
from groups.models import MemberStatus

from .conftest import NOVEMBER, OCTOBER, pay


def charge(member, month=OCTOBER) -> DuesCharge:
    return DuesCharge.objects.get(member=member, month=month)


class TestTheRule:
    def test_half_a_percent_of_base_pay_to_the_fen(self, rule):
        assert rule.dues_for(Decimal("6850.00")) == Decimal("34.25")
        assert rule.dues_for(Decimal("5000.00")) == Decimal("25.00")
        # 4,321.00 × 0.5 % = 21.605 → 21.61 (half up)
        assert rule.dues_for(Decimal("4321.00")) == Decimal("21.61")

    def test_rounded_to_the_jiao(self, db):
        rule = DuesRule(starts_on=date(2027, 1, 1), rate_percent=Decimal("0.5"), rounding="jiao")
        assert rule.dues_for(Decimal("6850.00")) == Decimal("34.30")  # 34.25 → 34.3
        assert rule.dues_for(Decimal("6830.00")) == Decimal("34.20")  # 34.15 → 34.2
        assert rule.dues_for(Decimal("6810.00")) == Decimal("34.10")  # 34.05 → 34.1

    def test_a_minimum(self, db):
        rule = DuesRule(starts_on=date(2027, 1, 1), rate_percent=Decimal("0.5"), minimum=5)
        assert rule.dues_for(Decimal("800.00")) == Decimal("5.00")  # 4.00 raised
        assert rule.dues_for(Decimal("2000.00")) == Decimal("10.00")

    def test_the_rule_of_a_month_is_the_latest_started(self, rule):
        later = DuesRule.objects.create(starts_on=date(2026, 11, 1), rate_percent=Decimal("0.4"))
        assert DuesRule.objects.for_month(OCTOBER) == rule
        assert DuesRule.objects.for_month(NOVEMBER) == later
        assert DuesRule.objects.for_month(date(2027, 5, 1)) == later


class TestComputingAMonth:
    def test_each_member_by_the_rate_on_their_base_pay(self, org, payroll, hq):
        result = services.dues_compute_month(month=OCTOBER, by=hq)
        assert (result.created, result.updated, result.missing) == (12, 0, [])
        first = charge(org.members["A1"][0])
        assert (first.basis, first.base_pay, first.rate_percent, first.due) == (
            Basis.RATE,
            Decimal("6850.00"),
            Decimal("0.500"),
            Decimal("34.25"),
        )
        assert first.group == org.A1 and first.paid == 0 and first.rule.starts_on.year == 2000
        assert charge(org.members["B2"][2]).due == Decimal("25.00")

    def test_a_fixed_amount_instead_of_the_rate(self, org, payroll, hq):
        retired = org.members["A1"][1]
        services.fixed_dues_add(
            member=retired, amount="10", starts_on=date(2026, 9, 1), reason="退休返聘", by=hq
        )
        services.dues_compute_month(month=OCTOBER, by=hq)
        fixed = charge(retired)
        assert (fixed.basis, fixed.due, fixed.base_pay, fixed.rate_percent) == (
            Basis.FIXED,
            Decimal("10.00"),
            None,
            None,
        )

    def test_a_member_without_base_pay_or_fixed_amount_is_reported_not_charged(
        self, org, payroll, hq
    ):
        missing = org.members["A2"][2]
        missing.base_pay.all().delete()
        result = services.dues_compute_month(month=OCTOBER, by=hq)
        assert result.missing == [missing] and result.created == 11
        assert not DuesCharge.objects.filter(member=missing).exists()

    def test_a_change_of_rate_from_a_month_leaves_the_months_before_alone(self, org, payroll, hq):
        member = org.members["A1"][0]
        pay(member, NOVEMBER, "6850.00")
        services.dues_compute_month(month=OCTOBER, by=hq)
        DuesRule.objects.create(
            starts_on=NOVEMBER, rate_percent=Decimal("0.4"), rounding="jiao", note="2026年11月起"
        )
        services.dues_compute_month(month=NOVEMBER, by=hq)
        # October computed again: still its own rule's 34.25.
        services.dues_compute_month(month=OCTOBER, by=hq)
        assert charge(member).due == Decimal("34.25")
        november = charge(member, NOVEMBER)
        assert (november.rate_percent, november.due) == (Decimal("0.400"), Decimal("27.40"))

    def test_computing_again_is_idempotent_and_follows_corrected_pay(self, org, payroll, hq):
        services.dues_compute_month(month=OCTOBER, by=hq)
        again = services.dues_compute_month(month=OCTOBER, by=hq)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 12)
        member = org.members["A1"][0]
        pay(member, OCTOBER, "7000.00")
        result = services.dues_compute_month(month=OCTOBER, by=hq)
        assert (result.created, result.updated, result.unchanged) == (0, 1, 11)
        assert charge(member).due == Decimal("35.00")
        assert DuesCharge.objects.filter(month=OCTOBER).count() == 12

    def test_a_paid_charge_is_never_changed(self, org, payroll, hq, workshop_a):
        services.dues_compute_month(month=OCTOBER, by=hq)
        member = org.members["A1"][0]
        services.dues_record_collection(
            workshop=org.a,
            month=OCTOBER,
            by=workshop_a,
            paid_on=date(2026, 10, 31),
            only_members=[member.pk],
        )
        pay(member, OCTOBER, "9000.00")
        result = services.dues_compute_month(month=OCTOBER, by=hq)
        assert result.paid_kept == 1 and result.updated == 0
        paid = charge(member)
        assert (paid.due, paid.paid, paid.base_pay) == (
            Decimal("34.25"),
            Decimal("34.25"),
            Decimal("6850.00"),
        )

    def test_members_who_left_before_the_month_or_joined_after_it_owe_nothing(
        self, org, payroll, hq
    ):
        left, joined, stayed = org.members["B1"]
        left.status, left.left_on = MemberStatus.LEFT, date(2026, 9, 20)
        left.save()
        joined.joined_union_on = date(2026, 11, 3)
        joined.save()
        services.dues_compute_month(month=OCTOBER, by=hq)
        owing = set(DuesCharge.objects.filter(group=org.B1).values_list("member", flat=True))
        assert owing == {stayed.pk}

    def test_a_workshop_union_computes_its_own_and_no_other(self, org, payroll, workshop_a):
        services.dues_compute_month(month=OCTOBER, workshop=org.a, by=workshop_a)
        assert set(DuesCharge.objects.values_list("group__workshop", flat=True)) == {org.a.pk}
        with pytest.raises(PermissionDenied):
            services.dues_compute_month(month=OCTOBER, workshop=org.b, by=workshop_a)

    def test_a_group_leader_computes_nothing(self, org, payroll, leader_a1):
        with pytest.raises(PermissionDenied):
            services.dues_compute_month(month=OCTOBER, workshop=org.a, by=leader_a1)
        with pytest.raises(PermissionDenied):
            services.dues_compute_month(month=OCTOBER, by=leader_a1)

    def test_no_month_in_the_future(self, org, payroll, hq):
        with pytest.raises(ValidationError):
            services.dues_compute_month(month=date(2099, 1, 1), by=hq)


class TestFixedAmounts:
    def test_a_new_fixed_amount_ends_the_open_one_the_month_before(self, org, hq):
        member = org.members["A1"][0]
        services.fixed_dues_add(
            member=member, amount="10", starts_on=date(2026, 1, 1), reason="退休返聘", by=hq
        )
        services.fixed_dues_add(
            member=member, amount="12", starts_on=date(2026, 7, 1), reason="调整", by=hq
        )
        spans = list(
            FixedDues.objects.filter(member=member)
            .order_by("starts_on")
            .values_list("starts_on", "ends_on")
        )
        assert spans == [(date(2026, 1, 1), date(2026, 6, 1)), (date(2026, 7, 1), None)]
        assert FixedDues.objects.for_month(date(2026, 6, 1)).get().amount == Decimal("10.00")

    def test_overlapping_amounts_are_refused(self, org, hq):
        member = org.members["A1"][0]
        services.fixed_dues_add(
            member=member,
            amount="10",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 8, 1),
            reason="定额",
            by=hq,
        )
        with pytest.raises(ValidationError):
            services.fixed_dues_add(
                member=member, amount="8", starts_on=date(2026, 1, 1), reason="定额", by=hq
            )

    def test_a_workshop_union_sets_its_own_members_only(self, org, workshop_a, leader_a1):
        with pytest.raises(PermissionDenied):
            services.fixed_dues_add(
                member=org.members["B1"][0],
                amount="10",
                starts_on=date(2026, 1, 1),
                reason="定额",
                by=workshop_a,
            )
        with pytest.raises(PermissionDenied):
            services.fixed_dues_add(
                member=org.members["A1"][0],
                amount="10",
                starts_on=date(2026, 1, 1),
                reason="定额",
                by=leader_a1,
            )
