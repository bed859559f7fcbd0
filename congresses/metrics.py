"""Figures of democratic management (民主有序) for scoring: the group's democratic meetings
against the target, and the resolutions concerning the group closed on time; the same
for a workshop union's own assessment; and the meetings as a kind of record HQ can build
measures from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from groups.models import UnionGroup
from rectifications.models import RectificationQuerySet
from unionhome import metrics

from .models import CongressSettings, Level, Resolution, Session, SessionStatus
from .selectors import resolution_items

DAYS_A_YEAR = Decimal("365")


def target_for_period(per_year: int, start: date, end: date) -> Decimal:
    """The sessions due in [start, end]: the yearly target times the share of a year the
    period lasts (a quarter of a target of four: one)."""
    days = Decimal((end - start).days + 1)
    return (Decimal(per_year) * days / DAYS_A_YEAR).quantize(Decimal("0.0001"))


def _rate(part, whole) -> float:
    return round(min(float(part) / float(whole), 1.0), 4)


def _held(level, start, end):
    return Session.objects.filter(
        level=level, status=SessionStatus.HELD, held_on__gte=start, held_on__lte=end
    )


@metrics.register(
    name="congresses.sessions_against_target",
    label=_("Democratic meetings against target"),
    definition=_(
        "The group's democratic meetings (班组民主会) held with a quorum in the period, "
        "divided by the target for the period's length (the yearly target in the congress "
        "rules times the share of a year); at most 1."
    ),
    unit="rate",
)
def sessions_against_target(*, group_ids, start, end, **_ignored):
    target = target_for_period(CongressSettings.current().group_meetings_per_year, start, end)
    if target <= 0:
        return {}
    counts = dict(
        _held(Level.GROUP, start, end)
        .filter(group_id__in=list(group_ids))
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    return {gid: _rate(counts.get(gid, 0), target) for gid in group_ids}


def _on_time_counts(items, *keys) -> dict:
    """{(key values): (due, closed on time)} of rectification items grouped by `keys`."""
    rows = items.values(*keys).annotate(
        due=Count("pk"),
        on_time=Count("pk", filter=RectificationQuerySet.ON_TIME_Q),
    )
    return {tuple(row[k] for k in keys): (row["due"], row["on_time"]) for row in rows}


@metrics.register(
    name="congresses.resolutions_on_time",
    label=_("Resolutions carried out on time"),
    definition=_(
        "Resolutions concerning the group (of its own democratic meetings and of its "
        "workshop union's congresses) due in the period and closed with completion by the "
        "due date, divided by those due. Groups with none due have no value."
    ),
    unit="rate",
)
def resolutions_on_time(*, group_ids, start, end, **_ignored):
    group_ids = list(group_ids)
    workshop_of = dict(UnionGroup.objects.filter(pk__in=group_ids).values_list("pk", "workshop_id"))
    own = Resolution.objects.filter(session__level=Level.GROUP, session__group_id__in=group_ids)
    congress = Resolution.objects.filter(
        session__level=Level.WORKSHOP,
        session__workshop_id__in=sorted(set(workshop_of.values())),
    )
    items = resolution_items(start=start, end=end).filter(
        Q(source_id__in=own.values("pk")) | Q(source_id__in=congress.values("pk"))
    )
    # A group's own items, and its workshop union's (no group): summed once per key, so
    # that 4,050 groups do not each walk every workshop union's counts.
    per_group, per_workshop = {}, {}
    for (workshop_id, item_group), (n, ok) in _on_time_counts(
        items, "workshop_id", "group_id"
    ).items():
        sums, key = (per_workshop, workshop_id) if item_group is None else (per_group, item_group)
        due, on_time = sums.get(key, (0, 0))
        sums[key] = (due + n, on_time + ok)
    found = {}
    for gid in group_ids:
        own_due, own_on_time = per_group.get(gid, (0, 0))
        congress_due, congress_on_time = per_workshop.get(workshop_of.get(gid), (0, 0))
        if due := own_due + congress_due:
            found[gid] = round((own_on_time + congress_on_time) / due, 4)
    return found


@metrics.register(
    name="congresses.workshop_sessions_against_target",
    label=_("Workshop congresses against target"),
    definition=_(
        "The workshop union's congresses held with a quorum in the period, divided by the "
        "target for the period's length (the yearly target in the congress rules times "
        "the share of a year); at most 1."
    ),
    unit="rate",
    per_workshop=True,
)
def workshop_sessions_against_target(*, workshop_ids, start, end, **_ignored):
    target = target_for_period(CongressSettings.current().workshop_sessions_per_year, start, end)
    if target <= 0:
        return {}
    counts = dict(
        _held(Level.WORKSHOP, start, end)
        .filter(workshop_id__in=list(workshop_ids))
        .values("workshop_id")
        .annotate(n=Count("pk"))
        .values_list("workshop_id", "n")
    )
    return {wid: _rate(counts.get(wid, 0), target) for wid in workshop_ids}


@metrics.register(
    name="congresses.workshop_resolutions_on_time",
    label=_("Workshop union's resolutions carried out on time"),
    definition=_(
        "Resolutions of the workshop union's congresses and of its groups' democratic "
        "meetings due in the period and closed with completion by the due date, divided by "
        "those due. A workshop union with none due has no value."
    ),
    unit="rate",
    per_workshop=True,
)
def workshop_resolutions_on_time(*, workshop_ids, start, end, **_ignored):
    workshop_ids = list(workshop_ids)
    resolutions = Resolution.objects.filter(
        session__level__in=(Level.WORKSHOP, Level.GROUP),
        session__workshop_id__in=workshop_ids,
    )
    counts = _on_time_counts(
        resolution_items(start=start, end=end).filter(source_id__in=resolutions.values("pk")),
        "workshop_id",
    )
    return {workshop_id: round(ok / n, 4) for (workshop_id,), (n, ok) in counts.items() if n}


def _meetings_count(*, group_ids, start, end, option=""):
    counts = dict(
        _held(Level.GROUP, start, end)
        .filter(group_id__in=list(group_ids))
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    return {gid: counts.get(gid, 0) for gid in group_ids}


def _meetings_participants(*, group_ids, start, end, option=""):
    from .models import Attendance

    rows = (
        Attendance.objects.filter(
            present=True,
            session__level=Level.GROUP,
            session__status=SessionStatus.HELD,
            session__held_on__gte=start,
            session__held_on__lte=end,
            session__group_id__in=list(group_ids),
            member__group_id=F("session__group_id"),
        )
        .values("session__group_id")
        .annotate(n=Count("member", distinct=True))
    )
    return {row["session__group_id"]: row["n"] for row in rows}


metrics.register_source(
    metrics.RecordSource(
        name="congresses.group_meetings",
        label=_("Democratic meetings held"),
        count=_meetings_count,
        participants=_meetings_participants,
    )
)
