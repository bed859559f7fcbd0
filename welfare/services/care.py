"""Care visits to members (探望慰问, 生日祝贺, 节日慰问 …)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from accounts.scoping import CHANGE, require_allowed
from funds.money import money
from groups.models import Member

from ..models import CareVisit


@transaction.atomic
def visit_record(
    *,
    by,
    member: Member,
    kind: str,
    visited_on: date,
    visitors: str,
    gift_value=None,
    note: str = "",
) -> CareVisit:
    """Record a care visit to a member, counted for the group the member is in now (the
    group recording it), where it stays if the member moves later."""
    visit = CareVisit(
        member=member,
        group=member.group,
        kind=kind,
        visited_on=visited_on,
        visitors=visitors.strip(),
        note=note.strip(),
        recorded_by=by,
        gift_value=money(gift_value) if gift_value not in (None, "") else None,
    )
    require_allowed(by, CHANGE, visit)
    visit.full_clean()
    visit.save()
    return visit
