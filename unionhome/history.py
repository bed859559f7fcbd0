"""The change history of a record (django-simple-history), as rows a person can read:
when, who, what kind of change, and each changed field from → to."""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class HistoryRow:
    when: object
    who: object
    kind: str
    changes: list = field(default_factory=list)  # [(field label, before, after)]


def _label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _shown(model, name, value):
    """A choice shows its label; other values as stored."""
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        choices = {}
    if value in (None, ""):
        return "—"
    return str(choices.get(value, value))


def _related_names(model, raw_changes) -> dict:
    """{(field, pk): text} for the foreign keys among the changes: one query per related
    model, whatever the number of changes."""
    wanted = {}
    for name, old, new in raw_changes:
        try:
            related = model._meta.get_field(name).related_model
        except FieldDoesNotExist:
            continue
        if related is not None:
            wanted.setdefault(name, (related, set()))[1].update(v for v in (old, new) if v)
    names = {}
    for name, (related, pks) in wanted.items():
        for found in related._default_manager.filter(pk__in=pks):
            names[(name, found.pk)] = str(found)
    return names


def history_rows(obj, *, limit: int = 20, hidden=()) -> list[HistoryRow]:
    """The latest changes of `obj`, newest first: one query, and one per kind of related
    record named in them. The values of `hidden` fields are not shown, only that they
    changed."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    diffs = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        raw = []
        if older is not None and record.history_type == "~":
            raw = [(c.field, c.old, c.new) for c in record.diff_against(older).changes]
        diffs.append((record, raw))
    related = _related_names(model, [change for _record, raw in diffs for change in raw])

    def shown(name, value):
        if name in hidden:
            return _("(hidden)")
        if (name, value) in related:
            return related[(name, value)]
        return _shown(model, name, value)

    return [
        HistoryRow(
            record.history_date,
            record.history_user,
            KINDS.get(record.history_type, record.history_type),
            [(_label(model, n), shown(n, old), shown(n, new)) for n, old, new in raw],
        )
        for record, raw in diffs
    ]


def history_for(user, obj):
    """The history, for those the record's scope rule lets read it (HQ and the system
    administrator; for welfare records, HQ's welfare staff); None for everybody else."""
    from accounts.scoping import HISTORY, allows

    if not allows(user, HISTORY, obj):
        return None
    hidden_for = getattr(obj, "history_hidden_for", None)
    return history_rows(obj, hidden=hidden_for(user) if hidden_for else ())
