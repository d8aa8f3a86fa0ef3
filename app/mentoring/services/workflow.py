"""Proposals (capacity held atomically) and the mentorship state machine; sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import select, update

from app.core.audit import record_audit
from app.core.db import today, utcnow
from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.core.i18n import format_date
from app.core.permissions import ALUMNUS, require_writer_in_scope
from app.extensions import db
from app.mentoring.models import (
    MENTORSHIP_STATES,
    OPEN_STATES,
    SESSION_MODES,
    MentoringSession,
    MentorProfile,
    Mentorship,
    Student,
)

OFFICER = "officer"  # an alumni officer (or administrator) of the institution
MENTOR = "mentor"  # the alumnus who is the mentor, from their /me page

# The allowed status changes and who may make each. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("proposed", "accepted"): frozenset({MENTOR}),
    ("proposed", "declined"): frozenset({MENTOR}),
    ("proposed", "cancelled"): frozenset({OFFICER}),  # the office withdraws a proposal
    ("accepted", "active"): frozenset({OFFICER, MENTOR}),  # first meeting held
    ("accepted", "cancelled"): frozenset({OFFICER}),
    ("active", "completed"): frozenset({OFFICER, MENTOR}),
    ("active", "cancelled"): frozenset({OFFICER}),
}
# Leaving an open state for a closed one gives the mentor's place back.
CLOSED_STATES = ("declined", "completed", "cancelled")




# --- proposals and the state machine -----------------------------------------------------


def _take_place(mentor: MentorProfile) -> None:
    """Reserve one of the mentor's places, atomically: a conditional UPDATE.

    `load = load + 1 WHERE load < capacity AND available` is one statement, so two proposals
    racing for the last place cannot both pass: PostgreSQL makes the second wait for the
    first's row lock and re-checks the condition on the committed row; SQLite lets one writer
    at a time. The loser updates no row and gets a Conflict.
    """
    result = db.session.execute(
        update(MentorProfile)
        .where(MentorProfile.id == mentor.id, MentorProfile.load < MentorProfile.capacity,
               MentorProfile.available.is_(True))
        .values(load=MentorProfile.load + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(mentor, ["load"])
    if result.rowcount != 1:
        raise Conflict(gettext("This mentor has no free place (or stopped taking mentees). "
                               "Choose another mentor from the suggestions."))


def _release_place(mentor: MentorProfile) -> None:
    db.session.execute(
        update(MentorProfile)
        .where(MentorProfile.id == mentor.id, MentorProfile.load > 0)
        .values(load=MentorProfile.load - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(mentor, ["load"])


def open_mentorship_of(student: Student) -> Mentorship | None:
    return db.session.scalar(select(Mentorship).where(
        Mentorship.student_id == student.id, Mentorship.status.in_(OPEN_STATES)))


def propose_mentorship(student: Student, mentor: MentorProfile, *, goals: str | None,
                       match_score: int | None = None, actor: Any) -> Mentorship:
    """The office proposes a mentor to a student; the mentor's place is reserved at once."""
    require_writer_in_scope(actor, student, mentor, message="No such student or mentor.")
    if mentor.institution_id != student.institution_id:
        raise ValidationFailed({"mentor_id": gettext(
            "The mentor is an alumnus of another institution.")})
    if open_mentorship_of(student) is not None:
        raise Conflict(gettext("This student already has an open mentorship; close it first."))
    _take_place(mentor)  # raises Conflict when full; checked inside this transaction
    mentorship = Mentorship(
        institution_id=student.institution_id, mentor_id=mentor.id, student_id=student.id,
        status="proposed", goals=(goals or "").strip() or None, match_score=match_score,
        proposed_by_id=actor.id, proposed_at=utcnow(),
    )
    db.session.add(mentorship)
    db.session.flush()
    record_audit(actor, "mentorship.propose", mentorship,
                 after={"mentor_id": mentor.id, "student_id": student.id})
    return mentorship


def is_mentor_of(mentorship: Mentorship, actor: Any) -> bool:
    return (actor is not None and getattr(actor, "role", None) == ALUMNUS
            and mentorship.mentor.alumnus.user_id == actor.id)


def _side(mentorship: Mentorship, actor: Any) -> str:
    """Which side of the TRANSITIONS table the actor is on, or PermissionDenied."""
    if is_mentor_of(mentorship, actor):
        return MENTOR
    if actor is not None and getattr(actor, "role", None) == ALUMNUS:
        raise NotFound("No such mentorship.")  # another alumnus's mentorship: do not reveal it
    require_writer_in_scope(actor, mentorship, message="No such mentorship.")
    return OFFICER


def allowed_next(mentorship: Mentorship, side: str) -> list[str]:
    """The states this side may move the mentorship to now."""
    return [to for (frm, to), who in TRANSITIONS.items()
            if frm == mentorship.status and side in who]


def change_status(mentorship: Mentorship, to: str, *, note: str | None = None, actor: Any
                  ) -> Mentorship:
    """Move a mentorship along TRANSITIONS; only in order and only by the side allowed."""
    if to not in MENTORSHIP_STATES:
        raise ValidationFailed({"to": gettext("Unknown state.")})
    side = _side(mentorship, actor)
    who = TRANSITIONS.get((mentorship.status, to))
    if who is None:
        raise Conflict(gettext("This mentorship cannot go from “%(current)s” to “%(next)s”.",
                               current=gettext(MENTORSHIP_STATES[mentorship.status]),
                               next=gettext(MENTORSHIP_STATES[to])))
    if side not in who:
        raise PermissionDenied(
            gettext("Only the mentor can do that.") if MENTOR in who and len(who) == 1
            else gettext("Only the alumni office can do that.") if len(who) == 1
            else gettext("Only the mentor or the alumni office can do that."))
    # Lock the row's state: the change applies only if nobody moved it meanwhile.
    frm = mentorship.status
    result = db.session.execute(
        update(Mentorship).where(Mentorship.id == mentorship.id, Mentorship.status == frm)
        .values(status=to, updated_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict(gettext("Someone changed this mentorship at the same moment. Reload the "
                               "page."))
    db.session.expire(mentorship, ["status", "updated_at"])
    this_day = today()
    if frm == "proposed":
        mentorship.responded_at = utcnow()
    if to == "active":
        mentorship.started_on = this_day
    if to in CLOSED_STATES:
        mentorship.ended_on = this_day
        _release_place(mentorship.mentor)
    if note and note.strip():
        mentorship.status_note = note.strip()
    db.session.flush()
    record_audit(actor, f"mentorship.{to}", mentorship,
                 before={"status": frm}, after={"status": to, "by": side})
    return mentorship


@dataclass
class SessionData:
    held_on: date | None = None
    minutes: int | None = None
    mode: str | None = None
    notes: str | None = None


def log_session(mentorship: Mentorship, data: SessionData, *, actor: Any) -> MentoringSession:
    """Add a meeting to an active mentorship's log (the mentor or the office)."""
    _side(mentorship, actor)
    if mentorship.status != "active":
        raise Conflict(gettext("Sessions are logged for active mentorships."))
    errors: dict[str, str] = {}
    if data.held_on is None or data.held_on > today():
        errors["held_on"] = gettext("Enter the date the meeting took place, today or earlier.")
    elif mentorship.started_on is not None and data.held_on < mentorship.started_on:
        # its hours would count for a mentorship that did not exist yet
        errors["held_on"] = gettext("Enter a date on or after %(date)s, when the mentorship "
                                    "started.", date=format_date(mentorship.started_on))
    if data.minutes is None or not 1 <= data.minutes <= 600:
        errors["minutes"] = gettext("Enter between 1 and 600 minutes.")
    if data.mode not in SESSION_MODES:
        errors["mode"] = gettext("Choose how you met.")
    if errors:
        raise ValidationFailed(errors)
    session = MentoringSession(
        institution_id=mentorship.institution_id, mentorship_id=mentorship.id,
        held_on=data.held_on, minutes=data.minutes, mode=data.mode,
        notes=(data.notes or "").strip() or None, recorded_by_id=actor.id)
    db.session.add(session)
    db.session.flush()
    record_audit(actor, "mentoring_session.log", session,
                 after={"mentorship_id": mentorship.id, "minutes": data.minutes})
    return session


