"""The dashboard's year figures, cached until the records they count change.

The figures of an organisation's year read hundreds of thousands of participation rows;
they change far less often than they are read. They are cached under a token kept in
the database: any committed save or delete in the apps the figures count gives the token
a new random value, so the next reader on any server misses the cache and computes them
afresh. A random token, not a counter, so that restoring or flushing the database can
never bring back a number some cache still holds. Writes that send no per-row signals
(bulk creates and queryset updates in imports and demo data) send
`records_changed_in_bulk`; a restore loads its rows with signals.
Entries also expire after FIGURES_CACHE_SECONDS, a bound on anything missed.
"""

from __future__ import annotations

import uuid

from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import cache
from django.db import router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from unionhome.signals import records_changed_in_bulk, summaries_refreshed

COUNTED_APPS = {"groups", "activities", "welfare", "funds", "scoring", "homes", "membership"}
# Written on every read of a welfare case; the figures never count it. The summary tables
# are the figures themselves: their own writes are no change to what they count.
NOT_COUNTED = {
    "welfare.accesslog",
    "activities.summaryyear",
    "activities.summaryfigure",
    "activities.summarygroup",
}
KEY = "figures"


def _model():
    from .models import FiguresVersion

    return FiguresVersion


def renew_token(using: str) -> None:
    """Give the token a new value now, and mark the summary tables changed;
    `figures_changed` does it on commit."""
    from activities.summaries import mark_changed

    store_new_token(using)
    mark_changed(using)


def store_new_token(using: str) -> None:
    """A new token alone: drops every cached figure (after a summary refresh)."""
    FiguresVersion = _model()
    token = uuid.uuid4().hex
    if not FiguresVersion.objects.using(using).filter(key=KEY).update(token=token):
        FiguresVersion.objects.using(using).get_or_create(key=KEY, defaults={"token": token})


class _Renewal:
    """The token's renewal at one commit: every change of a transaction registers the
    same one, and only its first call writes (scoring saves thousands of rows)."""

    def __init__(self, using: str):
        self.using = using
        self.done = False

    def __call__(self):
        if not self.done:
            self.done = True
            renew_token(self.using)


def figures_changed(using: str | None = None) -> None:
    """A new token once the current transaction commits (at once outside one), written
    once however many rows the transaction changes."""
    using = using or router.db_for_write(_model())
    connection = transaction.get_connection(using)
    renewal = getattr(connection, "figures_renewal", None) if connection.in_atomic_block else None
    if renewal is None or renewal.done:
        renewal = _Renewal(using)
        connection.figures_renewal = renewal
    transaction.on_commit(renewal, using=using)


def _on_change(sender, **kwargs):
    # Models rebuilt by migrations live in their own registry: a data migration runs
    # before this app's table exists, and no server has figures cached then. A history
    # row always comes with a change to its record, which has renewed the token.
    if (
        sender._meta.app_label in COUNTED_APPS
        and sender._meta.apps is global_apps
        and not hasattr(sender, "instance_type")
        and sender._meta.label_lower not in NOT_COUNTED
    ):
        figures_changed(kwargs.get("using"))


def _on_bulk_change(sender, using=None, **kwargs):
    figures_changed(using)


def _on_summaries_refreshed(sender, using=None, **kwargs):
    store_new_token(using)


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"dashboard.figures.{id(signal)}")
    records_changed_in_bulk.connect(_on_bulk_change, dispatch_uid="dashboard.figures.bulk")
    summaries_refreshed.connect(_on_summaries_refreshed, dispatch_uid="dashboard.summaries")


def current_token() -> str:
    """Read where the figures are read (a replica, inside `reads_from_replica`), so the
    token is never newer or older than the records it stands for."""
    FiguresVersion = _model()
    return FiguresVersion.objects.filter(key=KEY).values_list("token", flat=True).first() or ""


def cached(name: str, parts: tuple, compute):
    """`compute()`, or its cached value for these parts and the current token. The parts
    must name everything the value depends on besides the counted records: who asks
    (their role and place, which decide what they may see), the day, the year."""
    key = ":".join(["figures", name, current_token(), *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.UNIONHOME["FIGURES_CACHE_SECONDS"])
    return value
