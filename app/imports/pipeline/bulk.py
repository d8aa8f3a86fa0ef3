"""Bulk writes for a kind's commit: many rows of one table in the session's transaction.

`insert_rows(table, columns)` takes the rows as column lists (`{"name": [v1, v2, ...]}`) of
plain Python values, converts each column once through its type (as a per-row ORM insert
would), and writes them: on SQLite with one compiled INSERT run as a driver executemany, on
PostgreSQL through COPY FROM STDIN on the session's own connection (an executemany runs one
INSERT per row on the server; COPY streams them in one statement, with the same constraints,
indexes and foreign keys checked). Either way nothing is committed: the caller commits once.

The COPY is binary when every column's server type is one of `BINARY_TYPES`: each column's
values go through the one dumper of its server type (psycopg's text COPY looks up a dumper
per value and the server parses text, which cost a 100,000-row tracer import about a third
of its commit); a table with another type is copied as text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Table, bindparam, insert

from app.extensions import db

CHUNK = 5_000
SQLITE_CACHE_KIB = 64 * 1024
_PLAIN = {int, str, float, bytes, type(None), bool}  # values SQLite binds as they are


def _converted(table: Table, name: str, values: list[Any]) -> list[Any]:
    column = table.c[name]
    dialect = db.engine.dialect
    if dialect.name == "postgresql":
        if isinstance(column.type, JSON):  # None is JSON null, as an ORM insert stores it
            return [json.dumps(v) for v in values]
        return values
    type_process = column.type.bind_processor(dialect)
    dbapi = dialect.dbapi

    def process(value: Any) -> Any:  # the type's conversion, then the driver's own adapter
        if type_process is not None:
            value = type_process(value)
        return dbapi.adapt(value, dbapi.PrepareProtocol, value) if value is not None else None

    if type_process is None and set(map(type, values)) <= _PLAIN:
        return values
    if isinstance(column.type, JSON):  # None is JSON null, as an ORM insert stores it
        return [process(v) for v in values]
    # Each distinct value converted once (a column of 100,000 rows holds few: one import
    # time, a handful of codes), then given to every row that has it.
    done: dict[Any, Any] = {None: None}
    out = []
    for v in values:
        try:
            out.append(done[v])
        except KeyError:
            done[v] = converted = process(v)
            out.append(converted)
    return out


_NONE = type(None)
# Server type → (the dumper's type, the Python type it takes, how to make one). A json
# column's values are already JSON text (`_converted`); json's binary form is that text.
BINARY_TYPES: dict[str, tuple[str, type | None, Callable[[Any], Any] | None]] = {
    "int2": ("int2", int, int), "int4": ("int4", int, int), "int8": ("int8", int, int),
    "varchar": ("text", str, str), "text": ("text", str, str), "bpchar": ("text", str, str),
    "json": ("text", str, str), "numeric": ("numeric", Decimal, lambda v: Decimal(str(v))),
    "bool": ("bool", None, None), "date": ("date", None, None),
    "timestamptz": ("timestamptz", None, None),
}


def _as(kind: type | None, make: Callable[[Any], Any] | None, values: list[Any]) -> list[Any]:
    """The values as the dumper's Python type (a text COPY would have sent str(value))."""
    if kind is None or make is None or set(map(type, values)) <= {kind, _NONE}:
        return values
    return [v if v is None or type(v) is kind else make(v) for v in values]


def _binary_types(connection: Any, table: Table, names: list[str]) -> list[tuple] | None:
    """Each column's dumper for a binary COPY, or None if one has a type not listed."""
    found = dict(connection.exec_driver_sql(
        "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
        " WHERE a.attrelid = %(table)s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
        {"table": table.name}).all())
    types = [BINARY_TYPES.get(found.get(n, "")) for n in names]
    return None if None in types else types  # type: ignore[return-value]


def _copy(connection: Any, table: Table, names: list[str], values: list[list[Any]],
          count: int, progress: Callable[[int], None] | None) -> None:
    quoted = ", ".join(db.engine.dialect.identifier_preparer.quote(n) for n in names)
    types = _binary_types(connection, table, names)
    if types is not None:
        values = [_as(kind, make, v) for v, (_, kind, make) in zip(values, types, strict=True)]
    driver = connection.connection.driver_connection
    sql = f"COPY {table.name} ({quoted}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(
            sql + (" (FORMAT BINARY)" if types is not None else "")) as copy:
        if types is not None:
            copy.set_types([t for t, _, _ in types])
        for start in range(0, count, CHUNK):
            for row in zip(*(v[start:start + CHUNK] for v in values), strict=True):
                copy.write_row(row)
            if progress:
                progress(min(start + CHUNK, count))


def insert_rows(table: Table, columns: dict[str, list[Any]], *,
                progress: Callable[[int], None] | None = None) -> int:
    """Insert the rows given as column lists (all the same length); returns how many."""
    names = list(columns)
    count = len(columns[names[0]]) if names else 0
    if not count:
        return 0
    values = [_converted(table, n, columns[n]) for n in names]
    connection = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        _copy(connection, table, names, values, count, progress)
        return count
    stmt = insert(table).values({n: bindparam(n) for n in names}).compile(
        dialect=db.engine.dialect)
    order = list(stmt.positiontup) if stmt.positiontup is not None else names
    by_name = dict(zip(names, values, strict=True))
    ordered = [by_name[n] for n in order]
    # A page cache large enough to keep the table's indexes in memory during the insert
    # (SQLite's default of 2 MB spills them), set back afterwards.
    cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    try:
        for start in range(0, count, CHUNK):
            part = list(zip(*(v[start:start + CHUNK] for v in ordered), strict=True))
            connection.exec_driver_sql(str(stmt), part)
            if progress:
                progress(min(start + CHUNK, count))
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
    return count
