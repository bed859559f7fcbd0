"""The change history of a record (django-simple-history), as rows a person can read:
when, who, what kind of change, and each changed field from → to."""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist

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


def history_rows(obj, *, limit: int = 20) -> list[HistoryRow]:
    """The latest changes of `obj`, newest first: one query."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    rows = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None and record.history_type == "~":
            for change in record.diff_against(older).changes:
                changes.append(
                    (
                        _label(model, change.field),
                        _shown(model, change.field, change.old),
                        _shown(model, change.field, change.new),
                    )
                )
        rows.append(
            HistoryRow(
                record.history_date,
                record.history_user,
                KINDS.get(record.history_type, record.history_type),
                changes,
            )
        )
    return rows


def history_for(user, obj):
    """The history, for those the record's scope rule lets read it (HQ and the system
    administrator; for welfare records, HQ's welfare staff); None for everybody else."""
    from accounts.scoping import HISTORY, allows

    if not allows(user, HISTORY, obj):
        return None
    return history_rows(obj)
