"""Uploaded import files are deleted after the keeping period (issue 10, item 17)."""

from __future__ import annotations

import io
import os
from datetime import timedelta

from sqlalchemy import select

from app.core.db import utcnow
from app.extensions import db
from app.imports.cleanup import clean_import_files
from app.imports.models import ImportBatch


def _previewed(world, client, name="list.csv") -> ImportBatch:
    client.post("/imports/new", data={
        "kind": "alumni", "institution": str(world.home.id),
        "file": (io.BytesIO(b"Student number,Given name,Email\nN1,Ann,bad@\nN2,Bao,\n"),
                 name)}, content_type="multipart/form-data")
    batch = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
    client.post(f"/imports/{batch.id}/mapping", data={
        "map-0": "student_number", "map-1": "given_name", "map-2": "email"})
    db.session.expire_all()
    return db.session.get(ImportBatch, batch.id)


def _files(folder, batch_id: int) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(f"batch-{batch_id}-"))


def test_files_older_than_the_keeping_period_are_deleted(app, world, as_role, import_folder,
                                                         runner):
    client = as_role("officer")
    old = _previewed(world, client)
    new = _previewed(world, client)
    assert {f"batch-{old.id}-source.csv", f"batch-{old.id}-plan.pickle",
            f"batch-{old.id}-rejected.csv"} <= set(_files(import_folder, old.id))
    old.created_at = utcnow() - timedelta(days=31)
    db.session.commit()
    orphan = import_folder / "batch-9999-source.csv"  # an upload whose batch was rolled back
    orphan.write_text("Student number\nN9\n")
    os.utime(orphan, (0, 0))

    result = runner.invoke(args=["imports", "clean-files"])
    assert result.exit_code == 0, result.output
    assert "of 1 import older than 30 days" in result.output
    assert _files(import_folder, old.id) == [] and not orphan.exists()
    assert _files(import_folder, new.id)  # younger than the period: kept
    db.session.expire_all()
    old = db.session.get(ImportBatch, old.id)
    assert old.files_removed_at is not None and old.rows_read == 2  # the log stays

    page = client.get(f"/imports/{old.id}").data.decode()
    assert "were deleted on" in page and "Change the column mapping" not in page
    assert client.get(f"/imports/{old.id}/rejected.csv").status_code == 302
    refused = client.post(f"/imports/{old.id}/commit", follow_redirects=True).data.decode()
    assert "upload the file again" in refused
    refused = client.post(f"/imports/{old.id}/mapping", data={
        "map-0": "student_number", "map-1": "given_name"}).data.decode()
    assert "upload the file again" in refused


def test_the_keeping_period_is_a_setting(app, world, as_role, import_folder):
    batch = _previewed(world, as_role("officer"))
    app.config["IMPORT_FILES_KEEP_DAYS"] = 0
    try:
        done = clean_import_files(now=utcnow() + timedelta(seconds=1))
    finally:
        app.config.pop("IMPORT_FILES_KEEP_DAYS")
    assert done.batches == 1 and done.files >= 4
    assert _files(import_folder, batch.id) == []
