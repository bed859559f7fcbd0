"""The measures HQ composes (`Measure`): evaluated from the record sources the apps
register in unionhome.metrics, and offered to the engine as figures named
`measure.<code>` by a resolver, so that indicators and gates use them like any figure."""

from __future__ import annotations

from functools import partial
from statistics import median

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from groups.models import Member, MemberStatus
from unionhome import metrics

from .models import MEASURE_PREFIX, Measure, MeasureKind, MeasurePer

UNITS = {
    (MeasureKind.COUNT, MeasurePer.TOTAL): "count",
    (MeasureKind.COUNT, MeasurePer.PER_MONTH): "per_month",
    (MeasureKind.COUNT, MeasurePer.PER_MEMBER): "per_member",
}


def unit_of(measure: Measure) -> str:
    if measure.kind == MeasureKind.SHARE:
        return "rate"
    if measure.kind == MeasureKind.DAYS:
        return "days"
    return UNITS.get((measure.kind, measure.per), "count")


def _members(group_ids) -> dict[int, int]:
    return dict(
        Member.objects.filter(group_id__in=group_ids, status=MemberStatus.ACTIVE)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )


def _months(start, end) -> int:
    end = min(end, timezone.localdate())
    return max(1, (end.year - start.year) * 12 + end.month - start.month + 1)


def evaluate(measure: Measure, *, group_ids, start, end, **_ignored) -> dict[int, object]:
    """{group: value} of the measure over [start, end]; a group without a value (no
    members to divide by, no record to date) is left out. At most two queries."""
    source = metrics.source(measure.source)
    if source is None:
        return {}
    window = {"group_ids": list(group_ids), "start": start, "end": end}
    if measure.kind == MeasureKind.DAYS:
        if source.days is None:
            return {}
        return {
            gid: median(values)
            for gid, values in source.days(**window, span=measure.span).items()
            if values
        }
    if measure.kind == MeasureKind.SHARE:
        if source.participants is None:
            return {}
        took_part = source.participants(**window, option=measure.option)
        return {
            gid: round(took_part.get(gid, 0) / n, 4) for gid, n in _members(group_ids).items() if n
        }
    counts = source.count(**window, option=measure.option)
    if measure.per == MeasurePer.PER_MEMBER:
        return {
            gid: round(counts.get(gid, 0) / n, 4) for gid, n in _members(group_ids).items() if n
        }
    if measure.per == MeasurePer.PER_MONTH:
        months = _months(start, end)
        return {gid: round(counts.get(gid, 0) / months, 4) for gid in group_ids}
    return {gid: counts.get(gid, 0) for gid in group_ids}


def in_words(measure: Measure) -> str:
    """The measure's definition as the rubric shows it, unless HQ wrote one."""
    if measure.definition:
        return measure.definition
    source = metrics.source(measure.source)
    records = str(source.label) if source else measure.source
    option = dict(source.options()).get(measure.option) if source and measure.option else ""
    if option:
        records = f"{records}（{option}）"
    if measure.kind == MeasureKind.DAYS:
        span = dict(source.spans).get(measure.span, measure.span) if source else measure.span
        return _("%(records)s: the middle value of the days %(span)s.") % {
            "records": records,
            "span": span,
        }
    if measure.kind == MeasureKind.SHARE:
        return _(
            "Distinct members of the group who took part in %(records)s in the period, "
            "divided by the group's members in the union."
        ) % {"records": records}
    per = {
        MeasurePer.TOTAL: _("%(records)s of the group in the period."),
        MeasurePer.PER_MONTH: _(
            "%(records)s of the group in the period, divided by the months of the period "
            "(up to today)."
        ),
        MeasurePer.PER_MEMBER: _(
            "%(records)s of the group in the period, divided by its members in the union."
        ),
    }[measure.per]
    return per % {"records": records}


def as_metric(measure: Measure) -> metrics.Metric:
    return metrics.Metric(
        name=measure.metric_name,
        label=measure.name,
        # Written out only when read: computing asks for the values alone.
        definition=lazy(in_words, str)(measure),
        unit=unit_of(measure),
        compute=partial(evaluate, measure),
    )


def resolve(name: str) -> metrics.Metric | None:
    measure = Measure.objects.filter(code=name.removeprefix(MEASURE_PREFIX)).first()
    return as_metric(measure) if measure else None


def listing() -> list[metrics.Metric]:
    return [as_metric(measure) for measure in Measure.objects.all()]


def preview(measure: Measure, groups, *, start, end) -> list[tuple[object, object]]:
    """(group, value) for a few groups, for HQ to check a measure before saving it."""
    values = evaluate(measure, group_ids=[g.pk for g in groups], start=start, end=end)
    return [(group, values.get(group.pk)) for group in groups]
