"""What the welfare pages show, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Subquery, Sum
from django.utils import timezone

from accounts.scoping import CHANGE, VIEW, scoped_object_or_404
from funds.models import LineKind
from funds.selectors import spending
from groups.filters import MemberFilter
from groups.models import Member, MemberStatus

from .filters import AccessLogFilter, ArchiveFilter, CaseFilter
from .models import (
    APPLY,
    PAY,
    AccessLog,
    CareVisit,
    CaseEvent,
    CaseStatus,
    HardshipRecord,
    HardshipReview,
    Objection,
    PaperReceipt,
    PaperWaiver,
    WelfareCase,
)


def case_list(*, user, params=None) -> CaseFilter:
    """The cases the user can see, narrowed by the list's filters (its `.qs`)."""
    cases = WelfareCase.objects.restrict(user, VIEW).select_related(
        "member__group__workshop", "case_type"
    )
    return CaseFilter(params, queryset=cases, user=user)


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
            "member__group__workshop",
            "case_type",
            "filed_by",
            "fund",
            "payment_line__batch",
            "publicity",
        ).prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("by")),
            "case_type__requirements",
            "documents",
            Prefetch("receipts", queryset=PaperReceipt.objects.select_related("by")),
            Prefetch("waivers", queryset=PaperWaiver.objects.select_related("by")),
            "bills",
            Prefetch(
                "publicity__objections", queryset=Objection.objects.select_related("answered_by")
            ),
        ),
        user,
        VIEW,
        pk=pk,
    )


def cases_to_pay(*, user, limit: int = 200):
    """The approved cases HQ may put into a payment batch now (clear of their notice, not
    in a batch; oldest approval first, at most `limit`), and the open batches of the
    funds they are approved from."""
    from funds.models import BatchStatus, PaymentBatch

    from .services.payments import clear_to_pay

    cases = (
        clear_to_pay(WelfareCase.objects.restrict(user, PAY))
        .select_related("member__group__workshop", "case_type", "fund")
        .order_by("fund__sort_order", "applied_on", "pk")
    )
    ids = list(cases.values_list("pk", flat=True)[:limit])
    cases = cases.filter(pk__in=ids)
    batches = (
        PaymentBatch.objects.restrict(user, CHANGE)
        .filter(status=BatchStatus.OPEN, workshop__isnull=True)
        .select_related("fund")
        .order_by("-pk")
    )
    return cases, batches


def archive_list(*, user, params=None) -> ArchiveFilter:
    """The archive's records the user can see, narrowed by the list's filters."""
    records = HardshipRecord.objects.restrict(user, VIEW).select_related(
        "member__group__workshop", "hardship_class"
    )
    return ArchiveFilter(params, queryset=records, user=user)


def archive_by_id_number(*, user, id_number: str):
    """The records with this identity number, among those the user can see."""
    return (
        HardshipRecord.objects.restrict(user, VIEW)
        .filter(id_number=id_number)
        .select_related("member__group__workshop", "hardship_class")
    )


def access_log(*, user, params=None) -> AccessLogFilter:
    """The access log, newest first, for those who may read it."""
    entries = AccessLog.objects.restrict(user, VIEW).select_related("user", "member")
    return AccessLogFilter(params, queryset=entries, user=user)


def archive_detail(*, user, pk: int) -> HardshipRecord:
    return scoped_object_or_404(
        HardshipRecord.objects.select_related(
            "member__group__workshop", "recorded_by", "hardship_class"
        ).prefetch_related(
            Prefetch(
                "reviews", queryset=HardshipReview.objects.select_related("by", "hardship_class")
            ),
            "family",
        ),
        user,
        VIEW,
        pk=pk,
    )


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


@dataclass
class WelfareYear:
    """Welfare figures of a span in the user's reach. Money only for those who may see
    case details (else None)."""

    waiting: dict  # {status: count} of cases waiting at a step
    waiting_per_workshop: dict  # {workshop id: count}
    paid_total: object  # Decimal or None
    paid_per_workshop: dict
    # [(assistance type or campaign, payments, paid)]: the money paid in the span, by item
    cases_by_type: list
    visits_per_workshop: dict
    visits_total: int
    reviews_due: int | None
    reviews_due_per_workshop: dict
    # Median days from application to payment of the cases paid in the span: how fast
    # the union pays (HQ's and the workshop unions' own figure, not a group's).
    payment_days: object = None
    payment_days_per_workshop: dict = field(default_factory=dict)


def welfare_year(*, user, start, end, workshop_id=None) -> WelfareYear:
    from .models import DETAILS

    cases = WelfareCase.objects.restrict(user, VIEW)
    visits = CareVisit.objects.restrict(user, VIEW).filter(
        visited_on__gte=start, visited_on__lte=end
    )
    if workshop_id:
        cases = cases.filter(member__group__workshop_id=workshop_id)
        visits = visits.filter(group__workshop_id=workshop_id)
    open_steps = [CaseStatus.APPLIED, CaseStatus.WORKSHOP_REVIEWED, CaseStatus.APPROVED]
    waiting, waiting_per_workshop = {}, {}
    for status, workshop, n in (
        cases.filter(status__in=open_steps)
        .order_by()
        .values_list("status", "member__group__workshop")
        .annotate(n=Count("pk"))
    ):
        waiting[status] = waiting.get(status, 0) + n
        waiting_per_workshop[workshop] = waiting_per_workshop.get(workshop, 0) + n
    money = WelfareCase.objects.may(user, DETAILS)
    paid_total, paid_per_workshop, by_type = None, {}, []
    payment_days, payment_days_per_workshop = None, {}
    if money:
        # The money that left the funds in the span, for cases and campaigns alike: the
        # fund statement's rule, so that the summary, its workbook and the statement agree.
        spent = spending(user=user, start=start, end=end, workshop_id=workshop_id)
        paid_total, paid_per_workshop = spent.total, spent.per_workshop
        kinds = dict(LineKind.choices)
        by_type = [
            (category or str(kinds.get(kind, kind)), payments, amount)
            for kind, category, payments, amount in spent.by_category
        ]
        paid = cases.filter(paid_on__gte=start, paid_on__lte=end)
        days: dict = {}
        for workshop, value in paid.filter(days_to_payment__isnull=False).values_list(
            "member__group__workshop", "days_to_payment"
        ):
            days.setdefault(workshop, []).append(value)
        payment_days_per_workshop = {w: median(values) for w, values in days.items()}
        everything = [value for values in days.values() for value in values]
        payment_days = median(everything) if everything else None
    visits_per_workshop = dict(
        visits.order_by()
        .values("group__workshop")
        .annotate(n=Count("pk"))
        .values_list("group__workshop", "n")
    )
    reviews_due_count, reviews_per_workshop = None, {}
    if HardshipRecord.objects.may(user, VIEW):
        due = HardshipRecord.objects.restrict(user, VIEW).reviews_due()
        if workshop_id:
            due = due.filter(member__group__workshop_id=workshop_id)
        reviews_per_workshop = dict(
            due.order_by()
            .values("member__group__workshop")
            .annotate(n=Count("pk"))
            .values_list("member__group__workshop", "n")
        )
        reviews_due_count = sum(reviews_per_workshop.values())
    return WelfareYear(
        waiting,
        waiting_per_workshop,
        paid_total,
        paid_per_workshop,
        by_type,
        visits_per_workshop,
        sum(visits_per_workshop.values()),
        reviews_due_count,
        reviews_per_workshop,
        payment_days,
        payment_days_per_workshop,
    )


def members_to_apply_for(*, user, params=None):
    """The active members of the groups where the user may file an application, searched
    by the member list's filters (its `.form` and `.qs`)."""
    groups = WelfareCase.objects.groups_in_reach(user, APPLY)
    return MemberFilter(
        params,
        queryset=Member.objects.filter(group__in=groups, status=MemberStatus.ACTIVE)
        .select_related("group__workshop")
        .order_by("group__workshop__sort_order", "group__code", "name"),
        user=user,
    )
