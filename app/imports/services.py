"""Import services: upload, preview, commit (now or as a background job), the import log.

Every kind registered with `app.imports.pipeline.register_kind` goes through these; the
wizard pages, the command line and the jobs all call them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, select

from app.alumni.models import Institution
from app.core.errors import NotFound
from app.core.i18n import N_
from app.core.job_recovery import register_dead_job_handler, register_housekeeping
from app.core.jobs import Job, enqueue
from app.core.permissions import require_in_scope, require_own_institution, scope
from app.extensions import db
from app.imports import alumni_kind  # noqa: F401 - registers the "alumni" kind
from app.imports.batches import (
    commit_batch,
    load_plan,
    preview_batch,
    refuse_if_files_removed,
    refuse_unaccepted_key_changes,
    start_batch,
)
from app.imports.cleanup import clean_import_files
from app.imports.merge import register_merge_handler  # noqa: F401 - other features' hooks.py
from app.imports.models import ImportBatch
from app.imports.pipeline import (
    ImportContext,
    ImportRefused,
    Plan,
    check_mapping,
    clean_options,
    get_kind,
    plan_frame,
    read_table,
    setting,
    suggest_mapping,
    write_rejected,
)

JOB_HANDLER = "app.imports.services:run_import_job"
PREVIEW_HANDLER = "app.imports.services:run_preview_job"


def require_importer(actor: Any, institution: Institution) -> None:
    """Officers import into their own institution, administrators into any; None is the CLI."""
    if actor is None:
        return
    require_own_institution(actor, institution.id,
                            gettext("You can import into your own institution only."))


def upload_import(data: bytes, file_name: str, kind_name: str, *, institution: Institution,
                  actor: Any) -> ImportBatch:
    """Take an uploaded file (refused if it breaks a limit) and suggest a column mapping."""
    require_importer(actor, institution)
    kind = get_kind(kind_name)
    return start_batch(data, file_name, kind, ImportContext(institution, actor))


PREVIEWABLE = ("uploaded", "previewed", "failed")  # a failed import is previewed again


def preview_import(batch: ImportBatch, mapping: dict[str, str], *, actor: Any,
                   progress=None) -> Plan:
    """Check every row of an uploaded file with this mapping; write nothing to the register."""
    _check_batch(batch, actor)
    if batch.status not in PREVIEWABLE:
        raise ImportRefused(N_("This file has already been imported."))
    refuse_if_files_removed(batch)
    ctx = ImportContext(batch.institution, actor, batch, options=dict(batch.options or {}))
    if progress is not None:
        ctx.progress = progress
    return preview_batch(batch, mapping, ctx)


def start_preview(batch: ImportBatch, mapping: dict[str, str], *, actor: Any,
                  options: dict[str, Any] | None = None) -> Job | Plan:
    """Preview now, or for a long file in a background job with a progress bar. `options`
    are the kind's settings (ValidationFailed names a wrong one); the batch keeps them."""
    _check_batch(batch, actor)
    _refuse_if_busy(batch)
    if batch.status not in PREVIEWABLE:
        raise ImportRefused(N_("This file has already been imported."))
    refuse_if_files_removed(batch)
    kind = get_kind(batch.kind)
    if kind.options:
        batch.options = clean_options(kind, options)
    mapping = check_mapping(mapping, kind)
    if not needs_job(batch):
        return preview_import(batch, mapping, actor=actor)
    job = enqueue("import_preview", PREVIEW_HANDLER, actor=actor,
                  institution_id=batch.institution_id, total=batch.rows_read,
                  batch_id=batch.id, actor_id=getattr(actor, "id", None), mapping=mapping)
    batch.job_id = job.id
    db.session.flush()
    return job


def run_preview_job(ctx, batch_id: int, actor_id: int | None, mapping: dict[str, str]
                    ) -> dict[str, Any]:
    """Background job: check a long file and keep its plan (writes nothing to the register)."""
    batch, actor = _job_batch(batch_id, actor_id)
    plan = preview_import(batch, mapping, actor=actor, progress=ctx.progress)
    return {"batch_id": batch.id, **plan.counts}


def _job_batch(batch_id: int, actor_id: int | None) -> tuple[ImportBatch, Any]:
    from app.auth.models import User

    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(f"import batch {batch_id} is gone")
    return batch, (db.session.get(User, actor_id) if actor_id else None)


def _refuse_if_busy(batch: ImportBatch) -> None:
    job = db.session.get(Job, batch.job_id) if batch.job_id else None
    if job is not None and job.status in ("queued", "running"):
        raise ImportRefused(N_("This file is being worked on in the background; wait for it."))


def needs_job(batch: ImportBatch) -> bool:
    return batch.rows_read > setting("IMPORT_JOB_THRESHOLD")


def commit_import(batch: ImportBatch, *, actor: Any, progress=None,
                  accept_key_changes: bool = False) -> dict[str, int]:
    """Write what the preview said, in the caller's transaction (it commits once)."""
    _check_batch(batch, actor)
    if batch.status == "committed":
        raise ImportRefused(N_("This file has already been imported."))
    ctx = ImportContext(batch.institution, actor, batch, options=dict(batch.options or {}))
    if progress is not None:
        ctx.progress = progress
    return commit_batch(batch, ctx, accept_key_changes=accept_key_changes)


def start_import(batch: ImportBatch, *, actor: Any,
                 accept_key_changes: bool = False) -> Job | dict[str, int]:
    """Commit a previewed batch now, or hand a long one to a background job. Changes to key
    fields the register holds are written only when `accept_key_changes` says so."""
    _check_batch(batch, actor)
    _refuse_if_busy(batch)
    refuse_unaccepted_key_changes(load_plan(batch), accept_key_changes)  # previewed only
    if not needs_job(batch):
        return commit_import(batch, actor=actor, accept_key_changes=accept_key_changes)
    job = enqueue("import", JOB_HANDLER, actor=actor, institution_id=batch.institution_id,
                  total=batch.created + batch.updated, batch_id=batch.id,
                  actor_id=getattr(actor, "id", None), accept_key_changes=accept_key_changes)
    batch.status = "running"
    batch.job_id = job.id
    db.session.flush()
    return job


def run_import_job(ctx, batch_id: int, actor_id: int | None,
                   accept_key_changes: bool = False) -> dict[str, Any]:
    """Background job: commit a previewed batch, reporting progress (the runner commits)."""
    batch, actor = _job_batch(batch_id, actor_id)
    counts = commit_import(batch, actor=actor, progress=ctx.progress,
                           accept_key_changes=accept_key_changes)
    return {"batch_id": batch.id, **counts}


@dataclass
class FileImport:
    """What `import_file` did: the plan (the preview's counts), the batch when written."""

    plan: Plan
    batch: ImportBatch | None
    rejected_path: str | None
    encoding: str | None
    mapping: dict[str, str]  # every column of the file -> the field it was read as ("" none)


def import_file(path: str, kind_name: str, *, institution: Institution, actor: Any,
                dry_run: bool, rejected_path: str | None = None, progress=None,
                accept_key_changes: bool = False,
                options: dict[str, Any] | None = None) -> FileImport:
    """Preview a file and, unless a dry run, commit it (the command line's one step).

    A file that changes key fields the register holds is previewed but not committed unless
    `accept_key_changes`; the result then has no batch. `options` are the kind's settings."""
    require_importer(actor, institution)
    kind = get_kind(kind_name)
    checked = clean_options(kind, options)
    with open(path, "rb") as fh:
        data = fh.read()
    ctx = ImportContext(institution, actor, options=checked)
    if progress is not None:
        ctx.progress = progress
    if rejected_path is None:
        stem, _ = os.path.splitext(path)
        rejected_path = f"{stem}-rejected.csv"
    if dry_run:
        raw, encoding = read_table(data, path)
        headers = [c for c in raw.columns if c != "_row"]
        mapping = suggest_mapping(headers, kind, institution.id)
        plan = plan_frame(raw, mapping, kind, ctx)
        written = write_rejected(raw, plan, rejected_path)
        return FileImport(plan, None, written, encoding, mapping)
    raw, encoding = read_table(data, path)
    batch = start_batch(data, path, kind, ctx, read=(raw, encoding))
    batch.options = checked or None
    ctx.batch = batch
    mapping = dict(batch.mapping or {})
    plan = preview_batch(batch, mapping, ctx, raw=raw)
    written = write_rejected(raw, plan, rejected_path)
    if plan.key_changes and not accept_key_changes:
        return FileImport(plan, None, written, encoding, mapping)
    commit_batch(batch, ctx, accept_key_changes=accept_key_changes)
    return FileImport(plan, batch, written, encoding, mapping)


def _check_batch(batch: ImportBatch, actor: Any) -> None:
    if actor is not None:
        require_in_scope(actor, batch, message="No such import.")
    require_importer(actor, batch.institution)


def batches_for(actor: Any) -> Select:
    """The import log the actor may read, newest first."""
    return scope(select(ImportBatch), ImportBatch, actor).order_by(ImportBatch.created_at.desc(),
                                                                    ImportBatch.id.desc())


def batch_job(batch: ImportBatch) -> Job | None:
    return db.session.get(Job, batch.job_id) if batch.job_id else None


def _dead_import(job: Job) -> str:
    """An import whose worker died wrote nothing (one transaction): its batch is failed and
    can be previewed again."""
    batch = db.session.scalar(select(ImportBatch).where(ImportBatch.job_id == job.id))
    if batch is not None and batch.status == "running":
        batch.status = "failed"
        batch.message = ("The import stopped before it finished (its worker was stopped); "
                         "nothing from it was saved. Preview the file again to import it.")
    return ("Nothing from this import was saved (it is written in one transaction): preview "
            "the file again to import it.")


def _dead_preview(job: Job) -> str:
    return "A preview writes nothing to the register: preview the file again."


register_dead_job_handler("import", _dead_import)
register_dead_job_handler("import_preview", _dead_preview)
register_housekeeping(clean_import_files)
