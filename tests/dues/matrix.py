"""Dues records for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: a fixed amount and January's unpaid dues
of A1's member, and of the marker member of B2 (for the list markers)."""

from datetime import date
from decimal import Decimal

from dues.models import Basis, DuesCharge, FixedDues
from groups.models import Member

MARKER = "标记甲乙"


def dues_records(world):
    if not hasattr(world, "dues"):
        member = world.member
        fixed = FixedDues.objects.create(
            member=member, amount=Decimal("10"), starts_on=date(2026, 1, 1), reason="退休返聘"
        )
        charges = [
            DuesCharge.objects.create(
                member=each,
                month=date(2026, 1, 1),
                group=each.group,
                basis=Basis.FIXED,
                fixed=fixed if each == member else None,
                due=Decimal("10"),
            )
            for each in (member, Member.objects.get(name=MARKER))
        ]
        world.dues = {"fixed": fixed, "charge": charges[0]}
    return world.dues


def dues_url(world, url: str) -> str:
    """`url`, once the dues records are in place (the lists show them)."""
    dues_records(world)
    return url
