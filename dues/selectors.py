"""Reads for the dues pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Min, Q, Sum

from accounts.scoping import VIEW
from groups.models import WorkshopUnion

from .filters import ArrearsFilter, ChargeFilter
from .models import OVERSEE, PAY, BasePay, DuesCharge, DuesCollection, DuesRule, FixedDues
from .months import month_end, this_month

ZERO = Decimal("0")
OWING = Q(paid__lt=F("due"))
FIGURES = {
    "charges": Count("pk"),
    "members": Count("member", distinct=True),
    "total_due": Sum("due", default=ZERO),
    "total_paid": Sum("paid", default=ZERO),
    "owing": Count("pk", filter=OWING),
}
VIEWS = ("member", "group", "workshop")


def rate_of(paid, due):
    """会费收缴率, amount-wise: collected ÷ due; None when nothing is due."""
    return (paid / due) if due else None


def ledger(*, user, params):
    """The ledger: the filtered charges, and their totals. `view` is member (a row per
    member and month), group or workshop (a row per union group or workshop union)."""
    data = params.copy()
    if not data.get("month") and not data.get("year"):
        data["month"] = this_month().strftime("%Y-%m")
    charges = DuesCharge.objects.restrict(user, VIEW)
    charge_filter = ChargeFilter(data, queryset=charges, user=user)
    filtered = charge_filter.qs
    totals = filtered.aggregate(**FIGURES)
    totals["rate"] = rate_of(totals["total_paid"], totals["total_due"])
    view = params.get("view") if params.get("view") in VIEWS else "member"
    if view == "member":
        rows = filtered.select_related("member", "group__workshop", "recorded_by").order_by(
            "group__workshop__sort_order",
            "group__workshop__code",
            "group__sort_order",
            "group__code",
            "member__employee_no",
            "month",
        )
    elif view == "group":
        rows = (
            filtered.values("group", "group__name", "group__workshop__name")
            .annotate(**FIGURES)
            .order_by("group__workshop__sort_order", "group__workshop__code", "group__sort_order")
        )
    else:
        rows = (
            filtered.values("group__workshop", "group__workshop__name")
            .annotate(**FIGURES)
            .order_by("group__workshop__sort_order", "group__workshop__code")
        )
    return charge_filter, rows, totals, view


def with_rates(rows):
    for row in rows:
        row["rate"] = rate_of(row["total_paid"], row["total_due"])
    return rows


def mark_pay_visible(user, charges) -> None:
    """Each charge says whether the user may read the pay it came from (rate × base)."""
    queryset = DuesCharge.objects.get_queryset()
    scope = queryset.scope(user, PAY)
    for charge in charges:
        charge.pay_visible = queryset.scope_allows(user, scope, charge)


def arrears(*, user, params):
    """Members with unpaid dues of months that have ended: how many months, how much,
    from when. One row per member and the group the dues are kept in."""
    charges = DuesCharge.objects.restrict(user, VIEW).filter(OWING, month__lt=this_month())
    arrears_filter = ArrearsFilter(params, queryset=charges, user=user)
    owing = arrears_filter.qs
    rows = (
        owing.values(
            "member",
            "member__name",
            "member__employee_no",
            "group",
            "group__name",
            "group__workshop__name",
        )
        .annotate(
            months=Count("pk"),
            owed=Sum(F("due") - F("paid")),
            first=Min("month"),
            last=Max("month"),
        )
        .order_by("-months", "-owed", "member__employee_no")
    )
    min_months = str(params.get("months") or "")
    if min_months in ("2", "3", "6"):
        rows = rows.filter(months__gte=int(min_months))
    totals = owing.aggregate(
        members=Count("member", distinct=True), owed=Sum(F("due") - F("paid"), default=ZERO)
    )
    return arrears_filter, rows, totals, min_months


@dataclass
class RateRow:
    workshop: WorkshopUnion | None
    month_due: Decimal = ZERO
    month_paid: Decimal = ZERO
    month_charges: int = 0
    month_settled: int = 0
    year_due: Decimal = ZERO
    year_paid: Decimal = ZERO

    @property
    def month_rate(self):
        return rate_of(self.month_paid, self.month_due)

    @property
    def year_rate(self):
        return rate_of(self.year_paid, self.year_due)


def oversee_workshops(user):
    """The workshop unions whose 收缴率 the user reads: all for HQ, their own for a
    workshop union."""
    groups = DuesCharge.objects.groups_in_reach(user, OVERSEE)
    return WorkshopUnion.objects.filter(pk__in=groups.values("workshop"), is_active=True)


def collection_rates(*, user, month: date) -> tuple[list[RateRow], RateRow]:
    """会费收缴率 per workshop union for `month` and for its year up to it (three queries)."""
    workshops = list(oversee_workshops(user))
    charges = DuesCharge.objects.restrict(user, OVERSEE)
    rows = {w.pk: RateRow(w) for w in workshops}
    figures = {
        "total_due": Sum("due", default=ZERO),
        "total_paid": Sum("paid", default=ZERO),
        "charges": Count("pk"),
        "settled": Count("pk", filter=Q(paid__gte=F("due"))),
    }
    for line in (
        charges.filter(month=month).values("group__workshop").annotate(**figures).order_by()
    ):
        row = rows.get(line["group__workshop"])
        if row is not None:
            row.month_due, row.month_paid = line["total_due"], line["total_paid"]
            row.month_charges, row.month_settled = line["charges"], line["settled"]
    for line in (
        charges.filter(month__gte=date(month.year, 1, 1), month__lte=month)
        .values("group__workshop")
        .annotate(**figures)
        .order_by()
    ):
        row = rows.get(line["group__workshop"])
        if row is not None:
            row.year_due, row.year_paid = line["total_due"], line["total_paid"]
    total = RateRow(None)
    for row in rows.values():
        for name in (
            "month_due",
            "month_paid",
            "month_charges",
            "month_settled",
            "year_due",
            "year_paid",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return list(rows.values()), total


@dataclass
class MonthState:
    """A workshop union's month on the collection page."""

    month: date
    rule: DuesRule | None
    totals: dict
    unpaid: list
    without_dues: int  # members owing the month with no charge yet (no base pay, not computed)
    base_pay: int  # base pay imported for the month
    collections: list


def collect_state(*, user, workshop: WorkshopUnion, month: date) -> MonthState:
    from .services import members_owing

    charges = DuesCharge.objects.restrict(user, VIEW).filter(month=month, group__workshop=workshop)
    totals = charges.aggregate(**FIGURES)
    totals["rate"] = rate_of(totals["total_paid"], totals["total_due"])
    unpaid = list(
        charges.filter(OWING)
        .select_related("member", "group")
        .order_by("group__sort_order", "group__code", "member__employee_no")
    )
    owing = members_owing(month, workshop.groups.all())
    without = owing.exclude(dues_charges__month=month).count()
    base_pay = BasePay.objects.restrict(user, VIEW).filter(
        month=month, member__group__workshop=workshop
    )
    return MonthState(
        month=month,
        rule=DuesRule.objects.for_month(month),
        totals=totals,
        unpaid=unpaid,
        without_dues=without,
        base_pay=base_pay.count(),
        collections=list(
            DuesCollection.objects.restrict(user, VIEW)
            .filter(workshop=workshop, month=month)
            .select_related("recorded_by")
        ),
    )


def member_dues(*, user, member):
    """A member's dues over the last three years, newest first, and their fixed amounts."""
    charges = list(
        DuesCharge.objects.restrict(user, VIEW)
        .filter(member=member)
        .select_related("group__workshop", "recorded_by")
        .order_by("-month")[:36]
    )
    mark_pay_visible(user, charges)
    fixed = list(
        FixedDues.objects.restrict(user, VIEW).filter(member=member).select_related("recorded_by")
    )
    return charges, fixed


def export_summary(*, user, first: date, last: date):
    """Per month and workshop union: members charged, due, paid, owing, 收缴率."""
    return (
        DuesCharge.objects.restrict(user, OVERSEE)
        .filter(month__gte=first, month__lte=month_end(last))
        .values("month", "group__workshop__name")
        .annotate(**FIGURES)
        .order_by("month", "group__workshop__sort_order", "group__workshop__code")
    )


def export_month(*, user, month: date):
    return (
        DuesCharge.objects.restrict(user, OVERSEE)
        .filter(month=month)
        .select_related("member", "group__workshop", "recorded_by")
        .order_by(
            "group__workshop__sort_order",
            "group__workshop__code",
            "group__sort_order",
            "group__code",
            "member__employee_no",
        )
    )
