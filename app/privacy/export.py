"""The alumnus's copy of their data, made by a background job: a zip of `data.json`
(every table at once) and one CSV per table, with a short note on what is in it. Every table
that points at the person is in it (`holdings.collect`), empty ones too, so the copy says
where nothing is held as well as what is."""

from __future__ import annotations

import io
import json
import os
import secrets
import zipfile
from typing import Any

from flask import current_app

from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.jobs import JobContext
from app.core.spreadsheet import csv_text
from app.extensions import db
from app.privacy.holdings import collect
from app.privacy.models import RightsRequest

README = """A copy of everything {institution} holds about you, made on {made}.

data.json holds every table at once; each CSV file holds one table (open it in a
spreadsheet). A table with only a header row holds nothing about you.

alumnus.csv        your record in the alumni register
user.csv           your sign-in account
consent.csv        every choice you made about how your details are used, with its date
audit_entry.csv    the log of changes to your record and of what your account did
the other files    your answers, jobs, mentoring, feedback (anonymous input included),
                   contributions, events, exchanges and requests

Password and link codes are never included.
"""


def downloads_dir() -> str:
    path = os.path.join(current_app.instance_path, "exports")
    os.makedirs(path, exist_ok=True)
    return path


def download_path(req: RightsRequest) -> str | None:
    """The finished copy's file, while it is kept."""
    name = req.file_name
    if not name or os.path.basename(name) != name:
        return None
    path = os.path.join(downloads_dir(), name)
    return path if os.path.exists(path) else None


def build_zip(tables: dict[str, list[dict[str, Any]]], columns: dict[str, list[str]],
              note: str) -> bytes:
    """The zip: data.json, one CSV per table, README.txt."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", note)
        archive.writestr("data.json", json.dumps(tables, ensure_ascii=False, indent=1,
                                                 default=str))
        for name, rows in sorted(tables.items()):
            header = columns[name]
            archive.writestr(f"{name}.csv", csv_text(
                header, [[row.get(c) for c in header] for row in rows]))
    return out.getvalue()


def build_data_download(ctx: JobContext, *, request_id: int) -> dict:
    """The job: gather the person's rows, write the zip, close the request."""
    req = db.session.get(RightsRequest, request_id)
    alumnus = req.alumnus
    held = collect(alumnus, progress=lambda n, total, table: ctx.progress(
        n, total, f"Gathering {table.replace('_', ' ')}"))
    columns = {name: held.columns(name) for name in held.tables}
    note = README.format(institution=alumnus.institution.name,
                         made=utcnow().strftime("%Y-%m-%d %H:%M UTC"))
    data = build_zip(held.tables, columns, note)
    name = f"my-data-{req.id}-{secrets.token_hex(8)}.zip"
    with open(os.path.join(downloads_dir(), name), "wb") as out:
        out.write(data)
    req.file_name = name
    req.status = "done"
    req.closed_at = utcnow()
    rows = sum(len(r) for r in held.tables.values())
    record_audit(None, "rights_request.ready", req,
                 after={"tables": len(held.tables), "rows": rows})
    db.session.flush()
    ctx.progress(1, 1, f"{rows:,} records from {len(held.tables)} tables")
    return {"file": name, "tables": len(held.tables), "rows": rows}
