"""Figures that one app computes from its own records and other apps read by name.

An app registers its providers in `<app>/metrics.py` with the `@register(...)` decorator
(the module is imported when the app is ready); a reader asks for a figure by name and
gets None when no installed app offers it. This keeps the apps from importing
each other: the monthly report (activities) shows care visits (welfare) this way, and
the scoring engine reads every computed indicator this way.

Besides figures, an app may offer a kind of record (activities, care visits, monthly
reports …) with `register_source(RecordSource(...))`: how to count them per group, what a
count can be narrowed to, who took part, and the days between two of their dates. HQ
composes measures from these in the admin site (scoring's `Measure`), which reach readers
as figures through a resolver (`register_resolver`), by the same `get` and `values`.

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
    # True for a figure of a workshop union (its coverage …), computed from `workshop_ids`;
    # a workshop union's assessment reads any other figure as the mean of its groups'.
    per_workshop: bool = False


_registry: dict[str, Metric] = {}


@dataclass(frozen=True)
class RecordSource:
    """A kind of record an app keeps per group, for measures HQ composes.

    - `count(group_ids, start, end, option)` → {group: records in the period}, narrowed to
      `option` (one of `options()`, "" for all);
    - `participants(group_ids, start, end, option)` → {group: distinct members of the
      group who took part}, for records people take part in;
    - `days(group_ids, start, end, span)` → {group: [days between the two dates of `span`
      for each record]}, `span` one of `spans`.
    Each runs a fixed number of queries however many groups it is asked about."""

    name: str
    label: str
    count: Callable[..., dict[int, int]]
    options: Callable[[], list[tuple[str, str]]] = lambda: []
    participants: Callable[..., dict[int, int]] | None = None
    spans: tuple[tuple[str, str], ...] = ()
    days: Callable[..., dict[int, list[int]]] | None = None


_sources: dict[str, RecordSource] = {}
# prefix → (get a figure by its full name, list every such figure)
_resolvers: dict[str, tuple[Callable[[str], "Metric | None"], Callable[[], list]]] = {}


def register_source(source: RecordSource) -> RecordSource:
    _sources[source.name] = source
    return source


def source(name: str) -> RecordSource | None:
    return _sources.get(name)


def all_sources() -> list[RecordSource]:
    return sorted(_sources.values(), key=lambda s: s.name)


def register_resolver(prefix: str, get, listing) -> None:
    """Figures named `prefix…` are looked up by `get(name)` and listed by `listing()`."""
    _resolvers[prefix] = (get, listing)


def register(
    *,
    name: str,
    label,
    definition,
    unit: str,
    group_controlled: bool = True,
    per_workshop: bool = False,
):
    """Decorate a provider function to offer it as the figure `name`."""

    def decorate(compute: Callable[..., dict[int, object]]):
        _registry[name] = Metric(
            name=name,
            label=label,
            definition=definition,
            unit=unit,
            compute=compute,
            group_controlled=group_controlled,
            per_workshop=per_workshop,
        )
        return compute

    return decorate


def get(name: str) -> Metric | None:
    if name in _registry:
        return _registry[name]
    for prefix, (resolve, _listing) in _resolvers.items():
        if name.startswith(prefix):
            return resolve(name)
    return None


def all_metrics() -> list[Metric]:
    found = list(_registry.values())
    for _resolve, listing in _resolvers.values():
        found += listing()
    return sorted(found, key=lambda m: m.name)


def values(
    name: str, *, group_ids, start: date, end: date, period_id=None
) -> dict[int, object] | None:
    """The named figure for each group over [start, end], or None if nobody provides it."""
    metric = get(name)
    if metric is None:
        return None
    return metric.compute(group_ids=list(group_ids), start=start, end=end, period_id=period_id)
