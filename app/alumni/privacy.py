"""Consent and correction requests: what an alumnus allows, and asks the office to fix."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from app.alumni.models import (
    CONSENT_METHODS,
    CONSENT_PURPOSES,
    Alumnus,
    Consent,
    CorrectionRequest,
)
from app.alumni.notices import current_notice_version, has_confirmed
from app.alumni.services import OFFICE_FIELDS, check_version, flush_or_conflict
from app.alumni.written import alumni_written
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import Conflict, ValidationFailed
from app.core.permissions import require_self, require_self_or_writer, require_writer_in_scope
from app.extensions import db


def record_consent(
    alumnus: Alumnus, purpose: str, granted: bool, *, method: str, actor: Any
) -> Consent:
    """Append a consent decision; the latest one per purpose is in force, history stays."""
    if purpose not in CONSENT_PURPOSES:
        raise ValidationFailed({"purpose": f"Unknown consent purpose “{purpose}”."})
    if method not in CONSENT_METHODS:
        raise ValidationFailed({"method": f"Unknown consent method “{method}”."})
    require_self_or_writer(alumnus, actor,
                           self_message=gettext("You can change your own choices only."))
    consent = Consent(
        alumnus=alumnus,
        purpose=purpose,
        granted=granted,
        method=method,
        notice_version=current_notice_version(),
        recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(consent)
    db.session.flush()
    record_audit(actor, "consent.record", alumnus, entity_type="Alumnus",
                 institution_id=alumnus.institution_id,
                 after={"purpose": purpose, "granted": granted, "method": method,
               "notice_version": consent.notice_version})
    return consent


def set_privacy_choices(
    alumnus: Alumnus,
    choices: dict[str, bool],
    directory_visible: bool,
    *,
    expected_version: int | None,
    method: str,
    actor: Any,
) -> list[Consent]:
    """Record the consent purposes that changed, and the directory visibility, together."""
    require_self_or_writer(alumnus, actor,
                           self_message=gettext("You can change your own choices only."))
    check_version(alumnus, expected_version)
    recorded = []
    # Saving under a notice not yet confirmed records every choice again with its version.
    confirming = not has_confirmed(alumnus, current_notice_version())
    for purpose, granted in choices.items():
        if purpose not in CONSENT_PURPOSES:
            raise ValidationFailed({purpose: "Unknown consent purpose."})
        if confirming or alumnus.consent_in_force(purpose) != bool(granted) or not any(
            c.purpose == purpose for c in alumnus.consents
        ):
            recorded.append(record_consent(alumnus, purpose, bool(granted), method=method,
                                           actor=actor))
    # Listing in the directory needs directory consent in force.
    visible = bool(directory_visible) and alumnus.consent_in_force("directory")
    if visible != alumnus.directory_visible:
        before = {"directory_visible": alumnus.directory_visible}
        alumnus.directory_visible = visible
        flush_or_conflict()
        record_audit(actor, "alumnus.visibility", alumnus, before=before,
                     after={"directory_visible": visible})
        # The directory (and any feature keeping rows per alumnus) catches up.
        alumni_written(alumnus.institution_id, [alumnus.student_number], actor=actor)
    return recorded


def consent_summary(alumnus: Alumnus) -> dict[str, Consent | None]:
    """The decision in force per purpose (None when never asked)."""
    latest: dict[str, Consent | None] = {p: None for p in CONSENT_PURPOSES}
    for c in alumnus.consents:
        cur = latest.get(c.purpose)
        if cur is None or c.recorded_at >= cur.recorded_at:
            latest[c.purpose] = c
    return latest


def request_correction(alumnus: Alumnus, field: str, message: str, *, actor: Any
                       ) -> CorrectionRequest:
    """An alumnus asks the office to correct an officer-owned field of their record."""
    require_self(alumnus, actor,
                 gettext("You can ask for corrections to your own record only."))
    errors = {}
    if field not in OFFICE_FIELDS:
        errors["field"] = gettext("Choose the detail that is wrong.")
    if len((message or "").strip()) < 5:
        errors["message"] = gettext("Tell the office what the right value is.")
    if errors:
        raise ValidationFailed(errors)
    req = CorrectionRequest(alumnus_id=alumnus.id, institution_id=alumnus.institution_id,
                            field=field, message=message.strip())
    db.session.add(req)
    db.session.flush()
    record_audit(actor, "correction.request", req, after={"field": field})
    return req


def resolve_correction(req: CorrectionRequest, note: str, *, actor: Any) -> CorrectionRequest:
    """The office closes a correction request with a note on what it did."""
    require_writer_in_scope(actor, req, message="No such request.")
    if req.status != "open":
        raise Conflict(gettext("This request is already closed."))
    req.status = "closed"
    req.resolved_at = utcnow()
    req.resolved_by_id = actor.id
    req.resolution_note = (note or "").strip() or None
    record_audit(actor, "correction.resolve", req, after={"note": req.resolution_note})
    return req
