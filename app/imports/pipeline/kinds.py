"""What a kind of import is: its columns, its plan and commit, and the remembered mappings."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from flask_babel import gettext, ngettext
from sqlalchemy import select

from app.alumni.text import fold
from app.core.i18n import N_
from app.extensions import db
from app.imports.models import ImportBatch, ImportMapping
from app.imports.reading import ImportRefused, label

# The preview's counts, each with its word (translated where a page shows it; the command
# says it in English), and the words of a committed import's counts.
COUNT_WORDS = (
    ("create", N_("to create")),
    ("update", N_("to update")),
    ("unchanged", N_("unchanged")),
    ("reject", N_("rejected")),
)
DONE_WORDS = {"create": N_("created"), "update": N_("updated"), "unchanged": N_("unchanged"),
              "reject": N_("rejected")}
# A batch's status, translated where shown.
BATCH_STATUSES = {"uploaded": N_("Uploaded"), "previewed": N_("Previewed"),
                  "running": N_("Running"), "committed": N_("Committed"),
                  "failed": N_("Failed")}


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
    # A warning about an optional field that could not be read: the row is kept, that field
    # is left out (empty for a new record, unchanged for a known one).
    dropped: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message,
                "level": self.level, "dropped": self.dropped}


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
    # What the preview page lists of the updates (a kind may leave it empty): dicts with the
    # file's row, the record's key, the field, and the value before and after, as text.
    changes: list[dict[str, Any]] = field(default_factory=list)
    # Known records whose key fields (those a kind names in `key_change_fields`: for alumni the
    # cohort, programme and graduation date) the file would change from a value the register
    # holds; the officer accepts them explicitly before the commit writes them.
    key_changes: int = 0

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors if e.level == "error"})

    @property
    def reject(self) -> int:
        return len(self.rejected_rows)

    @property
    def dropped_rows(self) -> list[int]:
        """Rows kept with one or more optional fields left out."""
        rejected = set(self.rejected_rows)
        return sorted({e.row for e in self.errors
                       if getattr(e, "dropped", False) and e.row not in rejected})

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


@dataclass(frozen=True)
class KindOption:
    """A setting a kind of import asks for besides the file (e.g. the tracer survey's reference
    point): shown on the mapping page, a `--name` option of `flask import KIND`, kept on the
    batch and handed to the plan as `ctx.options[name]` (text, or None when not given)."""

    name: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); empty: free text
    required: bool = False
    help: str = ""
    max_length: int = 200

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def clean_options(kind: ImportKind, given: dict[str, Any] | None) -> dict[str, str | None]:
    """The kind's settings from a form or the command line, checked: {name: text or None}."""
    from app.core.errors import ValidationFailed

    given = given or {}
    out: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for option in kind.options:
        raw = given.get(option.name)
        value = str(raw).strip() if raw is not None else ""
        if not value:
            out[option.name] = None
            if option.required:  # shown at once on the mapping page, in its language
                setting = gettext(option.label).lower()
                errors[option.name] = (gettext("Choose the %(setting)s.", setting=setting)
                                       if option.choices else
                                       gettext("Fill in the %(setting)s.", setting=setting))
            continue
        if option.choices and value not in {v for v, _ in option.choices}:
            words = ", ".join(gettext(word) for _, word in option.choices)
            errors[option.name] = gettext("Choose the %(setting)s: %(choices)s.",
                                          setting=gettext(option.label).lower(), choices=words)
        elif len(value) > option.max_length:
            errors[option.name] = ngettext("Use at most %(num)d character.",
                                           "Use at most %(num)d characters.", option.max_length)
        out[option.name] = value
    if errors:
        raise ValidationFailed(errors)
    return out


def _no_progress(done: int, total: int | None = None, message: str | None = None) -> None:
    return None


@dataclass
class ImportContext:
    institution: Any
    actor: Any
    batch: ImportBatch | None = None
    progress: Callable[..., None] = _no_progress
    options: dict[str, Any] = field(default_factory=dict)  # the kind's settings, checked


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
    after_commit_message: str = "Finishing"  # what the progress bar says while it runs
    # A kind that adds or renumbers alumni: after its commit the pipeline calls the "alumni
    # records written" hook (app.alumni.written), so other features catch up.
    writes_alumni: bool = False
    options: tuple[KindOption, ...] = ()  # settings asked for besides the file
    # The tables a commit fills: after a big one (IMPORT_ANALYZE_ROWS rows or more) the
    # pipeline refreshes their planner statistics on PostgreSQL (app.core.db).
    tables: tuple[str, ...] = ()

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
        raise ImportRefused(N_("There is no import of kind “%(kind)s”."), kind=name) from None


def kinds() -> list[ImportKind]:
    return sorted(_KINDS.values(), key=lambda k: k.label)


def header_key(header: str) -> str:
    """Headers compare without case, accents, spaces or punctuation: "Student No." = studentno."""
    return re.sub(r"[\W_]+", "", fold(header))


def suggest_mapping(headers: list[str], kind: ImportKind, institution_id: int) -> dict[str, str]:
    """Header -> field: the institution's remembered mapping first (a column last confirmed
    as "ignore" stays ignored), then known header names."""
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
        name = remembered[key] if key in remembered else known.get(key, "")
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
            raise ImportRefused(N_("“%(field)s” is not a field of this import."), field=name)
        if name in used.values():
            raise ImportRefused(N_("Two columns are mapped to “%(column)s”; choose one."),
                                column=label(kind.column(name).label))
        used[header] = name
    if kind.key.name not in used.values():
        raise ImportRefused(N_(
            "The file has no %(column)s column (or it is not mapped); every row needs one to "
            "be matched. Nothing was imported."), column=label(kind.key.label, lower=True))
    return used


def remember_mapping(institution_id: int, kind: ImportKind, mapping: dict[str, str],
                     headers: list[str] | None = None) -> None:
    """Offer the mapping as last confirmed next time this institution imports this kind of
    file: every column of this file as confirmed, an ignored one as ignored ("");
    columns of earlier files are kept unless their field is now read from another column."""
    confirmed = {header_key(h): "" for h in headers or ()}
    confirmed.update({header_key(h): n or "" for h, n in mapping.items()})
    used = {n for n in confirmed.values() if n}
    row = db.session.scalar(select(ImportMapping).where(
        ImportMapping.institution_id == institution_id, ImportMapping.kind == kind.name))
    if row is None:
        db.session.add(ImportMapping(institution_id=institution_id, kind=kind.name,
                                     mapping=confirmed))
    else:
        kept = {k: n for k, n in (row.mapping or {}).items()
                if k not in confirmed and n not in used}
        row.mapping = {**kept, **confirmed}
    db.session.flush()


def apply_mapping(raw: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """The frame a kind's plan gets: its field names, plus `_row`."""
    frame = raw[[*mapping.keys(), "_row"]].rename(columns=mapping)
    return frame.reset_index(drop=True)
