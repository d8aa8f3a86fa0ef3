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

import csv
import hashlib
import io
import os
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from flask import current_app
from sqlalchemy import select

from app.alumni.text import fold
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import DomainError
from app.extensions import db
from app.imports.models import ImportBatch, ImportMapping

DEFAULTS = {
    "IMPORT_MAX_BYTES": 40 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 200_000,
    "IMPORT_JOB_THRESHOLD": 2_000,  # rows; a larger commit from the pages runs as a job
    "IMPORT_MAX_STORED_ERRORS": 5_000,
}
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
COUNT_WORDS = (
    ("create", "to create"),
    ("update", "to update"),
    ("unchanged", "unchanged"),
    ("reject", "rejected"),
)


class ImportRefused(DomainError):
    """The file cannot be imported at all (limits, encoding, no key column); nothing written."""


def setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def import_folder() -> str:
    folder = current_app.config.get("IMPORT_FOLDER") or os.path.join(
        current_app.instance_path, "imports"
    )
    os.makedirs(folder, exist_ok=True)
    return folder


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


# --- reading files ----------------------------------------------------------------------

_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def detect_encoding(data: bytes) -> str:
    """The text encoding of a CSV file, or ImportRefused with what to do about it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Single-byte encodings: Thai (TIS-620 / Windows-874) puts whole words in the high half,
    # so runs of high bytes are long; Windows-1252 text has accented letters among ASCII ones.
    runs = [len(m.group()) for m in _HIGH_RUN.finditer(data)]
    thai_like = bool(runs) and sum(runs) / len(runs) >= 2.5
    order = ("cp874", "cp1252") if thai_like else ("cp1252", "cp874")
    for encoding in order:
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        "The file's character encoding could not be recognised (it is not UTF-8, Windows-1252 "
        "or TIS-620). Save it from your spreadsheet as “CSV UTF-8” and upload it again."
    )


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_table(data: bytes, file_name: str) -> tuple[pd.DataFrame, str | None]:
    """Read a CSV or XLSX file into text columns; blanks are missing values.

    The frame keeps the file's own headers; `_row` is the spreadsheet row number.
    """
    if len(data) > setting("IMPORT_MAX_BYTES"):
        limit = setting("IMPORT_MAX_BYTES") / (1024 * 1024)
        raise ImportRefused(f"The file is larger than the {limit:g} MB limit; split it.")
    if not data.strip():
        raise ImportRefused("The file is empty.")
    suffix = os.path.splitext(file_name.lower())[1]
    encoding: str | None = None
    if suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets one message
            raise ImportRefused(
                "The workbook could not be read; save it as .xlsx or as CSV and try again."
            ) from exc
    elif suffix in TEXT_SUFFIXES or suffix == "":
        encoding = detect_encoding(data)
        text = data.decode(encoding)
        if text.startswith("\ufeff"):
            text = text[1:]
        first = text.split("\n", 1)[0]
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, sep=_delimiter(first),
                                keep_default_na=False, skip_blank_lines=False)
        except (pd.errors.ParserError, csv.Error) as exc:
            raise ImportRefused(f"The CSV file could not be read: {exc}") from exc
        except pd.errors.EmptyDataError as exc:
            raise ImportRefused("The file is empty.") from exc
    else:
        raise ImportRefused("Upload a CSV (.csv) or Excel (.xlsx) file.")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [not c.startswith("Unnamed:") or frame[c].notna().any()
                          for c in frame.columns]]
    for name in frame.columns:
        col = frame[name].astype("string").str.strip()
        frame[name] = col.mask(col == "")
    frame["_row"] = range(2, len(frame) + 2)
    data_columns = [c for c in frame.columns if c != "_row"]
    frame = frame[frame[data_columns].notna().any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise ImportRefused("The file is empty: it has no rows below the header.")
    if len(frame) > setting("IMPORT_MAX_ROWS"):
        raise ImportRefused(
            f"The file has {len(frame):,} rows; the limit is {setting('IMPORT_MAX_ROWS'):,}. "
            "Split it into smaller files."
        )
    return frame, encoding


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
    text = series.astype("string").str.strip()
    # Registrar files repeat dates a lot (one graduation day per cohort): parse each once.
    uniques = pd.Series(text.dropna().unique(), dtype="string")
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(uniques[todo], format=fmt, errors="coerce")
    positions = pd.Index(uniques.to_numpy()).get_indexer(text.fillna("").to_numpy())
    values = parsed.to_numpy()
    out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    found = positions >= 0
    if found.any():
        out[found] = values[positions[found]]
    bad = text.notna() & out.isna()
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


# --- batches: the wizard's state and the import log --------------------------------------


def _batch_path(batch: ImportBatch, suffix: str) -> str:
    return os.path.join(import_folder(), f"batch-{batch.id}{suffix}")


def stored_file_path(batch: ImportBatch) -> str:
    return os.path.join(import_folder(), batch.stored_name or "")


def rejected_path(batch: ImportBatch) -> str:
    return _batch_path(batch, "-rejected.csv")


def start_batch(data: bytes, file_name: str, kind: ImportKind, ctx: ImportContext,
                read: tuple[pd.DataFrame, str | None] | None = None) -> ImportBatch:
    """Read an uploaded file (refusing it if it breaks a limit) and keep it for the wizard."""
    raw, encoding = read or read_table(data, file_name)
    batch = ImportBatch(
        institution_id=ctx.institution.id,
        kind=kind.name,
        file_name=os.path.basename(file_name)[:255] or "upload",
        checksum=hashlib.sha256(data).hexdigest(),
        file_size=len(data),
        encoding=encoding,
        headers=[c for c in raw.columns if c != "_row"],
        rows_read=len(raw),
        created_by_id=getattr(ctx.actor, "id", None),
        status="uploaded",
    )
    db.session.add(batch)
    db.session.flush()
    suffix = os.path.splitext(file_name.lower())[1] or ".csv"
    batch.stored_name = f"batch-{batch.id}-source{suffix}"
    with open(stored_file_path(batch), "wb") as fh:
        fh.write(data)
    batch.mapping = suggest_mapping(batch.headers, kind, ctx.institution.id)
    return batch


def load_raw(batch: ImportBatch) -> pd.DataFrame:
    with open(stored_file_path(batch), "rb") as fh:
        data = fh.read()
    raw, _ = read_table(data, batch.stored_name or batch.file_name)
    return raw


def record_plan(batch: ImportBatch, plan: Plan) -> None:
    """Put the preview's counts and row errors on the batch (the import log shows them)."""
    cap = setting("IMPORT_MAX_STORED_ERRORS")
    batch.rows_read = plan.rows_read
    batch.created, batch.updated, batch.unchanged = plan.create, plan.update, plan.unchanged
    batch.rejected = plan.reject
    batch.warnings = plan.warning_count
    batch.error_count = len(plan.errors)
    batch.errors = [e.as_dict() for e in plan.errors[:cap]]


def preview_batch(batch: ImportBatch, mapping: dict[str, str], ctx: ImportContext,
                  raw: pd.DataFrame | None = None) -> Plan:
    """Check the whole file with this mapping; keep the plan for the commit."""
    kind = get_kind(batch.kind)
    raw = load_raw(batch) if raw is None else raw
    plan = plan_frame(raw, mapping, kind, ctx)
    batch.mapping = check_mapping(mapping, kind)
    remember_mapping(batch.institution_id, kind, batch.mapping)
    record_plan(batch, plan)
    write_rejected(raw, plan, rejected_path(batch))
    with open(_batch_path(batch, "-plan.pickle"), "wb") as fh:
        pickle.dump(plan, fh, protocol=pickle.HIGHEST_PROTOCOL)
    batch.status = "previewed"
    batch.previewed_at = utcnow()
    db.session.flush()
    return plan


def load_plan(batch: ImportBatch) -> Plan:
    path = _batch_path(batch, "-plan.pickle")
    if batch.status not in ("previewed", "running") or not os.path.exists(path):
        raise ImportRefused("Preview this file before importing it.")
    # The plan file is written by this application only, next to the uploaded file.
    with open(path, "rb") as fh:
        return pickle.load(fh)  # noqa: S301


def commit_batch(batch: ImportBatch, ctx: ImportContext) -> dict[str, int]:
    """Write what the preview of this batch said, in the caller's transaction."""
    kind = get_kind(batch.kind)
    plan = load_plan(batch)
    ctx.batch = batch
    counts = commit_plan(plan, kind, ctx)
    finish_batch(batch, plan, ctx)
    if kind.after_commit is not None and not plan.changes_nothing:
        ctx.progress(plan.create + plan.update, plan.create + plan.update,
                     "Looking for possible duplicates")
        kind.after_commit(ctx)
    return counts


def finish_batch(batch: ImportBatch, plan: Plan, ctx: ImportContext) -> None:
    batch.status = "committed"
    batch.committed_at = utcnow()
    batch.message = describe_result(plan)
    db.session.flush()
    record_audit(ctx.actor, f"import.{batch.kind}", batch,
                 after={"file": batch.file_name, "checksum": batch.checksum, **plan.counts})


def describe_result(plan: Plan) -> str:
    if plan.changes_nothing:
        return "Nothing to change: every accepted row already matches the records."
    return (f"Created {plan.create:,}, updated {plan.update:,}, left {plan.unchanged:,} "
            f"unchanged, rejected {plan.reject:,}.")


def count_lines(plan: Plan) -> list[str]:
    """The preview counts, each with its word (the pages and the command show the same)."""
    return [f"{plan.counts[key]:>8,} {word}" for key, word in COUNT_WORDS]
