"""Who the installation serves, read on every page (the footer) without a query: the
organisation's name and emblem are cached, dropped from the cache whenever the record
is saved, and re-read at least every few minutes on every server."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

KEY = "organisation-identity"
SECONDS = 300


@dataclass(frozen=True)
class Identity:
    name: str
    emblem_url: str = ""


def default_identity() -> Identity:
    """Before HQ fills in the record: the name the installation was set up with."""
    return Identity(name=settings.UNIONHOME["ORGANISATION_NAME"])


def identity() -> Identity:
    found = cache.get(KEY)
    if found is None:
        from .models import Organisation

        record = Organisation.objects.filter(pk=1).first()
        if record is None:
            found = default_identity()
        else:
            emblem = ""
            if record.emblem:
                emblem = f"{reverse('emblem')}?v={int(record.updated_at.timestamp())}"
            found = Identity(name=record.name, emblem_url=emblem)
        cache.set(KEY, found, SECONDS)
    return found


def forget(**kwargs) -> None:
    cache.delete(KEY)
