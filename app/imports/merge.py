"""Merging two alumnus records into one survivor that keeps the history of both.

Every table with a foreign key to `alumnus.id` is found in `db.metadata` when the merge runs,
so tables added by any feature (consents, employment, mentoring, contributions, exchange
participations, ...) are carried over without this module knowing them. Their rows are
re-pointed at the survivor with one UPDATE per foreign-key column.

Rules:
* Both records must be of the same institution, and the acting officer's.
* A unique constraint that includes the foreign key (one mentor profile per alumnus, say)
  would be broken if both records have a row with the same values: the merge is refused,
  naming the table, so nothing is lost silently. A feature that knows how to combine such
  rows registers a handler: `register_merge_handler("table_name", fn)`, where
  `fn(table, column, survivor_id, merged_id) -> int` moves (or combines) the rows itself.
* Linked user accounts (`alumnus.user_id` is unique): if only the merged-away record has an
  account, the survivor takes it; if both have one, the merge is refused (an alumnus signs
  in with one account; an administrator deactivates the other first, then unlinks it).
* The chosen values go through the register's own checks (`clean_alumnus_data`).
* The merged-away student number becomes an alias of the survivor: the register search, the
  importer and every form that takes a student number (`app.alumni.lookup`) find the survivor
  by it; the merged-away id is kept in `MergedRecord`, so its pages lead to the survivor.
* Moved rows keep their own dates: the re-pointing UPDATE leaves `updated_at` (any column
  with an `onupdate`) as it was, so the survivor's timeline shows a moved job when it was
  reported, not at the merge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from flask_babel import gettext
from sqlalchemy import Table, and_, delete, func, select, update

from app.alumni.models import Alumnus, MergedRecord, StudentNumberAlias
from app.alumni.services import AlumnusData, clean_alumnus_data
from app.core.audit import record_audit, snapshot
from app.core.db import references_to
from app.core.errors import Conflict, ValidationFailed
from app.core.permissions import require_writer_in_scope
from app.extensions import db
from app.imports.models import DuplicateCandidate

MERGE_FIELDS = tuple(f.name for f in fields(AlumnusData))
MergeHandler = Callable[[Table, Any, int, int], int]
_HANDLERS: dict[str, MergeHandler] = {}


def register_merge_handler(table_name: str, handler: MergeHandler) -> None:
    """Let a feature move (or combine) its own rows when two alumni are merged."""
    _HANDLERS[table_name] = handler


def alumnus_references() -> list[tuple[Table, Any]]:
    """Every (table, column) with a foreign key to alumnus.id, found in the metadata now."""
    return references_to(Alumnus.__table__.c.id)


def _keep_own_dates(table: Table) -> dict[str, Any]:
    """Columns the UPDATE would stamp with the merge time (`onupdate`, such as updated_at),
    set to themselves: a moved job keeps the date it was reported; only the merge is new."""
    return {c.name: c for c in table.columns if c.onupdate is not None}


def _unique_groups(table: Table, column: Any) -> list[list[Any]]:
    """Column sets of the unique constraints and unique indexes that include `column`."""
    groups = []
    for constraint in table.constraints:
        cols = list(getattr(constraint, "columns", []))
        if constraint.__class__.__name__ == "UniqueConstraint" and column in cols:
            groups.append(cols)
    for index in table.indexes:
        if index.unique and column in list(index.columns):
            groups.append(list(index.columns))
    if column.unique:
        groups.append([column])
    return groups


def _check_unique(table: Table, column: Any, survivor_id: int, merged_id: int) -> None:
    for cols in _unique_groups(table, column):
        others = [c for c in cols if c is not column]
        if not others:
            both = db.session.scalar(select(func.count()).select_from(table).where(
                column.in_([survivor_id, merged_id])))
            if both and both > 1:
                raise Conflict(gettext(
                    "Both records have a %(what)s entry, and an alumnus can have only one. "
                    "Resolve that first; nothing was merged.",
                    what=table.name.replace("_", " ")))
            continue
        mine = table.alias("mine")
        theirs = table.alias("theirs")
        clash = db.session.scalar(
            select(func.count()).select_from(mine).join(
                theirs, and_(*(mine.c[c.name] == theirs.c[c.name] for c in others)))
            .where(mine.c[column.name] == survivor_id, theirs.c[column.name] == merged_id))
        if clash:
            names = ", ".join(c.name for c in others)
            raise Conflict(gettext(
                "Both records have %(what)s entries with the same %(columns)s; resolve that "
                "first. Nothing was merged.", what=table.name.replace("_", " "), columns=names))


def merge_alumni(survivor: Alumnus, merged: Alumnus, choices: dict[str, str], *, actor: Any,
                 versions: tuple[int | None, int | None] = (None, None)) -> Alumnus:
    """Merge `merged` into `survivor`, taking each field from the record `choices` names.

    `choices` maps a field to "survivor" or "merged" (missing: the survivor's value, or the
    merged record's where the survivor has none).
    """
    require_writer_in_scope(actor, survivor, merged, message="No such alumnus.")
    if survivor.id == merged.id:
        raise ValidationFailed({"merged": gettext("Choose two different records.")})
    if survivor.institution_id != merged.institution_id:
        raise ValidationFailed({"merged": gettext(
            "Only records of the same institution can be merged.")})
    for record, expected in zip((survivor, merged), versions, strict=True):
        if expected is not None and int(expected) != record.version:
            raise Conflict(gettext("One of the records was changed while you were comparing "
                                   "them. Look at them again."))
    if survivor.user_id and merged.user_id:
        raise Conflict(gettext(
            "Both records are linked to a user account; an alumnus signs in with one. Ask an "
            "administrator to deactivate and unlink one account first."))

    values: dict[str, Any] = {}
    for name in MERGE_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        choice = choices.get(name) or ("merged" if mine in (None, "") else "survivor")
        values[name] = theirs if choice == "merged" else mine
    cleaned = clean_alumnus_data(AlumnusData(**values), survivor.institution)
    cleaned["status"] = cleaned.get("status") or survivor.status
    kept_number = cleaned["student_number"]
    retired = [n for n in (survivor.student_number, merged.student_number)
               if n.lower() != kept_number.lower()]

    before = {"survivor": snapshot(survivor), "merged": snapshot(merged)}
    survivor_id, merged_id, institution_id = survivor.id, merged.id, survivor.institution_id
    account = merged.user_id
    merged_number, merged_name = merged.student_number, merged.full_name

    for table, column in alumnus_references():
        if table.name not in _HANDLERS and table is not Alumnus.__table__:
            _check_unique(table, column, survivor_id, merged_id)
    moved: dict[str, int] = {}
    if account:
        db.session.execute(update(Alumnus.__table__).where(Alumnus.__table__.c.id == merged_id)
                           .values(user_id=None))
    for table, column in alumnus_references():
        if table.name in _HANDLERS:
            count = _HANDLERS[table.name](table, column, survivor_id, merged_id)
        else:
            count = db.session.execute(update(table).where(column == merged_id)
                                       .values({column.name: survivor_id,
                                                **_keep_own_dates(table)})).rowcount
        if count:
            key = f"{table.name}.{column.name}"
            moved[key] = moved.get(key, 0) + count
    db.session.expunge(merged)
    db.session.execute(delete(Alumnus.__table__).where(Alumnus.__table__.c.id == merged_id))
    db.session.expire(survivor, ["consents"])

    for name, value in cleaned.items():
        setattr(survivor, name, value)
    if account:
        survivor.user_id = account
    survivor.refresh_search_text()
    db.session.flush()

    for number in retired:
        db.session.execute(delete(StudentNumberAlias).where(
            StudentNumberAlias.institution_id == institution_id,
            StudentNumberAlias.number_key == number.lower()))
        db.session.add(StudentNumberAlias(institution_id=institution_id, student_number=number,
                                          number_key=number.lower(), alumnus_id=survivor_id))
    # The old id leads to the survivor (its page redirects; links and bookmarks keep working).
    db.session.add(MergedRecord(institution_id=institution_id, merged_id=merged_id,
                                merged_student_number=merged_number, merged_name=merged_name,
                                survivor_id=survivor_id, merged_by_id=getattr(actor, "id", None)))
    db.session.flush()
    record_audit(actor, "alumnus.merge", survivor, before=before,
                 after={"survivor": snapshot(survivor), "merged_id": merged_id,
                        "merged_student_number": merged_number, "moved": moved})
    record_audit(actor, "alumnus.merged_away", entity_type="Alumnus", entity_id=merged_id,
                 institution_id=institution_id, before=before["merged"],
                 after={"merged_into": survivor_id})
    return survivor


def find_merge_partner(alumnus: Alumnus, number: str, *, actor: Any) -> Alumnus:
    """The record of `alumnus`'s institution that `number` names, to compare and merge.

    Any two records can be merged, not only the pairs the duplicates queue found; a student
    number merged away before names its survivor, which is said rather than offered.
    """
    require_writer_in_scope(actor, alumnus, message="No such alumnus.")
    key = (number or "").strip().lower()
    if not key:
        raise ValidationFailed({"number": gettext("Enter the other record's student number.")})
    other = db.session.scalar(select(Alumnus).where(
        Alumnus.institution_id == alumnus.institution_id,
        func.lower(Alumnus.student_number) == key))
    if other is None:
        survivor_id = db.session.scalar(select(StudentNumberAlias.alumnus_id).where(
            StudentNumberAlias.institution_id == alumnus.institution_id,
            StudentNumberAlias.number_key == key))
        if survivor_id == alumnus.id:
            raise ValidationFailed({"number": gettext(
                "%(number)s was already merged into this record.", number=number.strip())})
        other = db.session.get(Alumnus, survivor_id) if survivor_id else None
    if other is None:
        raise ValidationFailed({"number": gettext(
            "No record of this institution has the student number %(number)s.",
            number=number.strip())})
    if other.id == alumnus.id:
        raise ValidationFailed({"number": gettext("That is this record's own student number.")})
    return other


def open_pairs_of(alumnus: Alumnus) -> list[DuplicateCandidate]:
    """The open possible-duplicate pairs that include this record, most likely first."""
    # Two look-ups by the first and the second id (each indexed), not a pass over every open
    # pair (the planner took the status index for the OR form).
    pair = DuplicateCandidate
    ids = (select(pair.id).where(pair.first_id == alumnus.id)
           .union_all(select(pair.id).where(pair.second_id == alumnus.id)))
    return list(db.session.scalars(
        select(DuplicateCandidate)
        .where(DuplicateCandidate.id.in_(ids), DuplicateCandidate.status == "open")
        .order_by(DuplicateCandidate.score.desc(), DuplicateCandidate.id)))
