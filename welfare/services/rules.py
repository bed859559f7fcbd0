"""The assistance types' rules, read from the data HQ keeps (CaseType, WelfareSettings):
eligibility from the hardship archive, the 大病 pay rule on the bills, the yearly caps per
member and the repeat warning. The case services apply them when a case is filed and
again when it is approved; the pages use the same functions to say why and to pre-fill.

A case counts in the calendar year it was applied for, with the amount paid (or approved,
until it is paid) once HQ has approved it; rejected and waiting cases do not count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from funds.money import money
from unionhome.dates import day_label
from unionhome.templatetags.unionhome import yuan

from ..models import (
    CaseStatus,
    CaseType,
    HardshipRecord,
    HardshipStatus,
    WelfareCase,
    WelfareSettings,
)

COUNTED = (CaseStatus.APPROVED, CaseStatus.PAID, CaseStatus.ARCHIVED)
ZERO = Decimal("0.00")


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has fewer)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# Eligibility ------------------------------------------------------------------------------


def eligibility_error(*, case_type: CaseType, member, on: date) -> str | None:
    """Why the member cannot have this type of help on `on` (None: they can). A type that
    names hardship classes needs the member's open archive entry in one of them, reviewed
    within the type's months."""
    classes = list(case_type.required_classes.all())
    if not classes:
        return None
    names = "、".join(c.name for c in classes)
    record = (
        HardshipRecord.objects.filter(member=member, status=HardshipStatus.ACTIVE)
        .select_related("hardship_class")
        .first()
    )
    if record is None:
        return _(
            "%(type)s is for members in the hardship archive (%(classes)s); %(name)s is not in "
            "the archive."
        ) % {"type": case_type.name, "classes": names, "name": member.name}
    if record.hardship_class_id not in {c.pk for c in classes}:
        return _(
            "%(type)s is for the classes %(classes)s; %(name)s is in the archive as %(class)s."
        ) % {
            "type": case_type.name,
            "classes": names,
            "name": member.name,
            "class": record.hardship_class.name,
        }
    months = case_type.review_within_months
    if months and record.last_reviewed_on < months_before(on, months):
        return _(
            "%(type)s needs an archive entry reviewed within %(months)s months; %(name)s's was "
            "last reviewed on %(day)s. Record the yearly review first."
        ) % {
            "type": case_type.name,
            "months": months,
            "name": member.name,
            "day": day_label(record.last_reviewed_on, "date"),
        }
    return None


# The 大病 pay rule ------------------------------------------------------------------------


def bill_rule_amount(case_type: CaseType, out_of_pocket) -> Decimal | None:
    """min(cap, share × max(0, out-of-pocket − threshold)), rounded to the fen; None when
    the type pays by no rule on the bills."""
    if not case_type.needs_medical_bills or case_type.bill_share is None:
        return None
    base = max(Decimal(0), Decimal(out_of_pocket) - (case_type.bill_threshold or 0))
    amount = money(base * case_type.bill_share / 100)
    return min(amount, case_type.bill_cap) if case_type.bill_cap is not None else amount


def case_bill_amount(case: WelfareCase, bills=None) -> Decimal | None:
    """The rule's amount on the case's bills (`bills`: when the caller has them)."""
    bills = list(case.bills.all()) if bills is None else bills
    return bill_rule_amount(case.case_type, sum((b.out_of_pocket for b in bills), ZERO))


# Caps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    amount: Decimal
    count: int


def received(*, member, year: int, case_type: CaseType | None = None, exclude=None) -> Received:
    """What the member has been given in `year` (all types, or one), other than `exclude`."""
    cases = WelfareCase.objects.filter(member=member, applied_on__year=year, status__in=COUNTED)
    if case_type is not None:
        cases = cases.filter(case_type=case_type)
    if exclude is not None and exclude.pk:
        cases = cases.exclude(pk=exclude.pk)
    row = cases.aggregate(
        amount=Sum(
            Coalesce("amount_paid", "amount_approved"),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
        count=Count("pk"),
    )
    return Received(money(row["amount"] or 0), row["count"])


@dataclass(frozen=True)
class CapRoom:
    """The most this case may still be given, and the cap that decides it (for the
    message: what was given, the cap, what remains)."""

    remaining: Decimal | None  # None: no cap applies
    given: Decimal = ZERO
    cap: Decimal | None = None
    label: str = ""

    def message(self) -> str:
        return _(
            "%(what)s: %(given)s received this year, the limit is %(cap)s, at most %(left)s "
            "this time."
        ) % {
            "what": self.label,
            "given": yuan(self.given),
            "cap": yuan(self.cap),
            "left": yuan(self.remaining),
        }


def cap_room(*, case_type: CaseType, member, year: int, exclude=None) -> CapRoom:
    """The room left under the type's yearly cap and the overall one, the tighter first."""
    rooms = []
    if case_type.yearly_cap_amount is not None:
        given = received(member=member, year=year, case_type=case_type, exclude=exclude).amount
        rooms.append(
            CapRoom(
                max(ZERO, case_type.yearly_cap_amount - given),
                given,
                case_type.yearly_cap_amount,
                case_type.name,
            )
        )
    overall = WelfareSettings.current().yearly_cap_amount
    if overall is not None:
        given = received(member=member, year=year, exclude=exclude).amount
        rooms.append(
            CapRoom(max(ZERO, overall - given), given, overall, _("All assistance together"))
        )
    if not rooms:
        return CapRoom(None)
    return min(rooms, key=lambda room: room.remaining)


def count_error(*, case_type: CaseType, member, year: int, exclude=None) -> str | None:
    """Refusal when the member already had the most cases of this type in the year."""
    cap = case_type.yearly_cap_count
    if cap is None:
        return None
    count = received(member=member, year=year, case_type=case_type, exclude=exclude).count
    if count < cap:
        return None
    return _(
        "%(name)s has had %(count)s cases of %(type)s this year; the limit is %(cap)s a year."
    ) % {"name": member.name, "count": count, "type": case_type.name, "cap": cap}


def repeat_of(*, case_type: CaseType, member, applied_on: date, exclude=None):
    """The member's earlier case of the type within the type's repeat window (the latest),
    or None."""
    days = case_type.repeat_window_days
    if not days:
        return None
    earlier = (
        WelfareCase.objects.filter(
            member=member,
            case_type=case_type,
            applied_on__gte=applied_on - timedelta(days=days),
            applied_on__lte=applied_on,
        )
        .exclude(status=CaseStatus.REJECTED)
        .select_related("member")
        .order_by("-applied_on", "-pk")
    )
    if exclude is not None and exclude.pk:
        earlier = earlier.exclude(pk=exclude.pk)
    return earlier.first()


def repeat_warning(case_type: CaseType, earlier: WelfareCase) -> str:
    return _(
        "A repeat application: %(name)s applied for %(type)s on %(day)s (case %(number)s), "
        "within %(days)s days."
    ) % {
        "name": earlier.member.name,
        "type": case_type.name,
        "day": day_label(earlier.applied_on, "date"),
        "number": earlier.number,
        "days": case_type.repeat_window_days,
    }


def suggested_amount(*, case: WelfareCase, start) -> Decimal:
    """What the approval form offers: `start` (the workshop's or the member's figure) cut
    to the type's limit, the 大病 rule's amount and the room left under the caps."""
    amounts = [Decimal(start)]
    if case.case_type.limit is not None:
        amounts.append(case.case_type.limit)
    rule = case_bill_amount(case)
    if rule is not None:
        amounts.append(rule)
    room = cap_room(
        case_type=case.case_type, member=case.member, year=case.applied_on.year, exclude=case
    )
    if room.remaining is not None:
        amounts.append(room.remaining)
    return money(min(amounts))
