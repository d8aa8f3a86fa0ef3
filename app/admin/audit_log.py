"""The audit log page's query (filters by person, record type, action and dates) and what an
entry changed, as lines a person reads instead of the stored JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, func, select

from app.core.audit import AuditEntry
from app.core.db import contains_pattern
from app.extensions import db

FOLD_AFTER = 6  # a new or deleted record's fields beyond this many fold under "N fields"


@dataclass
class AuditFilters:
    who: str = ""
    entity: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None


def _day(value: str | None) -> date | None:
    """A date from the query string; ValueError when it is not one."""
    return date.fromisoformat(value) if value else None


def filters_from_args(args: Any) -> tuple[AuditFilters, str | None]:
    """The page's filters from the query string, and a message when a date was not read."""
    problem = None
    try:
        since, until = _day(args.get("since")), _day(args.get("until"))
    except ValueError:
        since = until = None
        problem = gettext("Give dates as a day of the calendar, e.g. 2026-03-31.")
    return AuditFilters(who=(args.get("who") or "").strip(),
                        entity=(args.get("entity") or "").strip(),
                        action=(args.get("action") or "").strip(),
                        since=since, until=until), problem


def audit_query(filters: AuditFilters) -> Select:
    """Entries matching the filters, newest first: `who` is any part of the person's e-mail
    (or 'system', 'anonymous alumnus'), dates are whole days in UTC, both included."""
    stmt = select(AuditEntry)
    if filters.who:
        stmt = stmt.where(func.lower(AuditEntry.actor_label).like(
            contains_pattern(filters.who.lower()), escape="\\"))
    if filters.entity:
        stmt = stmt.where(AuditEntry.entity_type == filters.entity)
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.since:
        stmt = stmt.where(AuditEntry.created_at >= datetime.combine(filters.since, time(),
                                                                    UTC))
    if filters.until:
        stmt = stmt.where(AuditEntry.created_at < datetime.combine(
            filters.until + timedelta(days=1), time(), UTC))
    return stmt.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def filter_choices() -> tuple[list[str], list[str]]:
    """The record types and actions the log holds (both columns are indexed)."""
    entities = db.session.scalars(select(AuditEntry.entity_type).distinct()
                                  .order_by(AuditEntry.entity_type)).all()
    actions = db.session.scalars(select(AuditEntry.action).distinct()
                                 .order_by(AuditEntry.action)).all()
    return [e for e in entities if e], list(actions)


@dataclass
class ChangeLine:
    field: str
    before: str | None  # None: the entry has no before (a new record)
    after: str | None  # None: no after (a deleted record)


def _words(value: Any, yes_no: tuple[str, str] = ("yes", "no")) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, list):
        return ", ".join(_words(v, yes_no) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def change_lines(entry: AuditEntry, yes_no: tuple[str, str] = ("yes", "no")
                 ) -> list[ChangeLine]:
    """Field, before and after of each value the entry holds. A new or deleted record lists
    its filled fields only; a change lists every field it holds, before → after. `yes_no`:
    how a true / false value reads (the page's language; the download keeps English)."""
    before, after = entry.before or {}, entry.after or {}
    if not before:
        return [ChangeLine(k, None, _words(v, yes_no)) for k, v in after.items()
                if v is not None and v != ""]
    if not after:
        return [ChangeLine(k, _words(v, yes_no), None) for k, v in before.items()
                if v is not None and v != ""]
    keys = list(after) + [k for k in before if k not in after]
    return [ChangeLine(k, _words(before.get(k), yes_no), _words(after.get(k), yes_no))
            for k in keys]


def change_lines_in_language(entry: AuditEntry) -> list[ChangeLine]:
    """change_lines for the page: yes / no in the page's language (field names as stored)."""
    return change_lines(entry, (gettext("yes"), gettext("no")))


EXPORT_HEADER = ["When (UTC)", "Who", "Action", "Record", "Record id", "What changed", "From"]


def export_rows(filters: AuditFilters, action_label: Any) -> Iterator[list[Any]]:
    """The entries the filters select, newest first, one row each; the changes as
    "field: old → new" lines in one cell."""
    for e in db.session.scalars(audit_query(filters)).yield_per(500):
        changes = "\n".join(
            f"{c.field}: {c.after}" if c.before is None else
            f"{c.field}: {c.before}" + ("" if c.after is None else f" → {c.after}")
            for c in change_lines(e))
        yield [e.created_at, e.actor_label, action_label(e.action), e.entity_type, e.entity_id,
               changes, e.origin]
