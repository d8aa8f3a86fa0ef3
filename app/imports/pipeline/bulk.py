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


def _converted(table: Table, name: str, values: list[Any]) -> list[Any]:
    column = table.c[name]
    dialect = db.engine.dialect
    if dialect.name == "postgresql":
        if isinstance(column.type, JSON):  # None is JSON null, as an ORM insert stores it
            return [json.dumps(v) for v in values]
        return values
    process = column.type.bind_processor(dialect)
    if process is None:
        return values
    if isinstance(column.type, JSON):  # None is JSON null, as an ORM insert stores it
        return [process(v) for v in values]
    return [None if v is None else process(v) for v in values]


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
    for start in range(0, count, CHUNK):
        part = list(zip(*(v[start:start + CHUNK] for v in ordered), strict=True))
        connection.exec_driver_sql(str(stmt), part)
        if progress:
            progress(min(start + CHUNK, count))
    return count
