"""Demo dues: base pay from payroll for the last few months, the dues computed, most of
each past month collected by payroll deduction, a few members in arrears (one of them
caught up in cash later), two fixed amounts, and the running month computed but not yet
collected."""

from decimal import Decimal

from unionhome.bulk import copy_rows_with_history
from unionhome.demo import DemoContext

from .models import BasePay, DuesCharge, FixedDues, PaymentMethod
from .months import month_end, previous_month, this_month
from .services import dues_compute_month, dues_record_collection, members_owing

MONTHS = 4  # the past months with payroll and collections, before the running one


def seed(context: DemoContext) -> None:
    workshops = context.shared["workshops"]
    if DuesCharge.objects.filter(group__workshop__in=workshops).exists():
        context.log("  dues: already there")
        return
    rng = context.rng
    hq = context.shared["users"]["hq"]
    workshop_users = context.shared["workshop_users"]
    current = this_month()
    months = [current]
    for _ in range(MONTHS):
        months.insert(0, previous_month(months[0]))
    groups = context.shared["groups"]
    members = list(members_owing(months[0], groups).order_by("pk"))
    pay = {m.pk: Decimal(rng.randrange(3800, 9600, 10)) for m in members}
    # Two members rehired after retirement pay a fixed amount; one is exempt by rule.
    fixed = members[3:5] if len(members) > 5 else []
    FixedDues.objects.bulk_create(
        [
            FixedDues(
                member=m,
                amount=Decimal("10.00"),
                starts_on=months[0],
                reason="退休返聘",
                recorded_by=hq,
            )
            for m in fixed
        ]
    )
    for month in months:
        owing = members_owing(month, groups)
        rows = []
        source = f"{month.year}年{month.month}月工资表.xlsx"
        for member_id in owing.values_list("pk", flat=True):
            if member_id not in pay:
                pay[member_id] = Decimal(rng.randrange(3800, 9600, 10))
            # A raise now and then, as payrolls have.
            if rng.random() < 0.05:
                pay[member_id] += Decimal(rng.randrange(100, 500, 10))
            rows.append((member_id, month, pay[member_id], source, hq.pk))
        # A federation's payroll is 100,000 rows a month: loaded with COPY, history included.
        copy_rows_with_history(
            BasePay, ("member_id", "month", "amount", "source", "imported_by_id"), rows, user=hq
        )
        dues_compute_month(month=month, by=None)
    late = []
    for month in months[:-1]:
        paid_on = min(month_end(month), context.today)
        for workshop in workshops:
            charges = list(
                DuesCharge.objects.filter(month=month, group__workshop=workshop).values_list(
                    "member_id", flat=True
                )
            )
            if not charges:
                continue
            behind = [m for m in charges if rng.random() < 0.04]
            late += [(month, workshop, m) for m in behind[:1]]
            dues_record_collection(
                workshop=workshop,
                month=month,
                by=workshop_users.get(workshop.pk, hq),
                paid_on=paid_on,
                method=PaymentMethod.PAYROLL,
                except_members=behind,
                note="工资代扣",
            )
    # The oldest month's first late payer caught up in cash.
    for month, workshop, member_id in late[:1]:
        dues_record_collection(
            workshop=workshop,
            month=month,
            by=workshop_users.get(workshop.pk, hq),
            paid_on=min(month_end(months[-2]), context.today),
            method=PaymentMethod.CASH,
            only_members=[member_id],
            note="补交现金",
        )
    owing = DuesCharge.objects.filter(group__workshop__in=workshops).unpaid()
    context.log(
        f"  dues: {len(months)} months for {len(members)} members, "
        f"{owing.filter(month__lt=current).values('member').distinct().count()} in arrears"
    )
