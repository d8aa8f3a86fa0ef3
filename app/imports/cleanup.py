"""Uploaded files are kept only as long as needed.

An import keeps, in `IMPORT_FOLDER`, the uploaded file, the preview's plan, the rejected
rows, a value of each column and the changes listed on the preview page: personal data.
`clean_import_files` deletes them once a batch is older than `IMPORT_FILES_KEEP_DAYS`
(default 30), unless it is being imported right now, and notes it on the batch (the log keeps
the counts and the checksum); files that no batch owns (an upload that was rolled back) go
too. `flask imports clean-files` runs it, and so does the worker's housekeeping.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.core.db import utcnow
from app.extensions import db
from app.imports.models import ImportBatch
from app.imports.reading import import_folder

DEFAULT_KEEP_DAYS = 30
_BATCH_FILE = re.compile(r"^batch-(\d+)-")


@dataclass
class Cleaned:
    batches: int = 0
    files: int = 0
    bytes: int = 0


def keep_days() -> int:
    return int(current_app.config.get("IMPORT_FILES_KEEP_DAYS", DEFAULT_KEEP_DAYS))


def clean_import_files(days: int | None = None, *, now: datetime | None = None) -> Cleaned:
    """Delete the files of batches older than `days` (the setting by default); commits."""
    now = now or utcnow()
    cutoff = now - timedelta(days=keep_days() if days is None else days)
    folder = import_folder()
    expired = db.session.scalars(select(ImportBatch).where(
        ImportBatch.created_at < cutoff, ImportBatch.files_removed_at.is_(None),
        ImportBatch.status != "running")).all()
    expired_ids = {b.id for b in expired}
    known_ids = set(db.session.scalars(select(ImportBatch.id)))
    done = Cleaned()
    for name in os.listdir(folder):
        match = _BATCH_FILE.match(name)
        path = os.path.join(folder, name)
        if match is None or not os.path.isfile(path):
            continue
        batch_id = int(match.group(1))
        orphan = batch_id not in known_ids and _modified(path) < cutoff
        if batch_id in expired_ids or orphan:
            done.bytes += os.path.getsize(path)
            os.remove(path)
            done.files += 1
    for batch in expired:
        batch.files_removed_at = now
    done.batches = len(expired)
    db.session.commit()
    if done.files:
        current_app.logger.info("Deleted %s import files (%s batches) older than %s",
                                done.files, done.batches, cutoff.date())
    return done


def _modified(path: str) -> datetime:
    return datetime.fromtimestamp(os.path.getmtime(path), tz=UTC)
