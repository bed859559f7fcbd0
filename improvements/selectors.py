"""Reading 合理化建议: the scoped lists, the public list, and the figures other apps read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.scoping import VIEW
from groups.models import Member

from .models import DECIDED, FILE, PUBLIC, SCREEN, TAKEN_UP, Improvement, Status


def _listed(queryset):
    return queryset.select_related("member", "group", "workshop", "award_level")


@dataclass
class Filters:
    status: str = ""
    workshop_id: int | None = None
    year: int | None = None
    q: str = ""
    waiting: str = ""  # "screen" (waiting for screening) or "overdue"


def improvement_list(*, user, filters: Filters | None = None) -> QuerySet[Improvement]:
    """The suggestions the user reaches, narrowed by the list's filters (one query for the
    rows, with their member, group, workshop union and award level)."""
    filters = filters or Filters()
    rows = Improvement.objects.restrict(user, VIEW)
    if filters.waiting == "screen":
        rows = Improvement.objects.restrict(user, SCREEN).filter(status=Status.SUBMITTED)
    elif filters.waiting == "overdue":
        rows = overdue(user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.workshop_id:
        rows = rows.filter(workshop_id=filters.workshop_id)
    if filters.year:
        rows = rows.filter(filed_on__year=filters.year)
    text = (filters.q or "").strip()
    if text:
        rows = rows.filter(
            Q(title__icontains=text)
            | Q(number__icontains=text)
            | Q(member__name__icontains=text)
            | Q(member__name_initials__icontains=text.lower())
        )
    return _listed(rows).order_by("-filed_on", "-pk")


def waiting_for_screening(user) -> QuerySet[Improvement]:
    return Improvement.objects.restrict(user, SCREEN).filter(status=Status.SUBMITTED)


def _overdue_q() -> Q:
    return Q(status=Status.ADOPTED, implemented_on__isnull=True, due_on__lt=timezone.localdate())


def overdue(user) -> QuerySet[Improvement]:
    """Adopted suggestions past their due date and not yet carried out."""
    return Improvement.objects.restrict(user, SCREEN).filter(_overdue_q())


def screening_counts(user) -> dict[str, int]:
    """How many wait for screening and how many adopted ones are overdue: one query."""
    return Improvement.objects.restrict(user, SCREEN).aggregate(
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        late=Count("pk", filter=_overdue_q()),
    )


def public_list(*, user, year: int | None = None) -> QuerySet[Improvement]:
    """公示: decided suggestions marked public, for every login of the organisation."""
    rows = Improvement.objects.restrict(user, PUBLIC)
    if year:
        rows = rows.filter(filed_on__year=year)
    return _listed(rows).order_by("-decided_on", "-pk")


def years(user) -> list[int]:
    return sorted(
        {d.year for d in Improvement.objects.restrict(user, VIEW).dates("filed_on", "year")},
        reverse=True,
    )


def of_member(*, user, member) -> list[Improvement]:
    """The member's suggestions the user may read (one query, kept on the member object
    for the other hooks of the same page)."""
    cached = getattr(member, "_improvements_of", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    found = list(
        Improvement.objects.restrict(user, VIEW)
        .filter(member=member)
        .select_related("award_level")
        .order_by("-filed_on", "-pk")
    )
    member._improvements_of = (user.pk, found)
    return found


# For other apps (see CONTRACT) -----------------------------------------------------------


def motion_candidates(*, user, workshop) -> QuerySet[Improvement]:
    """The workshop union's suggestions a congress may take as motions: adopted or turned
    into a motion, that the user reaches, and not yet on a motion (congresses' Motion links
    them as `improvement`, related name `motions`)."""
    workshop_id = getattr(workshop, "pk", workshop)
    rows = Improvement.objects.restrict(user, VIEW).filter(
        workshop_id=workshop_id, status__in=TAKEN_UP
    )
    if _has_motions():
        rows = rows.filter(motions__isnull=True)
    return _listed(rows).order_by("-filed_on", "-pk")


def _has_motions() -> bool:
    """Whether an installed app links motions to suggestions (congresses)."""
    try:
        Improvement._meta.get_field("motions")
    except FieldDoesNotExist:
        return False
    return True


def workshop_year_figures(*, year: int, workshop_ids=None) -> dict[int, dict]:
    """{workshop_id: {"filed": n, "decided": n, "adopted": n}}: suggestions filed in the
    year, decided in the year, and of those decided in the year the ones adopted or turned
    into motions. Every workshop asked about (or every one with suggestions) has an entry.
    One query."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = Improvement.objects.filter(
        Q(filed_on__range=(start, end)) | Q(decided_on__range=(start, end))
    )
    if workshop_ids is not None:
        rows = rows.filter(workshop_id__in=list(workshop_ids))
    decided_in_year = Q(decided_on__range=(start, end), status__in=DECIDED)
    figures = {wid: {"filed": 0, "decided": 0, "adopted": 0} for wid in (workshop_ids or [])}
    for row in rows.values("workshop_id").annotate(
        filed=Count("pk", filter=Q(filed_on__range=(start, end))),
        decided=Count("pk", filter=decided_in_year),
        adopted=Count("pk", filter=decided_in_year & Q(status__in=TAKEN_UP)),
    ):
        figures[row["workshop_id"]] = {
            "filed": row["filed"],
            "decided": row["decided"],
            "adopted": row["adopted"],
        }
    return figures


def fileable_members(user):
    """The current members the user may file a suggestion for: the members of the groups
    in their reach (a leader's group, a workshop union's groups, every group for HQ) and,
    for a member's login, the member themselves."""
    scope = Improvement.objects.scope(user, FILE)
    q = Q(pk__in=sorted(scope.member_ids))
    if scope.beyond_self:
        q |= Q(group__in=Improvement.objects.groups_in_reach(user, FILE))
    return (
        Member.objects.active()
        .filter(q)
        .select_related("group__workshop")
        .order_by("group__workshop__sort_order", "group__pk", "name")
    )


def own_member(user):
    """The member record of the user's own login, when their only reach for filing is
    themselves (a member's login): they file for themselves without choosing."""
    scope = Improvement.objects.scope(user, FILE)
    if scope.beyond_self or len(scope.member_ids) != 1:
        return None
    return Member.objects.select_related("group__workshop").get(pk=next(iter(scope.member_ids)))
