"""The generic import pipeline: read a file, map its columns, preview, then commit.

Every kind of import (registrar alumni lists here; exchange participants, employment records
elsewhere) goes through the same steps and gets the same things for free: CSV (UTF-8, UTF-8
with BOM, UTF-16, Windows-1252, TIS-620/cp874 detected, or refused) and XLSX read with pandas,
size/row/empty-file limits, header names recognised and the mapping remembered per
institution, a preview before anything is written, rejected rows as a CSV with an `error`
column, the import log (`ImportBatch`), a background job with a progress bar for long files,
the wizard pages (/imports/new?kind=NAME) and the command `flask import NAME FILE`.

Registering a kind
------------------
A feature describes its file once and registers it when its `routes` module is imported::

    from app.imports.pipeline import Column, ImportContext, ImportKind, Plan, register_kind

    def plan_exchange(frame: pd.DataFrame, ctx: ImportContext) -> Plan: ...
    def commit_exchange(plan: Plan, ctx: ImportContext) -> dict[str, int]: ...

    register_kind(ImportKind(
        name="exchange",
        label="Exchange participants",
        columns=(
            Column("student_number", "Student number", ("student id", "matric no"), key=True),
            Column("batch_code", "Exchange batch", ("batch",), required=True),
            ...
        ),
        plan=plan_exchange,
        commit=commit_exchange,
    ))

The contract:

* `plan(frame, ctx) -> Plan` gets one row per data row of the file. Its columns are the kind's
  field names that the file mapped (text, stripped; blanks are missing values) plus `_row`,
  the row number as the user sees it in a spreadsheet (the header is row 1). It checks every
  row with vectorised pandas operations, looks up what is already in the database, and returns
  a `Plan`: the counts (create, update, unchanged), `errors` (a `RowError` per problem with
  row, field and message; level "error" rejects the row, "warning" only reports it) and a
  `payload` with whatever the commit needs (plain values or DataFrames; it is pickled between
  the preview and the commit). It writes nothing.
* `commit(plan, ctx) -> dict` writes exactly the plan, with Core `insert()`/`update()`
  executemany through `db.session` (never `add_all` for bulk rows), and returns the counts
  written: {"create": n, "update": n, "unchanged": n}. It never commits; the caller (page,
  command or job) commits once, so a failure anywhere leaves the database as it was. If the
  database changed since the preview so the plan no longer holds, raise `Conflict` (or any
  `DomainError`) and everything rolls back. Report progress with `ctx.progress(done, total,
  message)`; write audit entries with `record_audit` (the pipeline adds one for the batch).
* `after_commit(ctx)` (optional) runs after a batch commit in the same transaction.
* A kind's `key=True` column must be in the file (else the file is refused before a preview).
  `required=True` columns need a value in a row: `plan` reports missing ones with
  `missing_required(frame, kind, only=mask)` (a mask, because an update may leave them out).

Helpers for plans: `missing_required(frame, fields)`, `parse_dates(series)`,
`repeated_in_file(series)`, `RowError`, and `errors_for(mask, frame, field, message)`, which
turns a boolean mask into row errors without a Python loop over clean rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select

from app.alumni.text import fold
from app.extensions import db
from app.imports.models import ImportBatch, ImportMapping
from app.imports.reading import (  # noqa: F401 - part of this module's interface
    DEFAULTS,
    ImportRefused,
    detect_encoding,
    import_folder,
    read_table,
    setting,
)

COUNT_WORDS = (
    ("create", "to create"),
    ("update", "to update"),
    ("unchanged", "unchanged"),
    ("reject", "rejected"),
)


# --- kinds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A field a kind of file may carry, with the header names it is recognised by."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # every row needs a value
    key: bool = False  # the file must have this column at all


@dataclass
class RowError:
    row: int
    field: str
    message: str
    level: str = "error"  # "error" rejects the row; "warning" only reports it

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message,
                "level": self.level}


@dataclass
class Plan:
    """What a commit will write, as the preview showed it."""

    kind: str
    rows_read: int
    create: int = 0
    update: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.level == "error"})

    @property
    def reject(self) -> int:
        return len(self.rejected_rows)

    @property
    def warning_count(self) -> int:
        return sum(1 for e in self.errors if e.level == "warning")

    @property
    def counts(self) -> dict[str, int]:
        return {"read": self.rows_read, "create": self.create, "update": self.update,
                "unchanged": self.unchanged, "reject": self.reject}

    @property
    def changes_nothing(self) -> bool:
        return self.create == 0 and self.update == 0


def _no_progress(done: int, total: int | None = None, message: str | None = None) -> None:
    return None


@dataclass
class ImportContext:
    institution: Any
    actor: Any
    batch: ImportBatch | None = None
    progress: Callable[..., None] = _no_progress


@dataclass(frozen=True)
class ImportKind:
    name: str
    label: str
    columns: tuple[Column, ...]
    plan: Callable[[pd.DataFrame, ImportContext], Plan]
    commit: Callable[[Plan, ImportContext], dict[str, int]]
    description: str = ""
    # Runs after a successful commit through a batch (pages, command, job), in the same
    # transaction: e.g. the alumni kind refreshes the possible-duplicates queue.
    after_commit: Callable[[ImportContext], None] | None = None

    @property
    def key(self) -> Column:
        return next(c for c in self.columns if c.key)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


_KINDS: dict[str, ImportKind] = {}


def register_kind(kind: ImportKind) -> None:
    """Make a kind of import available to the wizard, the command line and the jobs."""
    if sum(1 for c in kind.columns if c.key) != 1:
        raise ValueError(f"import kind {kind.name}: mark exactly one column key=True")
    _KINDS[kind.name] = kind


def get_kind(name: str) -> ImportKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise ImportRefused(f"There is no import of kind “{name}”.") from None


def kinds() -> list[ImportKind]:
    return sorted(_KINDS.values(), key=lambda k: k.label)


def header_key(header: str) -> str:
    """Headers compare without case, accents, spaces or punctuation: "Student No." = studentno."""
    return re.sub(r"[\W_]+", "", fold(header))


def suggest_mapping(headers: list[str], kind: ImportKind, institution_id: int) -> dict[str, str]:
    """Header -> field: the institution's remembered mapping first, then known header names."""
    remembered = db.session.scalar(
        select(ImportMapping.mapping).where(ImportMapping.institution_id == institution_id,
                                            ImportMapping.kind == kind.name)
    ) or {}
    known: dict[str, str] = {}
    for col in kind.columns:
        for alias in (col.name, col.label, *col.aliases):
            known.setdefault(header_key(alias), col.name)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = header_key(header)
        name = remembered.get(key) or known.get(key) or ""
        if name and (name in taken or kind.column(name) is None):
            name = ""
        if name:
            taken.add(name)
        out[header] = name
    return out


def check_mapping(mapping: dict[str, str], kind: ImportKind) -> dict[str, str]:
    """Drop unmapped headers; refuse a field mapped twice or a missing key column."""
    used: dict[str, str] = {}
    for header, name in mapping.items():
        if not name:
            continue
        if kind.column(name) is None:
            raise ImportRefused(f"“{name}” is not a field of this import.")
        if name in used.values():
            label = kind.column(name).label
            raise ImportRefused(f"Two columns are mapped to “{label}”; choose one.")
        used[header] = name
    if kind.key.name not in used.values():
        raise ImportRefused(
            f"The file has no {kind.key.label.lower()} column (or it is not mapped); "
            f"every row needs one to be matched. Nothing was imported."
        )
    return used


def remember_mapping(institution_id: int, kind: ImportKind, mapping: dict[str, str]) -> None:
    """Offer this mapping next time this institution imports this kind of file."""
    stored = {header_key(h): n for h, n in mapping.items() if n}
    row = db.session.scalar(select(ImportMapping).where(
        ImportMapping.institution_id == institution_id, ImportMapping.kind == kind.name))
    if row is None:
        db.session.add(ImportMapping(institution_id=institution_id, kind=kind.name,
                                     mapping=stored))
    else:
        merged = dict(row.mapping or {})
        merged.update(stored)
        row.mapping = merged
    db.session.flush()


def apply_mapping(raw: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """The frame a kind's plan gets: its field names, plus `_row`."""
    frame = raw[[*mapping.keys(), "_row"]].rename(columns=mapping)
    return frame.reset_index(drop=True)


# --- helpers for plans ------------------------------------------------------------------


def errors_for(mask: pd.Series, frame: pd.DataFrame, field_name: str, message: str | pd.Series,
               level: str = "error") -> list[RowError]:
    """Row errors for the rows where `mask` is true (message may be a per-row Series)."""
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return []
    rows = frame.loc[mask, "_row"].tolist()
    messages = (message[mask].tolist() if isinstance(message, pd.Series)
                else [message] * len(rows))
    return [RowError(int(r), field_name, m, level) for r, m in zip(rows, messages, strict=True)]


def missing_required(frame: pd.DataFrame, kind: ImportKind,
                     only: pd.Series | None = None) -> list[RowError]:
    """Rows without a value in a required column (limited to `only` rows when given)."""
    out: list[RowError] = []
    for col in kind.columns:
        if not col.required and not col.key:
            continue
        mask = frame[col.name].isna() if col.name in frame else pd.Series(True, frame.index)
        if only is not None:
            mask &= only
        out += errors_for(mask, frame, col.name, f"The {col.label.lower()} is required.")
    return out


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d %b %Y", "%d-%m-%Y", "%d.%m.%Y",
                "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%Y-%m-%d %H:%M:%S")


def parse_dates(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse dates written in any of the common formats (day before month).

    Returns (dates as datetime64, mask of values that were given but could not be read).
    """
    # Registrar files repeat dates a lot (one graduation day per cohort): trim and parse each
    # distinct value once, then give every row its value by position.
    positions, distinct = pd.factorize(series.astype("string"))
    uniques = pd.Series(distinct, dtype="string").str.strip()
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(uniques[todo], format=fmt, errors="coerce")
    values = parsed.to_numpy()
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    found = positions >= 0
    if found.any():
        out[found] = values[positions[found]]
    bad = pd.Series(found, index=series.index) & out.isna()
    return out, bad


def repeated_in_file(keys: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """Mask of rows whose key (already normalised) appears on more than one row."""
    return keys.notna() & keys.duplicated(keep=False)


# --- preview and commit -----------------------------------------------------------------


def plan_frame(raw: pd.DataFrame, mapping: dict[str, str], kind: ImportKind,
               ctx: ImportContext) -> Plan:
    """Map the columns and let the kind check every row; nothing is written."""
    mapping = check_mapping(mapping, kind)
    frame = apply_mapping(raw, mapping)
    plan = kind.plan(frame, ctx)
    plan.errors.sort(key=lambda e: (e.row, e.level, e.field))
    return plan


def rejected_frame(raw: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The rejected rows as they were in the file, with an `error` column to fix them by."""
    messages: dict[int, list[str]] = {}
    for e in plan.errors:
        if e.level == "error":
            messages.setdefault(e.row, []).append(f"{e.field}: {e.message}")
    rows = raw[raw["_row"].isin(list(messages))]
    out = rows.drop(columns=["_row"]).copy()
    out["row"] = rows["_row"].to_numpy()
    out["error"] = [" | ".join(messages[r]) for r in rows["_row"]]
    return out


def write_rejected(raw: pd.DataFrame, plan: Plan, path: str) -> str | None:
    """Write the rejected rows CSV (UTF-8 with BOM, so spreadsheets read any script)."""
    if not plan.reject:
        return None
    rejected_frame(raw, plan).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def commit_plan(plan: Plan, kind: ImportKind, ctx: ImportContext) -> dict[str, int]:
    """Write the plan; refuse if the written counts differ from the preview."""
    written = kind.commit(plan, ctx)
    expected = {"create": plan.create, "update": plan.update}
    got = {k: int(written.get(k, 0)) for k in expected}
    if got != expected:
        from app.core.errors import Conflict

        raise Conflict(
            f"The import would write {got}, not what the preview showed ({expected}); "
            "nothing was saved. Preview the file again."
        )
    return {**plan.counts, **{k: int(v) for k, v in written.items()}}


def describe_result(plan: Plan) -> str:
    if plan.changes_nothing:
        return "Nothing to change: every accepted row already matches the records."
    return (f"Created {plan.create:,}, updated {plan.update:,}, left {plan.unchanged:,} "
            f"unchanged, rejected {plan.reject:,}.")


def count_lines(plan: Plan) -> list[str]:
    """The preview counts, each with its word (the pages and the command show the same)."""
    return [f"{plan.counts[key]:>8,} {word}" for key, word in COUNT_WORDS]


# The batch steps live in app.imports.batches; they stay importable from here too (they are
# part of the interface other kinds use), imported last because they build on this module.
from app.imports.batches import (  # noqa: E402, F401
    commit_batch,
    finish_batch,
    load_plan,
    load_raw,
    preview_batch,
    record_plan,
    rejected_path,
    start_batch,
    stored_file_path,
)
