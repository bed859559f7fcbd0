"""The organisation's year in summary tables (SummaryYear, SummaryFigure).

The figures of a whole organisation's year read every activity and participation row of
it: 2.5 million rows over three years at a federation's size. Those who reach the whole
organisation read them from here instead. The rule (docs/deploy.md):

- every committed change to the records the dashboard counts (the signals that renew the
  figures' cache token, dashboard/cache.py, call `mark_changed`) marks the stored years
  changed and queues one refresh for the background worker, which counts them again
  within seconds and sends `summaries_refreshed` (the dashboard drops its cached pages);
- the current year counts through today, so its figures are also stale once the day has
  moved on; the same refresh brings them up to date;
- a year nobody has opened yet is computed on its first view;
- the page says when the figures were computed, and that a newer change is being counted
  while they are stale.

They are counted by `selectors.organisation_activity_year` and `selectors.compile_figures`,
the rules of the live figures of any other reach, so the two never disagree once refreshed.
"""

from __future__ import annotations

from datetime import date

from django.db import router, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from accounts.scoping import VIEW
from groups.models import Member, UnionGroup
from unionhome.signals import summaries_refreshed

from .models import Activity, SummaryFigure, SummaryGroup, SummaryYear
from .selectors import assemble_activity_year, compile_figures, organisation_activity_year

Figure = SummaryFigure.Figure


def year_span(year: int) -> tuple[date, date]:
    """The span a year's figures count: the whole year, or up to today for this year."""
    today = timezone.localdate()
    end = date(year, 12, 31)
    return date(year, 1, 1), min(end, today) if year == today.year else end


def compute_year(year: int) -> SummaryYear:
    """Count the year afresh and store it. The counting runs before the write transaction,
    so readers keep the previous figures meanwhile; `computed_at` is when counting began,
    so a change committed while it ran leaves the year stale and queued again."""
    start, end = year_span(year)
    started = timezone.now()
    counted = organisation_activity_year(start=start, end=end)
    rows = [SummaryFigure(figure=Figure.TOTAL, key=0, count=counted.total)]
    rows += [SummaryFigure(figure=Figure.AREA, key=a.pk, count=n) for a, n in counted.areas if n]
    rows += [
        SummaryFigure(figure=Figure.MONTH, key=month.month, count=n)
        for month, n in counted.months
        if n
    ]
    rows += [
        SummaryFigure(figure=Figure.ACTIVITIES, key=w, count=n)
        for w, n in counted.per_workshop.items()
    ]
    rows += [
        SummaryFigure(figure=Figure.PARTICIPANTS, key=w, count=n)
        for w, n in counted.participants.items()
        if w is not None
    ]
    group_ids = list(UnionGroup.objects.filter(is_active=True).values_list("pk", flat=True))
    groups = [
        SummaryGroup(
            group_id=gid,
            activities=f["activities"],
            members=f["members"],
            took_part=f["own_participants"],
            rate=f["participation_rate"],
        )
        for gid, f in compile_figures(group_ids=group_ids, start=start, end=end, day=end).items()
    ]
    using = router.db_for_write(SummaryYear)
    with transaction.atomic(using=using):
        SummaryYear.objects.using(using).get_or_create(
            year=year, defaults={"through": end, "computed_at": started}
        )
        # One writer per year at a time: the second waits, then replaces the first's rows.
        state = SummaryYear.objects.using(using).select_for_update().get(year=year)
        SummaryFigure.objects.using(using).filter(year=state).delete()
        for row in rows:
            row.year = state
        SummaryFigure.objects.using(using).bulk_create(rows)
        SummaryGroup.objects.using(using).filter(year=state).delete()
        for row in groups:
            row.year = state
        SummaryGroup.objects.using(using).bulk_create(groups, batch_size=2000)
        state.through, state.computed_at = end, started
        state.save(update_fields=["through", "computed_at"])
    return state


def organisation_year(year: int):
    """(ActivityYear, SummaryState) of the whole organisation, from the summary tables, in
    three queries (state, figures, content areas)."""
    start, end = year_span(year)
    state = current_state(year)
    values: dict = {figure: {} for figure in Figure.values}
    for figure, key, count in SummaryFigure.objects.filter(year=year).values_list(
        "figure", "key", "count"
    ):
        values[figure][key] = count
    counted = assemble_activity_year(
        by_area=values[Figure.AREA],
        by_month={date(year, m, 1): n for m, n in values[Figure.MONTH].items()},
        per_workshop=values[Figure.ACTIVITIES],
        participants=values[Figure.PARTICIPANTS],
        total=values[Figure.TOTAL].get(0, 0),
        start=start,
        end=end,
    )
    return counted, state


def current_state(year: int):
    """The year's SummaryState, counting it first if it was never counted (one query when
    it was); queues a refresh when the day has moved on since."""
    _start, end = year_span(year)
    state = SummaryYear.objects.filter(year=year).first()
    if state is None:
        state = compute_year(year)
    elif state.through != end:
        queue_refresh(router.db_for_write(SummaryYear))
    return SummaryState(state, stale=state.is_stale or state.through != end)


def group_rows(year: int):
    """The whole organisation's groups in the year, lowest participation first (no rate
    last), as a queryset to page: SummaryGroup rows with their group and workshop union."""
    return (
        SummaryGroup.objects.filter(year_id=year, group__is_active=True)
        .select_related("group__workshop")
        .order_by(F("rate").asc(nulls_last=True), "group__workshop__sort_order", "group__code")
    )


def group_figures(row: SummaryGroup) -> dict:
    """A SummaryGroup row under the names compile_figures gives a group's figures."""
    return {
        "activities": row.activities,
        "members": row.members,
        "own_participants": row.took_part,
        "participation_rate": row.rate,
    }


def reaches_organisation(user) -> bool:
    """Whether the user's reach is every activity, group and member: the whole
    organisation's figures are then theirs, and come from the summary tables."""
    return (
        Activity.objects.scope(user, VIEW).everything
        and UnionGroup.objects.scope(user, VIEW).everything
        and Member.objects.scope(user, VIEW).everything
    )


class SummaryState:
    """What the page says about the figures: when they were counted, through which day,
    and whether a newer change is still being counted."""

    def __init__(self, year: SummaryYear, *, stale: bool):
        self.computed_at = year.computed_at
        self.through = year.through
        self.stale = stale


def mark_changed(using: str) -> None:
    """A counted record changed (run on commit): the stored years are stale until the
    worker has counted them again."""
    if SummaryYear.objects.using(using).update(changed_at=timezone.now()):
        queue_refresh(using)


def queue_refresh(using: str) -> None:
    """Queue one refresh, unless one is already waiting."""
    if SummaryYear.objects.using(using).filter(queued=False).update(queued=True):
        transaction.on_commit(refresh_summaries.enqueue, using=using)


def refresh_all(using: str | None = None) -> list[int]:
    """Count every stored year again (and this year, whether stored or not)."""
    using = using or router.db_for_write(SummaryYear)
    SummaryYear.objects.using(using).update(queued=False)
    years = set(SummaryYear.objects.using(using).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    for year in sorted(years):
        compute_year(year)
    # Pages cached from the stale figures are dropped (not a change to the records).
    summaries_refreshed.send(sender=SummaryYear, using=using)
    return sorted(years)


@task()
def refresh_summaries() -> None:
    refresh_all()
