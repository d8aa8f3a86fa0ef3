"""Helpers shared by the mentoring pages."""

from __future__ import annotations

from flask import current_app, flash

from app.core.errors import DomainError, ValidationFailed
from app.extensions import db
from app.mentoring import services
from app.mentoring.forms import SessionForm
from app.mentoring.models import (
    INDUSTRIES,
    LANGUAGES,
    MENTORSHIP_STATES,
    SESSION_MODES,
    Mentorship,
)

CHOICES = {"states": MENTORSHIP_STATES, "modes": SESSION_MODES, "industries": INDUSTRIES,
           "languages": LANGUAGES}


def message_of(exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed):
        return " ".join(m for ms in exc.field_errors.values() for m in ms)
    return exc.message


def after_completion(m: Mentorship) -> None:
    """Ask the student for their rating through a one-time link, when they have an e-mail."""
    if not m.student.email:
        flash("The student has no e-mail: record their rating on the mentorship page.", "info")
        return
    raw = services.issue_student_outcome_link(m)
    db.session.commit()
    try:
        services.send_outcome_request(m, raw)
        flash("The student was e-mailed a link to rate the mentoring.", "info")
    except Exception:  # noqa: BLE001
        current_app.logger.exception("Outcome link mail failed for mentorship %s", m.id)
        flash("The e-mail to the student could not be sent.", "warning")


def session_data(form: SessionForm) -> services.SessionData:
    return services.SessionData(held_on=form.held_on.data, minutes=form.minutes.data,
                                mode=form.mode.data, notes=form.notes.data)
