"""What the welfare pages show, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.utils import timezone

from accounts.scoping import VIEW, scoped_object_or_404
from groups.models import Member, MemberStatus

from .models import (
    CareVisit,
    CaseEvent,
    CaseStatus,
    HardshipRecord,
    HardshipReview,
    HardshipStatus,
    PaperReceipt,
    WelfareCase,
)


def case_list(*, user):
    return WelfareCase.objects.restrict(user, VIEW).select_related(
        "member__group__workshop", "case_type"
    )


@dataclass
class CaseTotals:
    count: int
    requested: object
    approved: object
    paid: object


def case_totals(queryset) -> CaseTotals:
    """The totals of a filtered list, in one query."""
    row = queryset.order_by().aggregate(
        count=Count("pk"),
        requested=Sum("amount_requested"),
        approved=Sum("amount_approved"),
        paid=Sum("amount_paid"),
    )
    return CaseTotals(row["count"], row["requested"], row["approved"], row["paid"])


def case_detail(*, user, pk: int) -> WelfareCase:
    return scoped_object_or_404(
        WelfareCase.objects.select_related(
            "member__group__workshop", "case_type", "filed_by"
        ).prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("by")),
            "case_type__requirements",
            "documents",
            Prefetch("receipts", queryset=PaperReceipt.objects.select_related("by")),
        ),
        user,
        VIEW,
        pk=pk,
    )


def archive_list(*, user):
    return HardshipRecord.objects.restrict(user, VIEW).select_related("member__group__workshop")


def archive_detail(*, user, pk: int) -> HardshipRecord:
    return scoped_object_or_404(
        HardshipRecord.objects.select_related(
            "member__group__workshop", "recorded_by"
        ).prefetch_related(
            Prefetch("reviews", queryset=HardshipReview.objects.select_related("by"))
        ),
        user,
        VIEW,
        pk=pk,
    )


def reviews_due(queryset, *, within_days: int = 30):
    """Active records whose yearly review falls within the next month or is already late."""
    limit = timezone.localdate() + timedelta(days=within_days)
    return queryset.filter(status=HardshipStatus.ACTIVE, next_review_on__lte=limit)


@dataclass
class Birthday:
    day: date
    member: Member

    @property
    def turns(self) -> int:
        return self.day.year - self.member.birth_date.year


def upcoming_birthdays(members, *, today: date, days: int = 30) -> list[Birthday]:
    """The birthdays in the coming `days` days (today included), soonest first (seed:
    祝贺生日到班组). A 29 February birthday is kept on 28 February in other years."""
    end = today + timedelta(days=days)
    found = []
    for member in members:
        if member.birth_date is None:
            continue
        for year in (today.year, today.year + 1):
            try:
                day = member.birth_date.replace(year=year)
            except ValueError:
                day = date(year, 2, 28)
            if today <= day <= end:
                found.append(Birthday(day, member))
                break
    return sorted(found, key=lambda b: (b.day, b.member.employee_no))


@dataclass
class CarePage:
    members: list[Member]
    birthdays: list[Birthday]
    not_visited: list[Member]
    visits: list[CareVisit]
    interval_days: int


def care_page(*, group, today: date | None = None) -> CarePage:
    """A group's care work: coming birthdays, members not visited for long, recent visits."""
    today = today or timezone.localdate()
    interval = settings.UNIONHOME["CARE_VISIT_INTERVAL_DAYS"]
    last_visit = CareVisit.objects.filter(member=OuterRef("pk")).order_by("-visited_on")
    members = list(
        Member.objects.filter(group=group, status=MemberStatus.ACTIVE)
        .annotate(last_visit=Subquery(last_visit.values("visited_on")[:1]))
        .order_by("employee_no")
    )
    cutoff = today - timedelta(days=interval)
    not_visited = sorted(
        (m for m in members if m.last_visit is None or m.last_visit < cutoff),
        key=lambda m: (m.last_visit or date.min, m.employee_no),
    )
    visits = list(
        CareVisit.objects.filter(group=group)
        .select_related("member")
        .order_by("-visited_on", "-pk")[:30]
    )
    return CarePage(
        members, upcoming_birthdays(members, today=today), not_visited, visits, interval
    )


def cases_waiting(*, user) -> dict[str, int]:
    """How many of the user's cases wait at each step."""
    rows = (
        WelfareCase.objects.restrict(user, VIEW)
        .filter(status__in=[CaseStatus.APPLIED, CaseStatus.WORKSHOP_REVIEWED, CaseStatus.APPROVED])
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}
