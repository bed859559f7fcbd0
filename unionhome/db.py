"""Reading from a replica where a page only reads, and only when one is configured.

A view opts in with `@reads_from_replica`: its queries go to the `replica` database if
settings define one, else to the primary. Writes always go to the primary, and so do
reads everywhere else, so nobody reads a record older than the one they just saved.
"""

from contextvars import ContextVar
from functools import wraps

from django.conf import settings

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and "replica" in settings.DATABASES:
            return "replica"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def reads_from_replica(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = _use_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _use_replica.reset(token)

    return wrapper
