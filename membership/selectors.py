"""What the membership pages show, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.scoping import VIEW, allows, scoped_object_or_404
from groups.models import OVERSEE, Member, MemberStatus, WorkshopUnion

from .filters import ApplicationFilter
from .models import Application, EmployeeCount, JoinLink, Transfer


def application_list(*, user, params=None) -> ApplicationFilter:
    """The applications the user may see, newest first, each marked when its employee no.
    or identity number is already a member's (the list's `.qs`)."""
    return ApplicationFilter(
        params,
        queryset=Application.objects.restrict(user, VIEW)
        .with_duplicates()
        .select_related("group__workshop", "member"),
        user=user,
    )


def application_detail(*, user, pk: int) -> Application:
    return scoped_object_or_404(
        Application.objects.with_duplicates().select_related(
            "group__workshop",
            "member",
            "link",
            "submitted_by",
            "decided_by",
            "ethnicity",
            "political_status",
            "education",
            "employment_type",
        ),
        user,
        VIEW,
        pk=pk,
    )


def join_links(*, user):
    return list(
        JoinLink.objects.restrict(user, VIEW)
        .select_related("workshop", "group")
        .annotate(application_count=Count("applications"))
    )


def employee_counts(*, user, month: date | None = None):
    counts = EmployeeCount.objects.restrict(user, VIEW).select_related("workshop", "recorded_by")
    if month is not None:
        counts = counts.filter(month=month)
    return counts


# 入会率 ---------------------------------------------------------------------------------------


@dataclass
class EnrolmentRow:
    workshop: WorkshopUnion
    members: int
    employees: int | None
    month: date | None  # the latest month with a count for this workshop union

    @property
    def rate(self) -> float | None:
        return self.members / self.employees if self.employees else None


# Workshop unions a home page lists by their 入会率; the rest are one link away.
HOME_ROWS = 10


@dataclass
class Enrolment:
    """入会率 = members in the union now ÷ employees of the latest month counted, per
    workshop union; the whole is over the workshop unions that have a count."""

    rows: list[EnrolmentRow] = field(default_factory=list)

    @property
    def counted(self) -> list[EnrolmentRow]:
        return [r for r in self.rows if r.employees]

    @property
    def members(self) -> int:
        return sum(r.members for r in self.counted)

    @property
    def employees(self) -> int:
        return sum(r.employees for r in self.counted)

    @property
    def rate(self) -> float | None:
        return self.members / self.employees if self.employees else None

    @property
    def months(self) -> list[date]:
        return sorted({r.month for r in self.counted}, reverse=True)

    @property
    def missing(self) -> list[EnrolmentRow]:
        return [r for r in self.rows if not r.employees]

    @property
    def lowest(self) -> list[EnrolmentRow]:
        """The rows a home page has room for: those without a count, then the lowest
        rates (a federation's 650 rows belong on the employee counts page)."""
        return sorted(self.rows, key=lambda r: (r.rate is not None, r.rate or 0))[:HOME_ROWS]


def _latest(column: str):
    return Subquery(
        EmployeeCount.objects.filter(workshop=OuterRef("pk")).order_by("-month").values(column)[:1]
    )


def _member_total():
    members = (
        Member.objects.filter(group__workshop=OuterRef("pk"), status=MemberStatus.ACTIVE)
        .order_by()
        .values("group__workshop")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def enrolment_rates(*, user, workshop_id: int | None = None) -> Enrolment:
    """入会率 of each workshop union the user oversees, in one query: its active members
    now, and the employees of the latest month it has a count for (that month shown)."""
    workshops = WorkshopUnion.objects.restrict(user, OVERSEE).filter(is_active=True)
    if workshop_id:
        workshops = workshops.filter(pk=workshop_id)
    workshops = workshops.annotate(
        member_total=_member_total(),
        latest_month=_latest("month"),
        latest_employees=_latest("employees"),
    )
    return Enrolment(
        [EnrolmentRow(w, w.member_total, w.latest_employees, w.latest_month) for w in workshops]
    )


def workshop_enrolment(*, workshop_ids) -> dict[int, float]:
    """入会率 of the given workshop unions by their latest month counted (for figures)."""
    found = {}
    for row in (
        WorkshopUnion.objects.filter(pk__in=workshop_ids)
        .annotate(
            member_total=_member_total(),
            latest_employees=_latest("employees"),
        )
        .values_list("pk", "member_total", "latest_employees")
    ):
        pk, members, employees = row
        if employees:
            found[pk] = round(members / employees, 4)
    return found


# The member's page ---------------------------------------------------------------------------


def member_records(*, user, member: Member):
    """The member's applications and transfers out (two queries), for the timeline."""
    applications = list(
        Application.objects.filter(member=member, status="approved").select_related("group")
    )
    transfers = list(Transfer.objects.filter(member=member).order_by("transferred_on", "pk"))
    may_see_letters = allows(user, VIEW, Transfer(member=member))
    return applications, transfers, may_see_letters


def transfer_letter(*, user, pk: int) -> Transfer:
    return scoped_object_or_404(
        Transfer.objects.select_related("member__group__workshop", "recorded_by"),
        user,
        VIEW,
        pk=pk,
    )
