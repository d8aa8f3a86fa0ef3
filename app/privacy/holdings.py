"""Everything held about one alumnus, found from the metadata as the merge finds it.

Every table with a foreign key to `alumnus.id`, or to `user.id` of their account, is found in
`db.metadata` when asked, so a table a feature adds later is included without this module
knowing it. Their rows are read with one SELECT per foreign-key column; rows of tables that
hang on those rows (a mentor profile's mentorships, a feedback's decisions) one level down;
and the audit entries about the person and about each of those rows. Secrets (password and
link hashes, two-factor keys) and the search index text are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Table, and_, or_, select

from app.alumni.models import Alumnus
from app.core.audit import AuditEntry
from app.core.db import references_to
from app.extensions import db

SECRET_COLUMNS = {"totp_secret", "search_text", "sort_name", "cohort_sort", "programme_sort"}
# Tables whose rows are about the system, not the person, even when they point at them; their
# rows are listed only through the direct foreign key (never their children).
NO_CHILDREN = {"audit_entry", "job", "alumnus", "user"}


def is_secret(column: Column) -> bool:
    return column.name in SECRET_COLUMNS or column.name.endswith("_hash")


def person_references() -> list[tuple[Table, Column]]:
    """What points at an alumnus or at a user account: the tables a copy must contain."""
    from app.auth.models import User

    return (references_to(Alumnus.__table__.c.id)
            + references_to(User.__table__.c.id))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return None
    return value


@dataclass
class Holdings:
    """The rows held about one person: table name -> rows (dicts of column values)."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ids: dict[str, set[Any]] = field(default_factory=dict)  # table -> primary keys found

    def add(self, table: Table, rows: list[Any]) -> None:
        kept = self.tables.setdefault(table.name, [])
        seen = self.ids.setdefault(table.name, set())
        key = _primary_key(table)
        for row in rows:
            ident = row._mapping[key.name] if key is not None else None
            if ident is not None and ident in seen:
                continue
            seen.add(ident)
            kept.append({c.name: _plain(row._mapping[c.name]) for c in table.columns
                         if not is_secret(c)})

    def columns(self, table_name: str) -> list[str]:
        table = db.metadata.tables[table_name]
        return [c.name for c in table.columns if not is_secret(c)]


def _primary_key(table: Table) -> Column | None:
    keys = list(table.primary_key.columns)
    return keys[0] if len(keys) == 1 else None


def _select_rows(table: Table, condition: Any) -> list[Any]:
    return list(db.session.execute(select(table).where(condition)))


def entity_names() -> dict[str, str]:
    """Table name -> the class name audit entries use as `entity_type`."""
    return {mapper.local_table.name: mapper.class_.__name__
            for mapper in db.Model.registry.mappers if isinstance(mapper.local_table, Table)}


def collect(alumnus: Alumnus, progress: Any = None) -> Holdings:
    """Every row held about `alumnus` (and their account); every table found is present,
    empty when nothing of theirs is in it. `progress(done, total, table)` follows along."""
    held = Holdings()
    user_id = alumnus.user_id
    alumni_table = Alumnus.__table__
    held.add(alumni_table, _select_rows(alumni_table, alumni_table.c.id == alumnus.id))
    from app.auth.models import User

    user_table = User.__table__
    held.tables.setdefault("user", [])
    if user_id:
        held.add(user_table, _select_rows(user_table, user_table.c.id == user_id))
    refs = person_references()
    for n, (table, column) in enumerate(refs, start=1):
        ident = alumnus.id if column.references(alumni_table.c.id) else user_id
        held.tables.setdefault(table.name, [])
        if ident is not None:
            held.add(table, _select_rows(table, column == ident))
        if progress:
            progress(n, len(refs) + 2, table.name)
    for table, column, parent_ids in children(held):
        held.tables.setdefault(table.name, [])
        if parent_ids:
            held.add(table, _select_rows(table, column.in_(parent_ids)))
    held.tables["audit_entry"] = []
    held.ids.pop("audit_entry", None)
    held.add(AuditEntry.__table__, list(db.session.execute(
        select(AuditEntry.__table__).where(audit_about(held, user_id))
        .order_by(AuditEntry.__table__.c.created_at, AuditEntry.__table__.c.id))))
    if progress:
        progress(len(refs) + 2, len(refs) + 2, "audit log")
    return held


def _children(held: Holdings) -> Iterator[tuple[Table, Column]]:
    """(table, column) pointing at rows found through the person, one level down: a mentor
    profile's mentorships (a table already read through another column, such as mentorship's
    proposer, is read again through this one). A survey answer's competency ratings are its
    own columns, read with the answer."""
    direct = {(t.name, c.name) for t, c in person_references()}
    for table in db.metadata.sorted_tables:
        if table.name in ("alumnus", "user"):
            continue
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            if ((table.name, fk.parent.name) not in direct and parent in held.ids
                    and parent not in NO_CHILDREN and fk.column.primary_key):
                yield table, fk.parent


def children(held: Holdings) -> list[tuple[Table, Column, set[Any]]]:
    """The child (table, column) pairs of `held` and the parent ids each points at."""
    return [(table, column, held.ids.get(next(iter(column.foreign_keys)).column.table.name)
             or set()) for table, column in _children(held)]


def audit_about(held: Holdings, user_id: int | None) -> Any:
    """The audit entries about the person: about their record, about any row held about
    them, and those their account wrote."""
    entry = AuditEntry.__table__.c
    names = entity_names()
    about = []
    for table_name, ids in held.ids.items():
        if table_name == "audit_entry" or not ids or table_name not in names:
            continue
        about.append(and_(entry.entity_type == names[table_name],
                          entry.entity_id.in_([str(i) for i in ids])))
    if user_id is not None:
        about.append(entry.actor_id == user_id)
    return or_(*about)
