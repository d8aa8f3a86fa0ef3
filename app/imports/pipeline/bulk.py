"""Bulk writes for a kind's commit: many rows of one table in the session's transaction.

`insert_rows(table, columns)` takes the rows as column lists (`{"name": [v1, v2, ...]}`) of
plain Python values, converts each column once through its type (as a per-row ORM insert
would), and writes them: on SQLite with one compiled INSERT run as a driver executemany, on
PostgreSQL through COPY FROM STDIN on the session's own connection (an executemany runs one
INSERT per row on the server; COPY streams them in one statement, with the same constraints,
indexes and foreign keys checked). Either way nothing is committed: the caller commits once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
        quoted = ", ".join(db.engine.dialect.identifier_preparer.quote(n) for n in names)
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
            for start in range(0, count, CHUNK):
                for row in zip(*(v[start:start + CHUNK] for v in values), strict=True):
                    copy.write_row(row)
                if progress:
                    progress(min(start + CHUNK, count))
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
