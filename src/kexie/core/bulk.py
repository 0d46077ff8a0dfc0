"""The one bulk writer, for the code paths that write a whole file of rows at once: the roster
import, the coverage tables, the national demo.

Rows are tuples in the order of the columns named, without model instances. PostgreSQL receives
them through ``COPY … FROM STDIN`` (psycopg 3 ``write_row``, or text already in COPY format with
``copy_text``), SQLite through ``executemany`` on its own connection in batches. Either way the rows
go over the connection of the caller's transaction (or ``raw``, a psycopg connection that a writer
thread uses for that transaction), so a failure rolls every batch back with the rest.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Max

SQLITE_BATCH = 50_000


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def columns_of(model, fields: Iterable[str]) -> tuple[str, ...]:
    """The database columns of a model's fields (``county`` → ``county_id``)."""
    return tuple(model._meta.get_field(name).column for name in fields)


@contextmanager
def row_writer(table: str, columns: Iterable[str], *, raw=None) -> Iterator[Callable[[tuple], None]]:
    """A function that takes one row (a tuple in ``columns`` order) and sends it to ``table``:
    COPY on PostgreSQL (over ``raw`` when given), ``executemany`` in batches elsewhere."""
    columns = tuple(columns)
    names = ", ".join(quote(c) for c in columns)
    if raw is None:
        connection.ensure_connection()
        raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            yield copy.write_row
        return
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    buffer: list[tuple] = []

    def write(row: tuple) -> None:
        buffer.append(row)
        if len(buffer) >= SQLITE_BATCH:
            raw.executemany(sql, buffer)
            buffer.clear()

    yield write
    if buffer:
        raw.executemany(sql, buffer)


def insert(model, fields: Iterable[str], rows: Iterable[tuple], *, raw=None) -> int:
    """Write ``rows`` (tuples in the order of ``fields``, field or column names) to the model's table;
    returns how many were written."""
    n = 0
    with row_writer(model._meta.db_table, columns_of(model, fields), raw=raw) as write:
        for row in rows:
            write(row)
            n += 1
    return n


# --- rows already in COPY text (the roster import formats them while judging) ------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    return str(value).translate(_COPY_ESCAPES)


def copy_text(model, columns: Iterable[str], data: bytes, raw) -> None:
    """Rows already in COPY text format to the model's table, over ``raw`` (a psycopg connection).
    Formatting the text directly costs less than psycopg's per-value adapters at 100,000 rows."""
    names = ", ".join(quote(c) for c in columns)
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        copy.write(data)


def reserve_ids(model, count: int, raw=None) -> list[int]:
    """``count`` fresh primary keys for rows written with their ids: from the table's sequence on
    PostgreSQL (over ``raw``, or the default connection), after the largest id elsewhere (SQLite has
    one writer at a time)."""
    if not count:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        if raw is None:
            connection.ensure_connection()
            raw = connection.connection
        with raw.cursor() as cursor:
            # The sequence's name first: pg_get_serial_sequence() inside the select list would be
            # evaluated for every row (0.2 s for 100,000 ids, against 0.04 s).
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
            return [r[0] for r in cursor.fetchall()]
    first = (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    return list(range(first, first + count))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many objects that all stay alive.

    Reading a 100,000-row sheet creates some two million lists, strings and dicts; each allocation
    threshold reached starts a collection that walks the ever-growing young objects, for nothing
    (nothing here is garbage yet), which takes a third of the reading time. Reference counting still
    frees everything as usual; the collector runs again when the block ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
