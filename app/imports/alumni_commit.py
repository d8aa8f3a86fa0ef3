"""Writing an alumni import plan: Core executemany, in the caller's transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, func, insert, select, update

from app.alumni.models import CONSENT_PURPOSES, Alumnus, Consent
from app.alumni.notices import current_notice_version
from app.alumni.search_index import TRGM_INDEX
from app.core.audit import record_audit_bulk
from app.core.db import utcnow
from app.core.errors import Conflict
from app.extensions import db
from app.imports.alumni_values import plain_value
from app.imports.pipeline import ImportContext, Plan

CHUNK = 5_000
SQLITE_CACHE_KIB = 64 * 1024  # page cache during a bulk insert (SQLite's default: 2 MB)


def _driver_values(table: Any, name: str, values: pd.Series) -> list[Any]:
    """A column as the values the driver binds, converted once per distinct value.

    The column type's bind processor and the driver's own adapter (SQLite turns dates into
    ISO text) run on each distinct value, not on each of 100,000 cells; the cells then take
    their converted value by position. The stored values are exactly what a per-row insert
    stores.
    """
    dialect = db.engine.dialect
    process = table.c[name].type.bind_processor(dialect)
    if name in ("programme_id", "cohort_year"):
        values = pd.to_numeric(values, errors="coerce").astype("Int64")
    dated = pd.api.types.is_datetime64_any_dtype(values)
    if process is None and not dated:
        return values.astype(object).where(values.notna(), None).tolist()
    codes, uniques = pd.factorize(values)
    plain = [v.date() for v in uniques] if dated else list(uniques)
    lookup = np.empty(len(plain) + 1, dtype=object)  # the last slot (code -1) is a blank
    lookup[:-1] = [_for_driver(v, process) for v in plain]
    return lookup[codes].tolist()


def _for_driver(value: Any, process: Any) -> Any:
    """One value as the driver binds it: the type's processor, then the driver's adapter."""
    value = plain_value(value)
    if value is None:
        return None
    if process is not None:
        value = process(value)
    dbapi = db.engine.dialect.dbapi
    if db.engine.dialect.name == "sqlite" and hasattr(dbapi, "adapt"):
        value = dbapi.adapt(value, dbapi.PrepareProtocol, value)
    return value


def _bulk_insert(table: Any, rows: dict[str, list[Any]], ctx: ImportContext,
                 total: int, done: int) -> int:
    """Core insert() executemany of column lists (driver values), in chunks, with progress.

    The statement is the Core insert(), run in the session's transaction (on PostgreSQL a
    COPY, see `_copy_rows`). On SQLite the
    connection's page cache is enlarged for the insert, so the alumnus table's indexes are
    maintained in memory instead of spilling pages, and set back afterwards.
    """
    names = list(rows)
    dialect = db.engine.dialect
    if dialect.name == "postgresql":
        return _copy_rows(table, rows, ctx, total, done)
    stmt = insert(table).values({n: bindparam(n) for n in names}).compile(dialect=dialect)
    order = list(stmt.positiontup) if stmt.positiontup is not None else None
    columns = [rows[n] for n in (order or names)]
    count = len(columns[0]) if columns else 0
    connection = db.session.connection()
    cache = None
    if dialect.name == "sqlite":
        cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    try:
        for start in range(0, count, CHUNK):
            part = list(zip(*(c[start:start + CHUNK] for c in columns), strict=True))
            if order is None:
                part = [dict(zip(names, r, strict=True)) for r in part]
            connection.exec_driver_sql(str(stmt), part)
            done += len(part)
            ctx.progress(done, total,
                         f"Added {min(start + CHUNK, count):,} of {count:,} new records")
    finally:
        if cache is not None:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(cache)}")
    return count


def _copy_rows(table: Any, rows: dict[str, list[Any]], ctx: ImportContext, total: int,
               done: int) -> int:
    """PostgreSQL: the rows through COPY FROM STDIN on the session's own connection.

    An executemany runs one INSERT per row on the server (about 14 s for 100,000 alumni here);
    COPY streams them in one statement, in the same transaction, with the same constraints,
    indexes and foreign keys checked.
    """
    names = list(rows)
    columns = [rows[n] for n in names]
    count = len(columns[0]) if columns else 0
    quoted = ", ".join(db.engine.dialect.identifier_preparer.quote(n) for n in names)
    driver = db.session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        # The search index's new entries batched in a pending list of the server's usual
        # size for this transaction (the connections' small one doubled 100,000 rows' time),
        # then merged before the commit, so the first search after the import reads none.
        cursor.execute("SET LOCAL gin_pending_list_limit = '4MB'")
        with cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
            for start in range(0, count, CHUNK):
                for row in zip(*(c[start:start + CHUNK] for c in columns), strict=True):
                    copy.write_row(row)
                done += min(CHUNK, count - start)
                ctx.progress(done, total,
                             f"Added {min(start + CHUNK, count):,} of {count:,} new records")
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", (TRGM_INDEX,))
    return count


def _json(value: Any) -> Any:
    value = plain_value(value)
    return value.isoformat() if isinstance(value, date) else value


def commit_alumni(plan: Plan, ctx: ImportContext) -> dict[str, int]:
    """Insert the new alumni and update the known ones, exactly as planned (no commit)."""
    table = Alumnus.__table__
    institution_id = ctx.institution.id
    now = utcnow()
    create: pd.DataFrame = plan.payload["create"]
    updates: list[dict[str, Any]] = plan.payload["updates"]
    total = len(create) + len(updates)
    actor_id = getattr(ctx.actor, "id", None)
    batch_id = ctx.batch.id if ctx.batch is not None else None
    origin = "import"

    if len(create):
        # Someone may have added one of these numbers since the preview.
        keys = set(create["student_number"].str.lower())
        taken = set(db.session.scalars(
            select(func.lower(Alumnus.student_number))
            .where(Alumnus.institution_id == institution_id)))
        clash = keys & taken
        if clash:
            raise Conflict(f"{len(clash)} student numbers of this file were added to the "
                           "register since the preview; nothing was saved. Preview again.")
    n = len(create)
    # In key order: the unique (institution, student number) index then grows at its end.
    ordered = create.sort_values("student_number", kind="stable")
    columns = {name: _driver_values(table, name, ordered[name]) for name in ordered.columns}
    del ordered
    constants = {"institution_id": institution_id, "directory_visible": False, "version": 1,
                 "created_at": now, "updated_at": now}
    for name, value in constants.items():
        columns[name] = [_for_driver(value, table.c[name].type.bind_processor(
            db.engine.dialect))] * n
    created = _bulk_insert(table, columns, ctx, total, 0) if n else 0
    del columns

    consent_rows = list(plan.payload["consents"])
    cc: pd.DataFrame = plan.payload["create_consents"]
    if len(create) and cc.drop(columns=["key"]).notna().any().any():
        ids = dict(db.session.execute(
            select(func.lower(Alumnus.student_number), Alumnus.id)
            .where(Alumnus.institution_id == institution_id)).all())
        for purpose in CONSENT_PURPOSES:
            given = cc[cc[purpose].notna()]
            consent_rows += [{"alumnus_id": ids[k], "purpose": purpose, "granted": bool(g)}
                             for k, g in zip(given["key"], given[purpose], strict=True)]

    updated = 0
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for u in updates:
        groups.setdefault(tuple(sorted(u["changes"])), []).append(u)
    for names, items in groups.items():
        stmt = (update(table)
                .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
                .values({**{n: bindparam(f"v_{n}") for n in names},
                         "version": table.c.version + 1, "updated_at": now}))
        for start in range(0, len(items), CHUNK):
            part = items[start:start + CHUNK]
            params = [{"b_id": u["id"], "b_version": u["version"],
                       **{f"v_{n}": plain_value(u["changes"][n]) for n in names}} for u in part]
            result = db.session.execute(stmt, params)
            if db.engine.dialect.supports_sane_multi_rowcount and result.rowcount != len(part):
                raise Conflict("Some of these alumni were changed since the preview; nothing "
                               "was saved. Preview the file again.")
            updated += len(part)
            ctx.progress(len(create) + updated, total,
                         f"Updated {updated:,} of {len(updates):,} alumni")
    if updates and not db.engine.dialect.supports_sane_multi_rowcount:
        _check_versions(updates)

    if consent_rows:
        version = current_notice_version()
        db.session.execute(insert(Consent.__table__), [
            {**c, "method": "import", "recorded_at": now, "notice_version": version,
             "recorded_by_id": actor_id} for c in consent_rows])

    # One audit entry per changed record (what changed, before and after); new records are
    # listed by the batch's own entry, which the pipeline adds.
    record_audit_bulk(ctx.actor, [
        {"institution_id": institution_id, "action": "alumnus.import_update",
         "entity_type": "Alumnus", "entity_id": u["id"],
         "before": {k: _json(v) for k, v in u["before"].items()} | {"batch": batch_id},
         "after": {k: _json(v) for k, v in u["changes"].items() if k != "search_text"}
         | {"batch": batch_id}} for u in updates], origin=origin, at=now)
    db.session.expire_all()
    return {"create": created, "update": updated, "unchanged": plan.unchanged}


def _check_versions(updates: list[dict[str, Any]]) -> None:
    expected = {u["id"]: u["version"] + 1 for u in updates}
    ids = list(expected)
    for start in range(0, len(ids), 10_000):
        part = ids[start:start + 10_000]
        for aid, version in db.session.execute(
                select(Alumnus.id, Alumnus.version).where(Alumnus.id.in_(part))):
            if expected[aid] != version:
                raise Conflict("Some of these alumni were changed since the preview; nothing "
                               "was saved. Preview the file again.")


