"""Loading many rows at once: seed_demo's large sizes, and a scoring run's results.

`copy_rows` streams rows from an iterable: PostgreSQL's COPY (psycopg's `cursor.copy()`),
chunked `bulk_create` elsewhere; either way only one chunk is held at a time, so millions
of rows never become Python objects together. `reserve_ids` hands out primary keys before
the rows are written, so that rows pointing at them can be generated in the same pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, models
from django.utils import timezone

CHUNK = 5000  # rows per bulk_create
COPY_CHUNK = 50_000  # rows per COPY, held at once


def _fields(model, names: Sequence[str]) -> list[models.Field]:
    meta = model._meta
    fields = []
    for name in names:
        field = meta.get_field(name)
        if not field.concrete or field.many_to_many:
            raise ValueError(f"{model.__name__}.{name} is not a column")
        fields.append(field)
    return fields


def _constant(field: models.Field):
    """The value a column not named takes in every row: what a new instance would hold."""
    if field.has_default():
        value = field.get_default()
    elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = timezone.now()
    elif field.null:
        value = None
    elif field.empty_strings_allowed and field.blank:
        value = ""
    else:
        raise ValueError(
            f"{field.model.__name__}.{field.name} has no default: name it in the fields"
        )
    return field.get_db_prep_save(value, connection)


def copy_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write `rows` (tuples of values in the order of `fields`: ids for foreign keys by
    their attname, e.g. "group_id") to the model's table; the other columns take their
    field's default. Returns the number of rows written. No signals, no save(), as with
    bulk_create."""
    named = _fields(model, fields)
    names = [field.attname for field in named]
    if connection.vendor != "postgresql":
        count = 0
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK)):
            model.objects.bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in chunk]
            )
            count += len(chunk)
        return count
    rest = [
        f
        for f in model._meta.concrete_fields
        if f not in named and not (f.primary_key and isinstance(f, models.AutoField))
    ]
    constants = tuple(_constant(f) for f in rest)
    # JSON columns go through the field (dumped as jsonb); every other value as it is.
    adapted = [i for i, f in enumerate(named) if isinstance(f, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*named, *rest])
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    rows = iter(rows)
    count = 0
    # A chunk at a time, each in its own COPY: the rows' generator may query the database
    # between them (a query while a COPY is open would wait for ever).
    while chunk := list(islice(rows, COPY_CHUNK)):
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            if adapted:
                for row in chunk:
                    row = list(row)
                    for i in adapted:
                        row[i] = named[i].get_db_prep_save(row[i], connection)
                    write((*row, *constants))
            elif constants:
                for row in chunk:
                    write((*row, *constants))
            else:
                for row in chunk:
                    write(row)
        count += len(chunk)
    return count


def reserve_ids(model: type[models.Model], count: int) -> range:
    """`count` primary keys no other row has or will get: rows written with these ids
    (name "id" in copy_rows' fields) can be pointed at before they are written."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = model._meta.pk.column
    largest = f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {table}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            (sequence,) = cursor.fetchone()
            # Moves the sequence past the block (and past any key written by hand).
            cursor.execute(
                "SELECT setval(%s::regclass, "
                f"GREATEST(nextval(%s::regclass) + %s - 1, ({largest}) + %s), true)",
                [sequence, sequence, count, count],
            )
            (last,) = cursor.fetchone()
            return range(last - count + 1, last + 1)
        # SQLite's AUTOINCREMENT keys go past the largest key written, so max + 1 on.
        cursor.execute(largest)
        (last,) = cursor.fetchone()
        return range(last + 1, last + count + 1)


def copy_rows_with_history(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], *, user
) -> int:
    """copy_rows for a model kept by django-simple-history: each row is written with its
    history row (created, "+", by `user`), as bulk_create_with_history writes them, a
    chunk at a time. `fields` must not name the primary key. Returns the rows written."""
    history = model.history.model
    kept = {f.attname for f in history._meta.concrete_fields}
    named = [f.attname for f in _fields(model, fields)]
    in_history = [i for i, name in enumerate(named) if name in kept]
    history_fields = (
        "id",
        *(named[i] for i in in_history),
        "history_date",
        "history_type",
        "history_user_id",
    )
    user_id = getattr(user, "pk", None)
    rows = iter(rows)
    count = 0
    while chunk := list(islice(rows, COPY_CHUNK)):
        ids = reserve_ids(model, len(chunk))
        copy_rows(model, ("id", *named), ((pk, *row) for pk, row in zip(ids, chunk, strict=True)))
        now = timezone.now()
        copy_rows(
            history,
            history_fields,
            (
                (pk, *(row[i] for i in in_history), now, "+", user_id)
                for pk, row in zip(ids, chunk, strict=True)
            ),
        )
        count += len(chunk)
    return count


def analyse(*models: type[models.Model]) -> None:
    """Fresh planner statistics for tables just loaded, before the same run reads them:
    PostgreSQL takes a table it has not analysed for nearly empty and plans nested loops
    over millions of rows. ANALYZE counts the rows of the open transaction too."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
