"""What the funds pages and the other apps read: balances, spending, the statement."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from accounts.scoping import VIEW

from .models import (
    BatchStatus,
    Fund,
    FundBudget,
    FundIncome,
    PaidLine,
    PaymentBatch,
    PaymentLine,
)
from .money import ZERO, money


@dataclass(frozen=True)
class Balance:
    """A fund's money in a year. `committed`: lines of open batches (promised, not yet
    paid); `paid`: lines of closed batches; `available` = budget + income − both."""

    budget: Decimal
    income: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def available(self) -> Decimal:
        return self.budget + self.income - self.committed - self.paid

    @property
    def spent(self) -> Decimal:
        return self.committed + self.paid


def fund_balance(*, fund, year: int) -> Balance:
    """One fund's balance for a year (three queries)."""
    budget = (
        FundBudget.objects.filter(fund=fund, year=year).values_list("amount", flat=True).first()
    )
    income = FundIncome.objects.filter(fund=fund, year=year).aggregate(s=Sum("amount"))["s"]
    lines = PaymentLine.objects.filter(batch__fund=fund, batch__year=year).aggregate(
        committed=Sum("amount", filter=Q(batch__status=BatchStatus.OPEN)),
        paid=Sum("amount", filter=Q(batch__status=BatchStatus.CLOSED)),
    )
    return Balance(
        budget=money(budget),
        income=money(income),
        committed=money(lines["committed"]),
        paid=money(lines["paid"]),
    )


@dataclass
class FundLine:
    fund: Fund
    budget: Decimal
    income: Decimal
    paid: Decimal
    committed: Decimal
    note: str = ""

    @property
    def balance(self) -> Decimal:
        """What is left after every payment, made or promised."""
        return self.budget + self.income - self.paid - self.committed

    @property
    def available(self) -> Decimal:
        return self.balance


@dataclass
class Statement:
    """The yearly 收支 statement: per fund 预算/收入/支出/结余, and spending by item."""

    year: int
    funds: list[FundLine]
    categories: list[tuple[str, str, int, Decimal]] = field(default_factory=list)

    def _sum(self, name) -> Decimal:
        return money(sum((getattr(line, name) for line in self.funds), ZERO))

    @property
    def budget(self) -> Decimal:
        return self._sum("budget")

    @property
    def income(self) -> Decimal:
        return self._sum("income")

    @property
    def paid(self) -> Decimal:
        return self._sum("paid")

    @property
    def committed(self) -> Decimal:
        return self._sum("committed")

    @property
    def balance(self) -> Decimal:
        return self._sum("balance")

    @property
    def category_total(self) -> Decimal:
        return money(sum((row[3] for row in self.categories), ZERO))


def fund_statement(*, year: int) -> Statement:
    """Every fund with a figure in the year, or in use (four queries whatever the data:
    funds, budgets, income, lines by fund)."""
    funds = list(Fund.objects.all())
    budgets = {
        b.fund_id: b for b in FundBudget.objects.filter(year=year).only("fund", "amount", "note")
    }
    income = dict(
        FundIncome.objects.filter(year=year)
        .order_by()
        .values("fund")
        .annotate(s=Sum("amount"))
        .values_list("fund", "s")
    )
    lines = {
        row["batch__fund"]: row
        for row in PaymentLine.objects.filter(batch__year=year)
        .order_by()
        .values("batch__fund")
        .annotate(
            committed=Sum("amount", filter=Q(batch__status=BatchStatus.OPEN)),
            paid=Sum("amount", filter=Q(batch__status=BatchStatus.CLOSED)),
        )
    }
    rows = []
    for fund in funds:
        budget = budgets.get(fund.pk)
        spent = lines.get(fund.pk, {})
        row = FundLine(
            fund=fund,
            budget=money(budget.amount if budget else 0),
            income=money(income.get(fund.pk)),
            paid=money(spent.get("paid")),
            committed=money(spent.get("committed")),
            note=budget.note if budget else "",
        )
        if fund.is_active or row.budget or row.income or row.paid or row.committed:
            rows.append(row)
    return Statement(year=year, funds=rows, categories=spending_by_category(year=year))


def spending_by_category(*, year: int, workshop_id=None) -> list[tuple[str, str, int, Decimal]]:
    """The money that left in the year, by kind and item (a case type's name, a
    campaign's name): lines of closed batches paid in the year, as
    [(kind, category, number of lines, amount)] (one query)."""
    lines = PaymentLine.objects.filter(
        batch__status=BatchStatus.CLOSED, batch__closed_on__year=year
    )
    if workshop_id is not None:
        lines = lines.filter(workshop_id=workshop_id)
    return [
        (kind, category, count, money(amount))
        for kind, category, count, amount in lines.order_by()
        .values("kind", "category")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by("kind", "-amount", "category")
        .values_list("kind", "category", "count", "amount")
    ]


@dataclass(frozen=True)
class Spending:
    """Money paid in a span to the members the user reaches: per workshop union (of the
    member when paid) and per item (kind, category) with the number of payments."""

    total: Decimal
    per_workshop: dict  # {workshop id: Decimal}
    by_category: list  # [(kind, category, payments, Decimal)], largest first


def spending(*, user, start, end, workshop_id=None) -> Spending:
    """What the annual figures count as paid: the lines of batches closed in the span
    (the rule of the fund statement, so that the two agree), one query."""
    lines = PaidLine.objects.restrict(user, VIEW).paid_between(start, end)
    if workshop_id:
        lines = lines.filter(workshop_id=workshop_id)
    per_workshop: dict = {}
    by_category: dict = {}
    for workshop, kind, category, count, amount in (
        lines.order_by()
        .values("workshop", "kind", "category")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .values_list("workshop", "kind", "category", "count", "amount")
    ):
        per_workshop[workshop] = per_workshop.get(workshop, ZERO) + amount
        payments, paid = by_category.get((kind, category), (0, ZERO))
        by_category[(kind, category)] = (payments + count, paid + amount)
    rows = sorted(
        ((kind, category, n, money(paid)) for (kind, category), (n, paid) in by_category.items()),
        key=lambda row: (row[0], -row[3], row[1]),
    )
    return Spending(
        total=money(sum(per_workshop.values(), ZERO)),
        per_workshop={w: money(v) for w, v in per_workshop.items()},
        by_category=rows,
    )


def batch_list(*, user, status: str = "", year: int | None = None):
    """The batches the user sees, with their totals (one query)."""
    batches = (
        PaymentBatch.objects.restrict(user, VIEW)
        .select_related("fund", "workshop")
        .annotate(total=Sum("lines__amount"), count=Count("lines"))
    )
    if status:
        batches = batches.filter(status=status)
    if year:
        batches = batches.filter(year=year)
    return batches.order_by("status", "-created_at", "-pk")


def batch_lines(batch: PaymentBatch):
    """A batch's lines in order, with what the pages show (one query)."""
    return list(
        batch.lines.select_related("member", "workshop").order_by("workshop__sort_order", "pk")
    )
