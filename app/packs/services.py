"""Building, keeping and verifying evidence packs.

`request_pack` checks a request and queues the build (job "evidence_pack", with a progress
bar); `build_snapshot` gathers the figures once, writes each format, stores the files under
`REPORT_FOLDER` (default instance/reports) and inserts the snapshot with each file's SHA-256.
A snapshot is written once and never changed (see models.py); `verify_snapshot` reads every
stored file again and compares it with its checksum.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from app.alumni.models import Institution, Programme
from app.core.audit import record_audit, record_export
from app.core.errors import NotFound, PermissionDenied, ValidationFailed
from app.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, in_language
from app.core.jobs import Job, JobContext, enqueue
from app.core.permissions import ADMIN, STAFF_READ, scope
from app.extensions import db
from app.packs.content import CHART_FORMATS, PackRequest, gather, gather_steps
from app.packs.models import FORMATS, ReportSnapshot, SnapshotFile
from app.packs.render import WRITERS, write_formats
from app.reports.frameworks import FrameworkError, frameworks

BUILD_HANDLER = "app.packs.services:build_pack_job"
JOB_KIND = "evidence_pack"
REFERENCE_MONTHS = (6, 12, 24)


def report_folder() -> Path:
    folder = Path(current_app.config.get("REPORT_FOLDER")
                  or os.path.join(current_app.instance_path, "reports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_request(institution: Institution, framework: str, programme_ids: list[int],
                  years: list[int], reference_months: int | None,
                  formats: list[str], language: str = DEFAULT_LANGUAGE) -> PackRequest:
    """A pack request checked field by field: every mistake is named, none is guessed.
    `language` is the language of the pack's fixed text (one of the product's six)."""
    errors: dict[str, str] = {}
    if framework not in frameworks():
        errors["framework"] = gettext("Choose one of: %(names)s.",
                                      names=", ".join(frameworks()))
    own = set(db.session.scalars(select(Programme.id).where(
        Programme.institution_id == institution.id)))
    if any(p not in own for p in programme_ids):
        errors["programmes"] = gettext("Choose programmes of this institution.")
    elif not own:
        errors["programmes"] = gettext("The institution has no programmes yet.")
    good = sorted({y for y in years if 1950 <= y <= 2100})
    if not good or len(good) != len(set(years)):
        errors["cohorts"] = gettext("Give graduation years from %(first)d to %(last)d.",
                                    first=1950, last=2100)
    elif len(good) > 10:
        errors["cohorts"] = gettext("Give at most ten cohort years.")
    if reference_months is not None and reference_months not in REFERENCE_MONTHS:
        errors["reference_months"] = gettext("Choose 6, 12 or 24 months.")
    if not formats or any(f not in FORMATS for f in formats):
        errors["formats"] = gettext("Choose among: %(names)s.", names=", ".join(FORMATS))
    if language not in LANGUAGES:
        errors["language"] = gettext("Choose one of the languages: %(names)s.",
                                     names=", ".join(LANGUAGES))
    if errors:
        raise ValidationFailed(errors)
    return PackRequest(institution.id, framework, tuple(sorted(set(programme_ids))),
                       tuple(good), reference_months, language)


def parse_years(text: str) -> list[int]:
    """"2022-2024" or "2022,2023,2024" as years; a mistake raises ValidationFailed."""
    years: list[int] = []
    try:
        for part in (text or "").replace(" ", "").split(","):
            if "-" in part:
                first, last = (int(x) for x in part.split("-", 1))
                if last < first or last - first > 9:
                    raise ValueError
                years.extend(range(first, last + 1))
            elif part:
                years.append(int(part))
    except ValueError:
        raise ValidationFailed({"cohorts": gettext(
            "Give years as 2022-2024 or 2022,2023,2024.")}) from None
    if not years:
        raise ValidationFailed({"cohorts": gettext("Give the cohort years, e.g. 2022-2024.")})
    return years


def may_build(actor: Any, institution_id: int) -> bool:
    """Quality staff and officers of the institution, and administrators; never alumni."""
    if actor is None or actor.role not in STAFF_READ:
        return False
    return actor.role == ADMIN or actor.institution_id == institution_id


def request_pack(request: PackRequest, formats: list[str], *, actor: Any,
                 base_url: str | None = None) -> Job:
    """Queue the build of a pack; the caller commits, then the job starts."""
    if not may_build(actor, request.institution_id):
        raise PermissionDenied("You may not build evidence packs for this institution.")
    return enqueue(JOB_KIND, BUILD_HANDLER, actor=actor, institution_id=request.institution_id,
                   total=gather_steps(request.years, formats) + len(formats) + 1,
                   request=request.as_dict(), formats=list(formats),
                   built_by=actor.full_name or actor.email, built_by_id=actor.id,
                   base_url=base_url)


def build_pack_job(ctx: JobContext, *, request: dict, formats: list[str], built_by: str,
                   built_by_id: int | None, base_url: str | None = None) -> dict:
    """The background build: progress after each year, part and format."""
    done = {"n": 0}

    def step(message: str) -> None:
        done["n"] += 1
        ctx.progress(done["n"], message=message)

    req = PackRequest(request["institution_id"], request["framework"],
                      tuple(request["programme_ids"]), tuple(request["years"]),
                      request.get("reference_months"),
                      request.get("language") or DEFAULT_LANGUAGE)
    snapshot = build_snapshot(req, tuple(formats), built_by=built_by, built_by_id=built_by_id,
                              base_url=base_url, progress=step)
    step("Snapshot kept")
    return {"snapshot_id": snapshot.id}


def build_snapshot(request: PackRequest, formats: tuple[str, ...], *, built_by: str,
                   built_by_id: int | None, base_url: str | None = None,
                   progress: Callable[[str], None] | None = None) -> ReportSnapshot:
    """Gather, write every format, store the files and the snapshot (flushed, not committed).
    The fixed text is in the request's language (the command and a background job too: the
    language is forced, not read from a page); the CSV files keep English headers."""
    with in_language(request.language, request.institution_id):
        try:
            content = gather(request, built_by=built_by, base_url=base_url,
                             charts=bool(CHART_FORMATS & set(formats)), progress=progress)
        except FrameworkError as exc:
            raise ValidationFailed({"framework": str(exc)}) from exc
        files = write_formats(content, formats,
                              step=lambda fmt: progress and progress(f"{fmt.upper()} written"))
    relative = f"{request.institution_id}/{uuid.uuid4().hex}"
    folder = report_folder() / relative
    folder.mkdir(parents=True)
    stem = (f"evidence-pack-{content.institution.code}-{content.framework.name}-"
            f"{content.years[0]}-{content.years[-1]}").lower()
    snapshot = ReportSnapshot(
        institution_id=request.institution_id, framework=content.framework.name,
        framework_title=content.framework.title, framework_sha256=content.framework_sha256,
        parameters={**request.as_dict(), "programme_codes": [p.code for p in
                                                              content.programmes],
                    "reference_months": content.reference_months,
                    "formats": list(formats), "base_url": base_url,
                    # the graduates named in the pack, for the download's audit entry
                    "register_rows": next((len(a.rows) for a in content.annexes
                                           if a.key == "graduate_register"), 0)},
        programme_codes=", ".join(p.code for p in content.programmes)[:500],
        first_year=content.years[0], last_year=content.years[-1],
        reference_months=content.reference_months, as_of=content.as_of,
        built_by_id=built_by_id, built_by_name=built_by, folder=relative)
    for fmt, body in files.items():
        name = f"{stem}.{WRITERS[fmt]}"
        (folder / name).write_bytes(body)
        snapshot.files.append(SnapshotFile(fmt=fmt, name=name, size=len(body),
                                           sha256=hashlib.sha256(body).hexdigest()))
    db.session.add(snapshot)
    db.session.flush()
    record_audit(None if built_by_id is None else db.session.get(_user_model(), built_by_id),
                 "report_snapshot.built", snapshot,
                 after={"framework": snapshot.framework, "years": snapshot.years_label,
                        "files": {f.name: f.sha256 for f in snapshot.files}})
    return snapshot


def record_download(snapshot: ReportSnapshot, stored: SnapshotFile, *, actor: Any) -> None:
    """A stored pack file was downloaded or opened: an export entry (who, which snapshot, which
    file and its checksum). The pack names graduates, without their contact details."""
    record_export(actor, stored.name, int((snapshot.parameters or {}).get("register_rows", 0)),
                  institution_id=snapshot.institution_id,
                  details={"snapshot_id": snapshot.id, "file": stored.name, "format": stored.fmt,
                           "sha256": stored.sha256})


def _user_model():
    from app.auth.models import User

    return User


def snapshots_for(actor: Any, institution_id: int | None = None) -> list[ReportSnapshot]:
    """The snapshots the actor may see, newest first."""
    stmt = scope(select(ReportSnapshot), ReportSnapshot, actor)
    if institution_id is not None:
        stmt = stmt.where(ReportSnapshot.institution_id == institution_id)
    return list(db.session.scalars(stmt.order_by(ReportSnapshot.created_at.desc(),
                                                 ReportSnapshot.id.desc())))


def running_builds(actor: Any) -> list[Job]:
    stmt = select(Job).where(Job.kind == JOB_KIND, Job.status.in_(("queued", "running")))
    if actor.role != ADMIN:
        stmt = stmt.where(Job.institution_id == actor.institution_id)
    return list(db.session.scalars(stmt.order_by(Job.id.desc())))


def file_path(snapshot: ReportSnapshot, stored: SnapshotFile) -> Path:
    """Where a stored file lives (inside the report folder, whatever the names say)."""
    root = report_folder().resolve()
    path = (root / snapshot.folder / stored.name).resolve()
    if root not in path.parents:
        raise NotFound("The file is not in the report folder.")
    return path


@dataclass
class FileCheck:
    name: str
    expected: str
    found: str | None  # None: the file is missing
    size: int | None

    @property
    def ok(self) -> bool:
        return self.found == self.expected


def verify_snapshot(snapshot: ReportSnapshot) -> list[FileCheck]:
    """Read every stored file of the snapshot again and compare its SHA-256."""
    checks = []
    for stored in snapshot.files:
        path = file_path(snapshot, stored)
        if not path.is_file():
            checks.append(FileCheck(stored.name, stored.sha256, None, None))
            continue
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        checks.append(FileCheck(stored.name, stored.sha256, digest.hexdigest(),
                                path.stat().st_size))
    return checks
