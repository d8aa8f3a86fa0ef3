"""An alumnus's rights in self-service and the office's queue of their requests.

Each request is due by the institution's deadline (`Institution.rights_deadline_days`,
counted from the day it came). A copy of one's data is made by a job (`export.py`) and the
request closes when the file is ready; an erasure waits for the office (`erasure.py`).
Withdrawing a consent or objecting to a purpose takes effect at once (one click each).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, func, select

from app.alumni.models import CONSENT_PURPOSES, Alumnus, Consent, CorrectionRequest
from app.alumni.privacy import record_consent
from app.core.audit import record_audit
from app.core.db import today, utcnow
from app.core.errors import Conflict, ValidationFailed
from app.core.jobs import enqueue
from app.core.permissions import require_self, require_writer_in_scope, scope
from app.extensions import db
from app.privacy.models import RightsRequest

DOWNLOAD_KIND = "data_download"
DOWNLOAD_HANDLER = "app.privacy.export:build_data_download"


def due_date(alumnus: Alumnus, on: date | None = None) -> date:
    """The day a request the alumnus makes on `on` (default today) must be answered by."""
    return (on or today()) + timedelta(days=alumnus.institution.rights_deadline_days or 30)


def _new_request(alumnus: Alumnus, kind: str, note: str | None = None) -> RightsRequest:
    req = RightsRequest(alumnus_id=alumnus.id, institution_id=alumnus.institution_id,
                        kind=kind, due_on=due_date(alumnus), note=note)
    db.session.add(req)
    db.session.flush()
    return req


def request_download(alumnus: Alumnus, *, actor: Any) -> RightsRequest:
    """The alumnus asks for a copy of everything held about them: a job makes the file."""
    require_self(alumnus, actor, gettext("You can ask for a copy of your own data only."))
    running = db.session.scalar(select(RightsRequest).where(
        RightsRequest.alumnus_id == alumnus.id, RightsRequest.kind == "download",
        RightsRequest.status == "open", RightsRequest.created_at > utcnow() - timedelta(hours=1)))
    if running is not None:
        return running  # a second click while the copy is made follows the same one
    req = _new_request(alumnus, "download")
    job = enqueue(DOWNLOAD_KIND, DOWNLOAD_HANDLER, actor=actor,
                  institution_id=alumnus.institution_id, request_id=req.id)
    req.job_id = job.id
    record_audit(actor, "rights_request.download", req, after={"due_on": req.due_on.isoformat()})
    return req


def retry_download(req: RightsRequest, *, actor: Any) -> RightsRequest:
    """The office makes a copy again whose job failed (the request stays the same, due on
    the same day)."""
    require_writer_in_scope(actor, req, message="No such request.")
    if req.kind != "download" or req.status != "open":
        raise Conflict(gettext("Only an open request for a copy can be made again."))
    job = enqueue(DOWNLOAD_KIND, DOWNLOAD_HANDLER, actor=actor,
                  institution_id=req.institution_id, request_id=req.id)
    req.job_id = job.id
    record_audit(actor, "rights_request.retry", req, after={"job": job.id})
    return req


def request_erasure(alumnus: Alumnus, reason: str, *, actor: Any) -> RightsRequest:
    """The alumnus asks the office to erase their data; the office acts on it."""
    require_self(alumnus, actor, gettext("You can ask to erase your own data only."))
    if len(reason or "") > 2000:
        raise ValidationFailed({"reason": gettext("Keep it under 2,000 characters.")})
    if db.session.scalar(select(RightsRequest.id).where(
            RightsRequest.alumnus_id == alumnus.id, RightsRequest.kind == "erasure",
            RightsRequest.status == "open")):
        raise Conflict(gettext("You have asked already: the alumni office is dealing with it."))
    req = _new_request(alumnus, "erasure", (reason or "").strip() or None)
    record_audit(actor, "rights_request.erasure", req, after={"due_on": req.due_on.isoformat()})
    return req


def withdraw_consent(alumnus: Alumnus, purpose: str, *, actor: Any) -> Consent:
    """Withdraw a consent, or object to a purpose never agreed to, in one click: a "no" on
    record from now on (the history keeps every earlier choice)."""
    require_self(alumnus, actor, gettext("You can change your own choices only."))
    if purpose not in CONSENT_PURPOSES:
        raise ValidationFailed({"purpose": "Unknown purpose."})
    latest = db.session.scalar(select(Consent).where(
        Consent.alumnus_id == alumnus.id, Consent.purpose == purpose)
        .order_by(Consent.recorded_at.desc(), Consent.id.desc()).limit(1))
    if latest is not None and not latest.granted:
        raise Conflict(gettext("That is already a “no”."))
    consent = record_consent(alumnus, purpose, False, method="self_service", actor=actor)
    if purpose == "directory" and alumnus.directory_visible:
        alumnus.directory_visible = False
        db.session.flush()
    return consent


def my_requests(alumnus: Alumnus) -> list[RightsRequest]:
    """The alumnus's own requests, newest first."""
    return list(db.session.scalars(select(RightsRequest).where(
        RightsRequest.alumnus_id == alumnus.id).order_by(RightsRequest.created_at.desc(),
                                                         RightsRequest.id.desc())))


def my_corrections(alumnus: Alumnus) -> list[CorrectionRequest]:
    """The alumnus's correction requests and what became of them, newest first."""
    return list(db.session.scalars(select(CorrectionRequest).where(
        CorrectionRequest.alumnus_id == alumnus.id).order_by(
        CorrectionRequest.created_at.desc(), CorrectionRequest.id.desc())))


def refuse_request(req: RightsRequest, note: str, *, actor: Any) -> RightsRequest:
    """The office refuses a request, saying why (the alumnus sees the reason)."""
    require_writer_in_scope(actor, req, message="No such request.")
    if req.status != "open":
        raise Conflict(gettext("This request is already closed."))
    if len((note or "").strip()) < 5:
        raise ValidationFailed({"note": gettext(
            "Say why, for the alumnus: they will read it.")})
    _close(req, "refused", actor, note.strip())
    record_audit(actor, "rights_request.refuse", req, after={"status": "refused"})
    return req


def _close(req: RightsRequest, status: str, actor: Any, note: str | None = None) -> None:
    req.status = status
    req.closed_at = utcnow()
    req.closed_by_id = getattr(actor, "id", None)
    if note:
        req.note = note
    db.session.flush()


def carry_out_erasure(req: RightsRequest, *, actor: Any) -> RightsRequest:
    """The office erases the person of an open erasure request, and closes it."""
    from app.privacy.erasure import erase_alumnus

    require_writer_in_scope(actor, req, message="No such request.")
    if req.kind != "erasure" or req.status != "open":
        raise Conflict(gettext("This request is not an open erasure request."))
    erase_alumnus(req.alumnus, actor=actor)
    _close(req, "done", actor)
    record_audit(actor, "rights_request.done", req, after={"status": "done"})
    return req


def request_queue(actor: Any, *, show_all: bool = False) -> Select:
    """The requests the office sees, the earliest due first."""
    stmt = scope(select(RightsRequest), RightsRequest, actor)
    if not show_all:
        stmt = stmt.where(RightsRequest.status == "open")
    return stmt.order_by(RightsRequest.status != "open", RightsRequest.due_on,
                         RightsRequest.id)


def queue_counts(actor: Any) -> dict[str, int]:
    """Open and overdue requests (rights and corrections) in the actor's scope."""
    from app.alumni.models import Institution

    now = today()
    rights = scope(select(RightsRequest), RightsRequest, actor).where(
        RightsRequest.status == "open")
    counts = {
        "open": db.session.scalar(select(func.count()).select_from(rights.subquery())) or 0,
        "overdue": db.session.scalar(select(func.count()).select_from(
            rights.where(RightsRequest.due_on < now).subquery())) or 0,
    }
    # Correction requests answer to the same deadline, counted from the day they came.
    open_corrections = scope(select(CorrectionRequest.created_at,
                                    Institution.rights_deadline_days), CorrectionRequest, actor
                             ).join(Institution, Institution.id == CorrectionRequest.institution_id
                                    ).where(CorrectionRequest.status == "open")
    rows = db.session.execute(open_corrections).all()
    counts["corrections_open"] = len(rows)
    counts["corrections_overdue"] = sum(
        1 for created, days in rows if created.date() + timedelta(days=days or 30) < now)
    return counts
