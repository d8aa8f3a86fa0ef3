"""Import batches: the wizard's state between the steps, and the import log."""

from __future__ import annotations

import hashlib
import json
import os
import pickle

import pandas as pd
from flask_babel import ngettext

from app.alumni.written import alumni_written
from app.core.audit import record_audit
from app.core.db import refresh_statistics, utcnow
from app.core.i18n import N_
from app.extensions import db
from app.imports.models import ImportBatch
from app.imports.pipeline.kinds import (
    ImportContext,
    ImportKind,
    Plan,
    check_mapping,
    get_kind,
    remember_mapping,
    suggest_mapping,
)
from app.imports.pipeline.steps import (
    commit_plan,
    describe_result,
    few_collections,
    plan_frame,
    write_rejected,
)
from app.imports.reading import ImportRefused, import_folder, read_table, setting


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
    # A value of each column, for the mapping page (the first row may leave a column blank).
    examples = {h: str(raw[h].dropna().iloc[0])[:60] if raw[h].notna().any() else None
                for h in batch.headers}
    with open(_batch_path(batch, "-examples.json"), "w", encoding="utf-8") as fh:
        json.dump(examples, fh, ensure_ascii=False)
    return batch


def load_examples(batch: ImportBatch) -> dict[str, str | None]:
    """A value of each column of the uploaded file (none for files uploaded before)."""
    path = _batch_path(batch, "-examples.json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


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
    batch.dropped = len(plan.dropped_rows)
    batch.key_changes = plan.key_changes
    batch.error_count = len(plan.errors)
    batch.errors = [e.as_dict() for e in plan.errors[:cap]]


def preview_batch(batch: ImportBatch, mapping: dict[str, str], ctx: ImportContext,
                  raw: pd.DataFrame | None = None) -> Plan:
    """Check the whole file with this mapping; keep the plan for the commit."""
    kind = get_kind(batch.kind)
    raw = load_raw(batch) if raw is None else raw
    plan = plan_frame(raw, mapping, kind, ctx)
    batch.mapping = check_mapping(mapping, kind)
    remember_mapping(batch.institution_id, kind, batch.mapping, batch.headers)
    record_plan(batch, plan)
    write_rejected(raw, plan, rejected_path(batch))
    with open(_batch_path(batch, "-plan.pickle"), "wb") as fh, few_collections():
        pickle.dump(plan, fh, protocol=pickle.HIGHEST_PROTOCOL)
    with open(_batch_path(batch, "-changes.json"), "w", encoding="utf-8") as fh:
        json.dump(plan.changes, fh, ensure_ascii=False)
    batch.status = "previewed"
    batch.previewed_at = utcnow()
    db.session.flush()
    return plan


def load_changes(batch: ImportBatch) -> list[dict]:
    """What the preview listed of the changes to known records (kept after the commit)."""
    path = _batch_path(batch, "-changes.json")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def refuse_if_files_removed(batch: ImportBatch) -> None:
    if batch.files_removed_at is not None:
        raise ImportRefused(N_(
            "The uploaded file and its preview were deleted after the keeping period "
            "(%(date)s); upload the file again to import it."),
            date=f"{batch.files_removed_at:%Y-%m-%d}")


def load_plan(batch: ImportBatch) -> Plan:
    path = _batch_path(batch, "-plan.pickle")
    refuse_if_files_removed(batch)
    if batch.status not in ("previewed", "running") or not os.path.exists(path):
        raise ImportRefused(N_("Preview this file before importing it."))
    # The plan file is written by this application only, next to the uploaded file. Its
    # many small objects are all kept: the cycle collector's passes over them are wasted.
    with open(path, "rb") as fh, few_collections():
        return pickle.load(fh)  # noqa: S301


KEY_CHANGES_REFUSED = (  # singular, plural (ImportRefused says it with ngettext)
    "The file changes the cohort, programme or graduation date of %(num)s known record. "
    "Check that change in the preview and accept it, or correct the file (or map the "
    "column to “ignore”) and upload it again. Nothing was imported.",
    "The file changes the cohort, programme or graduation date of %(num)s known records. "
    "Check those changes in the preview and accept them, or correct the file (or map the "
    "column to “ignore”) and upload it again. Nothing was imported.",
)


def _key_changes_message() -> None:  # pragma: no cover - never called: read by pybabel extract
    """KEY_CHANGES_REFUSED for the catalogues (N_ marks one text, not a plural pair)."""
    ngettext("The file changes the cohort, programme or graduation date of %(num)s known "
             "record. Check that change in the preview and accept it, or correct the file (or "
             "map the column to “ignore”) and upload it again. Nothing was imported.",
             "The file changes the cohort, programme or graduation date of %(num)s known "
             "records. Check those changes in the preview and accept them, or correct the file "
             "(or map the column to “ignore”) and upload it again. Nothing was imported.", 1)


def refuse_unaccepted_key_changes(plan: Plan, accept_key_changes: bool) -> None:
    """A change to a key field the register holds is written only when accepted."""
    if plan.key_changes and not accept_key_changes:
        singular, plural = KEY_CHANGES_REFUSED
        raise ImportRefused(singular, plural=plural, num=plan.key_changes)


def commit_batch(batch: ImportBatch, ctx: ImportContext, *,
                 accept_key_changes: bool = False) -> dict[str, int]:
    """Write what the preview of this batch said, in the caller's transaction."""
    kind = get_kind(batch.kind)
    plan = load_plan(batch)
    refuse_unaccepted_key_changes(plan, accept_key_changes)
    ctx.batch = batch
    counts = commit_plan(plan, kind, ctx)
    finish_batch(batch, plan, ctx)
    written = plan.create + plan.update
    if written >= setting("IMPORT_ANALYZE_ROWS"):
        refresh_statistics(db.session, kind.tables)
    if kind.writes_alumni and not plan.changes_nothing:
        alumni_written(batch.institution_id, None, actor=ctx.actor)
    if kind.after_commit is not None and not plan.changes_nothing:
        ctx.progress(written, written, kind.after_commit_message)
        kind.after_commit(ctx)
    ctx.progress(written, written, "Imported")
    return counts


def finish_batch(batch: ImportBatch, plan: Plan, ctx: ImportContext) -> None:
    batch.status = "committed"
    batch.committed_at = utcnow()
    batch.message = describe_result(plan)
    db.session.flush()
    after = {"file": batch.file_name, "checksum": batch.checksum, **plan.counts}
    if plan.key_changes:
        after["key_changes_accepted"] = plan.key_changes
    record_audit(ctx.actor, f"import.{batch.kind}", batch, after=after)
