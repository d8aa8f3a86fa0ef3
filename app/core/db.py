"""Declarative base, naming convention and small model mixins."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    bindparam,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry
from sqlalchemy.sql.visitors import InternalTraversal

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database. SQLite keeps no zone, so values are
    stored as naive UTC there and handed back aware; PostgreSQL stores timestamptz."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is not None and value.tzinfo is not None and dialect.name == "sqlite":
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (a callable default, never computed at import)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC, the day every date rule of the register counts from (a deadline,
    "not in the future", a survey open today). Not the institution's local date: times are
    shown on the institution's clocks, but dates are compared in UTC everywhere, so the
    answer never depends on the server's own time zone. Call this, never date.today()."""
    return utcnow().date()


def refresh_statistics(session, tables: tuple[str, ...]) -> None:
    """Refresh PostgreSQL's planner statistics of `tables` after a bulk write, in the
    caller's transaction (they take effect with its commit and go with its rollback).

    Autovacuum gathers them on its own, but only a while after the load, and not at all
    where it is turned off; until then the planner guesses, and a figure read right after
    a 100,000-row import can take minutes instead of seconds. SQLite plans without them.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    from sqlalchemy import text

    for table in tables:
        session.execute(text(f'ANALYZE "{table}"'))


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class InstitutionOwned:
    """Every record that belongs to an institution carries an indexed `institution_id`."""

    @declared_attr
    def institution_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(
            Integer, ForeignKey("institution.id", ondelete="RESTRICT"), index=True
        )


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; treat them as the UTC they were stored as."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def contains_pattern(text: str) -> str:
    """A LIKE pattern that finds `text` anywhere, its %, _ and \\ standing for themselves; use
    it with `escape="\\"`, as the register search does."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def references_to(target: Column) -> list[tuple[Table, Column]]:
    """Every (table, column) with a foreign key to `target`, found in its metadata now, so a
    table a feature adds later is found without the caller knowing it (the merge moves these
    rows, the data copy reads them)."""
    return [(table, fk.parent) for table in target.table.metadata.sorted_tables
            for fk in table.foreign_keys if fk.column is target]


class IdList(tuple):
    """Integer ids read once and named by several statements (`in_ids`): the JSON form SQLite
    takes them in is made once, not for every statement (30,000 ids are 1-2 ms to encode)."""

    def __new__(cls, ids: Any) -> IdList:
        return super().__new__(cls, (int(i) for i in ids))

    @cached_property
    def as_json(self) -> str:
        return json.dumps(list(self))


class _IdArray(TypeDecorator):
    """A list of integer ids bound as one parameter: an array on PostgreSQL, a JSON array on
    SQLite (whatever their length: one parameter per id runs into either driver's limit)."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect):  # noqa: ANN001
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import ARRAY

            return dialect.type_descriptor(ARRAY(BigInteger))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        ids = value if isinstance(value, IdList) else IdList(value)
        return list(ids) if dialect.name == "postgresql" else ids.as_json


_ID_ARRAY = _IdArray()  # one instance: its per-database form is worked out once


class _InIds(ColumnElement[bool]):
    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a predicate: no "= 1" where the database has no booleans
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("ids", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: Any, ids: Any) -> None:
        self.column = column
        self.ids = bindparam(None, ids if isinstance(ids, IdList) else IdList(ids),
                             type_=_ID_ARRAY)


def in_ids(column: Any, ids: Any) -> ColumnElement[bool]:
    """SQL condition: `column` is one of `ids`, the list bound as one parameter (a statement
    that names a few thousand ids read earlier, without a parameter for each)."""
    return _InIds(column, ids)


@compiles(_InIds)
def _in_ids_sqlite(element: _InIds, compiler: Any, **kw: Any) -> str:
    return (f"{compiler.process(element.column, **kw)} IN "
            f"(SELECT value FROM json_each({compiler.process(element.ids, **kw)}))")


@compiles(_InIds, "postgresql")
def _in_ids_postgresql(element: _InIds, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} = ANY({compiler.process(element.ids, **kw)})"
