"""Changes to the dues: computing a month, recording what was collected, fixed amounts.

Each service is keyword-only, runs in one transaction, checks the acting user again
(`by=None` is the operator at the command line) and leaves who did it in the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.scoping import CHANGE, require_allowed
from groups.models import Member, MemberStatus, UnionGroup, WorkshopUnion
from unionhome.dates import month_label
from unionhome.validators import check_not_in_future

from .models import (
    BasePay,
    Basis,
    DuesCharge,
    DuesCollection,
    DuesRule,
    FixedDues,
    PaymentMethod,
)
from .months import month_end, previous_month, this_month

BATCH = 1000
COMPUTED_FIELDS = ["group", "basis", "base_pay", "rate_percent", "rule", "fixed", "due"]


def _check_month(month: date) -> None:
    if month.day != 1:
        raise ValidationError({"month": _("A month is given by its first day.")})
    if month > this_month():
        raise ValidationError({"month": _("Dues are computed for this month or earlier ones.")})


def groups_to_charge(by, workshop: WorkshopUnion | None):
    """The union groups whose dues `by` keeps: `workshop`'s, or all in their reach."""
    groups = DuesCharge.objects.groups_in_reach(by, CHANGE) if by is not None else None
    if groups is None:
        groups = UnionGroup.objects.all()
    if workshop is not None:
        if by is not None and not DuesCollection.objects.allows(
            by, CHANGE, DuesCollection(workshop=workshop)
        ):
            raise PermissionDenied
        groups = groups.filter(workshop=workshop)
    elif by is not None and not DuesCharge.objects.may(by, CHANGE):
        raise PermissionDenied
    return groups


def members_owing(month: date, groups):
    """The members of `groups` who were in the union during `month`: still active, or left
    in it or later, and joined by its end."""
    return Member.objects.filter(group__in=groups).filter(
        Q(status=MemberStatus.ACTIVE) | Q(left_on__gte=month),
        Q(joined_union_on__isnull=True) | Q(joined_union_on__lte=month_end(month)),
    )


@dataclass
class ComputeResult:
    month: date
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    paid_kept: int = 0  # charges with a payment: never recomputed
    removed: int = 0  # unpaid charges of members who no longer owe the month
    missing: list = field(default_factory=list)  # members with neither base pay nor fixed


@transaction.atomic
def dues_compute_month(*, month: date, workshop: WorkshopUnion | None = None, by) -> ComputeResult:
    """Compute (or compute again) the month's dues of `workshop`'s members, or of every
    workshop union in `by`'s reach. A member with a fixed amount for the month pays it;
    the others pay the month's rule on their base pay. Idempotent: running it again
    changes only what the data changed, and never a charge with anything paid."""
    _check_month(month)
    rule = DuesRule.objects.for_month(month)
    groups = groups_to_charge(by, workshop)
    # One computation of a workshop union's month at a time.
    list(WorkshopUnion.objects.select_for_update().filter(pk__in=groups.values("workshop")))
    members = members_owing(month, groups)
    fixed = {f.member_id: f for f in FixedDues.objects.for_month(month).filter(member__in=members)}
    base = dict(
        BasePay.objects.filter(month=month, member__in=members).values_list("member", "amount")
    )
    # Locked: a payment recorded meanwhile waits, and is never overwritten.
    existing = {
        c.member_id: c
        for c in DuesCharge.objects.select_for_update().filter(month=month, member__in=members)
    }
    result = ComputeResult(month=month)
    new, changed, stale = [], [], []
    needs_rule = False
    for member in members.order_by("employee_no"):
        values = None
        if member.pk in fixed:
            values = {
                "basis": Basis.FIXED,
                "base_pay": None,
                "rate_percent": None,
                "rule_id": None,
                "fixed_id": fixed[member.pk].pk,
                "due": fixed[member.pk].amount,
            }
        elif member.pk in base:
            if rule is None:
                needs_rule = True
                continue
            values = {
                "basis": Basis.RATE,
                "base_pay": base[member.pk],
                "rate_percent": rule.rate_percent,
                "rule_id": rule.pk,
                "fixed_id": None,
                "due": rule.dues_for(base[member.pk]),
            }
        charge = existing.get(member.pk)
        if values is None:
            result.missing.append(member)
            if charge is not None and charge.paid == 0:
                stale.append(charge.pk)
            continue
        values["group_id"] = member.group_id
        if charge is None:
            new.append(DuesCharge(member=member, month=month, **values))
        elif charge.paid > 0:
            result.paid_kept += 1
        elif any(getattr(charge, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(charge, key, value)
            changed.append(charge)
        else:
            result.unchanged += 1
    if needs_rule:
        raise ValidationError(
            _("No dues rule applies to %(month)s: HQ sets the rate in the admin site.")
            % {"month": month_label(month)}
        )
    # Unpaid charges of members who no longer owe the month here (left, moved away).
    stale_charges = (
        DuesCharge.objects.filter(month=month, group__in=groups, paid=0)
        .exclude(member__in=members)
        .values_list("pk", flat=True)
    )
    stale += list(stale_charges)
    if stale:
        for charge in DuesCharge.objects.filter(pk__in=stale):
            charge._history_user = by
            charge.delete()
    result.removed = len(stale)
    if new:
        bulk_create_with_history(new, DuesCharge, batch_size=BATCH, default_user=by)
    if changed:
        bulk_update_with_history(
            changed,
            DuesCharge,
            COMPUTED_FIELDS,
            batch_size=BATCH,
            default_user=by,
        )
    result.created, result.updated = len(new), len(changed)
    return result


@transaction.atomic
def dues_record_collection(
    *,
    workshop: WorkshopUnion,
    month: date,
    by,
    paid_on: date,
    method: str = PaymentMethod.PAYROLL,
    except_members=(),
    only_members=None,
    amounts: dict | None = None,
    note: str = "",
) -> DuesCollection:
    """Mark the month's unpaid dues of `workshop` as paid: all of them except
    `except_members` (工资代扣: the whole workshop union but these), or only
    `only_members`. `amounts` {member id: yuan paid now} pays part of a charge (a payment
    workbook); without it each charge is paid in full."""
    collection = DuesCollection(
        workshop=workshop, month=month, paid_on=paid_on, method=method, note=note, recorded_by=by
    )
    require_allowed(by, CHANGE, collection)
    _check_month(month)
    check_not_in_future(paid_on=paid_on)
    charges = (
        DuesCharge.objects.select_for_update()
        .filter(month=month, group__workshop=workshop)
        .unpaid()
        .exclude(member__in=list(except_members))
        .order_by("pk")
    )
    if only_members is not None:
        charges = charges.filter(member__in=list(only_members))
    charges = list(charges)
    if not charges:
        raise ValidationError(_("No unpaid dues are left to record for this month."))
    collection.full_clean()
    collection.save()
    total = Decimal("0")
    for charge in charges:
        paying = charge.owed if amounts is None else amounts[charge.member_id]
        if not Decimal("0") < paying <= charge.owed:
            raise ValidationError(
                _("%(name)s owes ¥%(owed)s for the month; ¥%(paying)s cannot be recorded.")
                % {"name": charge.member.name, "owed": charge.owed, "paying": paying}
            )
        charge.paid += paying
        charge.paid_on = paid_on
        charge.collection = collection
        charge.recorded_by = by
        total += paying
    if amounts is None:
        # Paid in full, the common case (工资代扣 of a whole workshop union): one UPDATE,
        # rather than a CASE per charge and column.
        DuesCharge.objects.filter(pk__in=[c.pk for c in charges]).update(
            paid=F("due"), paid_on=paid_on, collection=collection, recorded_by=by
        )
        DuesCharge.history.bulk_history_create(
            charges, batch_size=BATCH, update=True, default_user=by
        )
    else:
        bulk_update_with_history(
            charges,
            DuesCharge,
            ["paid", "paid_on", "collection", "recorded_by"],
            batch_size=BATCH,
            default_user=by,
        )
    collection.charges, collection.amount = len(charges), total
    collection.save(update_fields=["charges", "amount"])
    return collection


@transaction.atomic
def dues_payment_undo(*, charge: DuesCharge, by, reason: str) -> DuesCharge:
    """A payment recorded by mistake: the charge is unpaid again; the history keeps who
    recorded it and who took it back, and why."""
    charge = DuesCharge.objects.select_for_update().select_related("group").get(pk=charge.pk)
    require_allowed(by, CHANGE, charge)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the payment is taken back.")})
    if charge.paid == 0:
        raise ValidationError(_("Nothing is recorded as paid for this month."))
    if charge.collection_id:
        collection = DuesCollection.objects.select_for_update().get(pk=charge.collection_id)
        collection.charges = max(collection.charges - 1, 0)
        collection.amount = max(collection.amount - charge.paid, Decimal("0"))
        collection.save(update_fields=["charges", "amount"])
    charge.paid, charge.paid_on, charge.collection, charge.recorded_by = (
        Decimal("0"),
        None,
        None,
        by,
    )
    charge._change_reason = reason.strip()[:100]
    charge._history_user = by
    charge.save()
    return charge


@transaction.atomic
def fixed_dues_add(
    *, member: Member, amount, starts_on: date, reason: str, by, ends_on: date | None = None
) -> FixedDues:
    """A fixed amount for a member from a month. An open-ended earlier fixed amount ends the
    month before (the new one replaces it)."""
    member = Member.objects.select_for_update().select_related("group").get(pk=member.pk)
    fixed = FixedDues(
        member=member,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        recorded_by=by,
    )
    require_allowed(by, CHANGE, fixed)
    earlier = FixedDues.objects.filter(
        member=member, ends_on__isnull=True, starts_on__lt=starts_on
    ).first()
    if earlier is not None:
        earlier.ends_on = previous_month(starts_on)
        earlier._history_user = by
        earlier.save(update_fields=["ends_on"])
    fixed.full_clean()
    fixed._history_user = by
    fixed.save()
    return fixed


@transaction.atomic
def fixed_dues_end(*, fixed: FixedDues, last_month: date, by) -> FixedDues:
    """The fixed amount holds until `last_month`; from the month after the rate applies."""
    fixed = FixedDues.objects.select_for_update().select_related("member__group").get(pk=fixed.pk)
    require_allowed(by, CHANGE, fixed)
    fixed.ends_on = last_month
    fixed.full_clean()
    fixed._history_user = by
    fixed.save(update_fields=["ends_on"])
    return fixed
