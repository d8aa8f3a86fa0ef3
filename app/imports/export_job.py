"""The register as a workbook, built by a background job: a progress bar while it is written,
then a download link. The file is written to `instance/exports/` with openpyxl's write-only
mode (rows pass through a temporary file), so memory does not grow with the register; the
workbook is for its institution's staff (an administrator's, which may hold every
institution, for administrators)."""

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Any

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import func, literal_column, select

from app.alumni.register import RegisterFilters, register_query
from app.core.jobs import Job, JobContext, enqueue, may_read_job
from app.core.permissions import sees_contacts
from app.extensions import db

KIND = "register_workbook"
HANDLER = "app.imports.export_job:build_register_workbook"


def exports_dir() -> str:
    path = os.path.join(current_app.instance_path, "exports")
    os.makedirs(path, exist_ok=True)
    return path


def start_register_workbook(filters: RegisterFilters, *, actor: Any) -> Job:
    """Queue the workbook of the register with these filters (sent once the caller commits)."""
    return enqueue(KIND, HANDLER, actor=actor, institution_id=actor.institution_id,
                   filters=asdict(filters), user_id=actor.id)


def build_register_workbook(ctx: JobContext, *, filters: dict, user_id: int) -> dict:
    """The job: count the rows, write them with progress, keep the file for its download."""
    from app.auth.models import User
    from app.imports.exports import export_xlsx

    actor = db.session.get(User, user_id)
    chosen = RegisterFilters(**filters)
    total = db.session.scalar(select(func.count()).select_from(
        register_query(chosen, actor=actor).with_only_columns(literal_column("1"))
        .subquery())) or 0
    ctx.progress(0, total, "Writing the workbook")
    data = export_xlsx(chosen, actor=actor, progress=lambda n: ctx.progress(n, total))
    name = f"register-{ctx.job_id}.xlsx"
    with open(os.path.join(exports_dir(), name), "wb") as out:
        out.write(data)
    ctx.progress(total, total, f"{total:,} alumni written")
    return {"file": name, "rows": total, "contact_details": sees_contacts(actor)}


def register_workbook_job_or_404(job_id: int) -> Job:
    """A workbook job the signed-in user may read: theirs, or their institution's (what it
    holds is that institution's register, which they see anyway); an administrator's
    export, which may hold every institution, only administrators."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != KIND or not may_read_job(job, current_user):
        abort(404)
    return job


def may_download(job: Job, user: Any) -> bool:
    """A workbook with contact details only for those who may see them (a workbook whose
    result does not say is taken as holding them)."""
    return sees_contacts(user) or not (job.result or {}).get("contact_details", True)


def register_workbook_path(job: Job) -> str | None:
    """The finished workbook's file, if it is still kept."""
    if job.status != "done":
        return None
    name = (job.result or {}).get("file")
    if not name or os.path.basename(name) != name:
        return None
    path = os.path.join(exports_dir(), name)
    return path if os.path.exists(path) else None
