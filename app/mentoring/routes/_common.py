"""Helpers shared by the mentoring pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash
from flask_babel import gettext
from flask_login import current_user

from app.core.forms import commit_or_flash
from app.core.i18n import N_
from app.mentoring import services
from app.mentoring.forms import OutcomeForm, SessionForm, StatusForm
from app.mentoring.models import (
    INDUSTRIES,
    MENTORSHIP_STATES,
    SESSION_MODES,
    Mentorship,
)

# Whole sentences per state, so each language can say it its own way.
NOW_IN_STATE = {
    "proposed": N_("The mentorship is proposed."),
    "accepted": N_("The mentorship is accepted."),
    "declined": N_("The mentorship is declined."),
    "active": N_("The mentorship is active."),
    "completed": N_("The mentorship is completed."),
    "cancelled": N_("The mentorship is cancelled."),
}

# Not "languages": that name is the language menu's on every page (base.html).
CHOICES = {"states": MENTORSHIP_STATES, "modes": SESSION_MODES, "industries": INDUSTRIES}


def session_data(form: SessionForm) -> services.SessionData:
    return services.SessionData(held_on=form.held_on.data, minutes=form.minutes.data,
                                mode=form.mode.data, notes=form.notes.data)


def post_status_change(m: Mentorship) -> None:
    """The status form of a mentorship page (office or mentor): change, commit, say so."""
    form = StatusForm()
    if not form.validate_on_submit():
        return
    asked = []

    def change() -> Mentorship:
        services.change_status(m, form.to.data, note=form.note.data, actor=current_user)
        if m.status == "completed":  # ask the student for their rating, in the same commit
            asked.append(services.request_student_outcome(m))
        return m

    if commit_or_flash(change) is not None:
        flash(gettext(NOW_IN_STATE[m.status]), "success")
        if asked == [True]:
            flash(gettext("The student was e-mailed a link to rate the mentoring."), "info")
        elif asked == [False]:
            flash(gettext("The student has no e-mail: record their rating on the mentorship "
                          "page."), "info")


def post_session(m: Mentorship) -> None:
    """The session form of a mentorship page (office or mentor): log it, commit, say so."""
    form = SessionForm()
    if not form.validate_on_submit():
        flash(gettext("Give the date, the minutes and how you met."), "warning")
        return
    if commit_or_flash(lambda: services.log_session(m, session_data(form),
                                                    actor=current_user)) is not None:
        flash(gettext("Session logged."), "success")


def post_outcome(m: Mentorship, record: Callable[..., Any], thanks: str) -> None:
    """The rating form of a completed mentorship (the office for the student, or the mentor)."""
    form = OutcomeForm()
    if form.validate_on_submit():
        rated = commit_or_flash(lambda: record(m, form.rating.data, form.note.data,
                                               actor=current_user))
        if rated is not None:
            flash(gettext(thanks), "success")
