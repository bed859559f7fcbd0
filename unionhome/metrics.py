"""Figures that one app computes from its own records and other apps read by name.

An app registers its providers in `<app>/metrics.py` with the `@register(...)` decorator
(the module is imported when the app is ready); a reader asks for a figure by name and
gets None when no installed app offers it. This keeps the apps from importing
each other: the monthly report (activities) shows care visits (welfare) this way, and
the scoring engine reads every computed indicator this way.

A provider is called with keyword arguments `group_ids`, `start` and `end` (dates,
inclusive) and `period_id` (the assessment period, or None), and returns
{group_id: value} for the groups it has a value for. A group it leaves out has no data.
Each provider runs a fixed number of queries however many groups it is asked about.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Metric:
    name: str
    label: str  # lazily translated
    definition: str  # plain language, shown wherever the value is shown
    unit: str  # "count", "rate" (0..1), "days", "per_member", "per_month"
    compute: Callable[..., dict[int, object]]
    # False for a figure the group does not control (how fast HQ pays): it is never a
    # group's indicator, only a figure for the union's own dashboards.
    group_controlled: bool = True


_registry: dict[str, Metric] = {}


def register(*, name: str, label, definition, unit: str, group_controlled: bool = True):
    """Decorate a provider function to offer it as the figure `name`."""

    def decorate(compute: Callable[..., dict[int, object]]):
        _registry[name] = Metric(
            name=name,
            label=label,
            definition=definition,
            unit=unit,
            compute=compute,
            group_controlled=group_controlled,
        )
        return compute

    return decorate


def get(name: str) -> Metric | None:
    return _registry.get(name)


def all_metrics() -> list[Metric]:
    return sorted(_registry.values(), key=lambda m: m.name)


def values(
    name: str, *, group_ids, start: date, end: date, period_id=None
) -> dict[int, object] | None:
    """The named figure for each group over [start, end], or None if nobody provides it."""
    metric = _registry.get(name)
    if metric is None:
        return None
    return metric.compute(group_ids=list(group_ids), start=start, end=end, period_id=period_id)
