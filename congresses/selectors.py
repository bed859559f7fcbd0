"""Reading congresses for pages and for other apps: the session list and one session with
everything its page shows (each in a fixed number of queries), HQ's approval queue, the
terms with their delegations and representatives, and the yearly figures per workshop
union that the democracy app's star rating reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.scoping import VIEW
from rectifications.models import Rectification, RectificationQuerySet, Status
from rectifications.selectors import rectifications_of

from .models import (
    APPROVE,
    RECORD_WORKSHOP,
    Attendance,
    CongressSettings,
    Level,
    Motion,
    Representative,
    Resolution,
    Session,
    SessionStatus,
    Term,
)

SESSION_RELATED = ("workshop", "group", "term")


@dataclass
class SessionFilters:
    level: str = ""
    status: str = ""
    year: int | None = None
    group: int | None = None


def session_list(*, user, filters: SessionFilters | None = None) -> QuerySet[Session]:
    """The sessions the user reads, newest first, with their motion and resolution counts
    (one query for a page of them, one for the count)."""
    filters = filters or SessionFilters()
    rows = Session.objects.restrict(user, VIEW)
    if filters.level in Level.values:
        rows = rows.filter(level=filters.level)
    if filters.status in SessionStatus.values:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(planned_on__year=filters.year)
    if filters.group:
        rows = rows.filter(group_id=filters.group)
    return (
        rows.select_related(*SESSION_RELATED)
        .annotate(
            motion_count=Count("motions", distinct=True),
            resolution_count=Count("resolutions", distinct=True),
        )
        .order_by("-planned_on", "-pk")
    )


def session_years(user) -> list[int]:
    return sorted(
        {d.year for d in Session.objects.restrict(user, VIEW).dates("planned_on", "year")},
        reverse=True,
    )


def approval_queue(user) -> QuerySet[Session]:
    """Declared workshop congresses waiting for HQ's approval, the soonest first."""
    return (
        Session.objects.restrict(user, APPROVE)
        .filter(level=Level.WORKSHOP, status=SessionStatus.DECLARED)
        .select_related(*SESSION_RELATED, "declared_by")
        .annotate(motion_count=Count("motions"))
        .order_by("planned_on", "pk")
    )


def approved_not_recorded(user) -> QuerySet[Session]:
    """The workshop union's approved congresses not yet recorded as held or failed."""
    return Session.objects.restrict(user, RECORD_WORKSHOP).filter(
        level=Level.WORKSHOP, status=SessionStatus.APPROVED
    )


def session_detail(*, session: Session) -> dict:
    """Everything on a session's page: attendance, motions, resolutions with their
    rectification items (落实情况), photos. Five queries, however many rows."""
    attendance = list(
        Attendance.objects.filter(session=session)
        .select_related("member__group")
        .order_by("member__name", "member__pk")
    )
    motions = list(
        Motion.objects.filter(session=session).select_related(
            "proposer__group", "improvement", "decided_by"
        )
    )
    resolutions = list(
        Resolution.objects.filter(session=session).select_related(
            "workshop", "owner_user", "motion"
        )
    )
    items = rectifications_of(source_model=Resolution, source_ids=[r.pk for r in resolutions])
    for resolution in resolutions:
        resolution.item = items.get(resolution.pk)
    photos = list(session.photos.all())
    return {
        "attendance": attendance,
        "motions": motions,
        "resolutions": resolutions,
        "photos": photos,
    }


def sign_in_sheet(*, session: Session) -> list:
    """签到表: the expected attendees with their group (recorded attendance if taken,
    otherwise those expected now)."""
    from .services import expected_attendees

    if session.attendance_taken:
        return [
            (a.member, a.present)
            for a in Attendance.objects.filter(session=session)
            .select_related("member__group")
            .order_by("member__name", "member__pk")
        ]
    return [(m, None) for m in expected_attendees(session).select_related("group")]


# Terms ------------------------------------------------------------


def term_list(*, user) -> QuerySet[Term]:
    return (
        Term.objects.restrict(user, VIEW)
        .select_related("workshop")
        .annotate(
            representative_count=Count("representatives", distinct=True),
            delegation_count=Count("delegations", distinct=True),
        )
        .order_by("level", "workshop__sort_order", "workshop__pk", "-starts_on", "-pk")
    )


def term_detail(*, term: Term) -> dict:
    """The term's delegations, each with its representatives, and those in none."""
    representatives = list(
        Representative.objects.filter(term=term)
        .select_related("member__group__workshop", "delegation")
        .order_by("delegation__sort_order", "delegation__pk", "member__name", "pk")
    )
    delegations = list(term.delegations.select_related("workshop"))
    by_delegation = {d.pk: [] for d in delegations}
    loose = []
    for representative in representatives:
        if representative.delegation_id in by_delegation:
            by_delegation[representative.delegation_id].append(representative)
        else:
            loose.append(representative)
    for delegation in delegations:
        delegation.members = by_delegation[delegation.pk]
    return {"delegations": delegations, "loose": loose, "count": len(representatives)}


def terms_of_member(*, user, member) -> list[Representative]:
    """The member's representative terms the user reads (the member's record)."""
    return list(
        Representative.objects.restrict(user, VIEW)
        .filter(member=member)
        .select_related("term__workshop", "delegation")
        .order_by("-term__starts_on", "pk")
    )


# Figures ------------------------------------------------------------


def resolution_items(*, start: date, end: date) -> QuerySet[Rectification]:
    """The rectification items raised from resolutions, due in [start, end]."""
    from django.contrib.contenttypes.models import ContentType

    return Rectification.objects.filter(
        source_type=ContentType.objects.get_for_model(Resolution),
        due_on__gte=start,
        due_on__lte=end,
    )


def workshop_year_figures(*, year: int, workshop_ids=None) -> dict[int, dict]:
    """{workshop_id: {"sessions_held": the workshop union's congresses held in the year,
    "sessions_target": the congresses a year it should hold (data), "resolutions_due":
    resolutions of its congresses and of its groups' meetings due in the year, by today
    (or closed already),
    "resolutions_closed_on_time": of those, closed with completion by the due date}}.
    Every workshop asked about has an entry (or, unasked, every one with a congress or a
    resolution). Three queries."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    target = CongressSettings.current().workshop_sessions_per_year
    held = Session.objects.filter(
        level=Level.WORKSHOP, status=SessionStatus.HELD, held_on__gte=start, held_on__lte=end
    )
    if workshop_ids is not None:
        held = held.filter(workshop_id__in=list(workshop_ids))
    held_counts = dict(
        held.values("workshop_id").annotate(n=Count("pk")).values_list("workshop_id", "n")
    )
    resolution_ids = Resolution.objects.filter(
        session__level__in=(Level.WORKSHOP, Level.GROUP)
    ).values("pk")
    if workshop_ids is not None:
        resolution_ids = resolution_ids.filter(session__workshop_id__in=list(workshop_ids))
    # A resolution counts once it is due or closed: one due later this year is not missed.
    items = (
        resolution_items(start=start, end=end)
        .filter(source_id__in=resolution_ids)
        .filter(Q(due_on__lte=timezone.localdate()) | Q(status=Status.CLOSED))
        .values("workshop_id")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=RectificationQuerySet.ON_TIME_Q))
    )
    # The item's workshop union is the session's (resolution_add raises it there).
    resolution_counts = {row["workshop_id"]: row for row in items}
    if workshop_ids is None:
        wanted = set(held_counts) | set(resolution_counts)
    else:
        wanted = set(workshop_ids)
    return {
        wid: {
            "sessions_held": held_counts.get(wid, 0),
            "sessions_target": target,
            "resolutions_due": resolution_counts.get(wid, {}).get("due", 0),
            "resolutions_closed_on_time": resolution_counts.get(wid, {}).get("on_time", 0),
        }
        for wid in sorted(wanted)
    }
