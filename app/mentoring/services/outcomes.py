"""Outcome ratings at completion: the mentor from /me, the student by link or office."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext

from app.alumni.models import Institution
from app.core.audit import record_audit
from app.core.db import as_utc, utcnow
from app.core.errors import Conflict, PermissionDenied, ValidationFailed
from app.core.i18n import in_language
from app.core.mail import TRANSACTIONAL, queue_email, render_email
from app.core.permissions import require_writer_in_scope
from app.core.tokens import LinkUnusable, find_by_token, new_token
from app.core.urls import external_url
from app.extensions import db
from app.mentoring.models import (
    Mentorship,
)
from app.mentoring.services.workflow import is_mentor_of

OUTCOME_LINK_DAYS = 30




# --- outcomes at completion ---------------------------------------------------------------


def _check_rating(rating: Any) -> int:
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed({"rating": gettext("A rating from 1 (poor) to 5 (excellent).")})
    return rating


def record_mentor_outcome(mentorship: Mentorship, rating: int, note: str | None, *,
                          actor: Any) -> Mentorship:
    """The mentor rates how the completed mentorship went (once)."""
    if not is_mentor_of(mentorship, actor):
        raise PermissionDenied(gettext("Only the mentor gives the mentor's rating."))
    if mentorship.status != "completed":
        raise Conflict(gettext("The outcome is asked for when the mentorship is completed."))
    if mentorship.mentor_rating is not None:
        raise Conflict(gettext("You have already rated this mentorship."))
    mentorship.mentor_rating = _check_rating(rating)
    mentorship.mentor_outcome = (note or "").strip() or None
    db.session.flush()
    record_audit(actor, "mentorship.mentor_outcome", mentorship, after={"rating": rating})
    return mentorship


def _store_student_outcome(mentorship: Mentorship, rating: int, note: str | None, by: str
                           ) -> None:
    if mentorship.status != "completed":
        raise Conflict(gettext("The outcome is asked for when the mentorship is completed."))
    if mentorship.student_rating is not None:
        raise Conflict(gettext("The student's rating is already recorded."))
    mentorship.student_rating = _check_rating(rating)
    mentorship.student_outcome = (note or "").strip() or None
    mentorship.student_outcome_by = by
    mentorship.student_token_hash = None  # the link is spent either way
    mentorship.student_token_expires = None
    db.session.flush()


def record_student_outcome(mentorship: Mentorship, rating: int, note: str | None, *,
                           actor: Any) -> Mentorship:
    """The office records the student's rating (e.g. given on paper or in person)."""
    require_writer_in_scope(actor, mentorship, message="No such mentorship.")
    _store_student_outcome(mentorship, rating, note, "officer")
    record_audit(actor, "mentorship.student_outcome", mentorship,
                 after={"rating": rating, "by": "officer"})
    return mentorship


def issue_student_outcome_link(mentorship: Mentorship) -> str:
    """A one-time link for the student's rating; returns the raw token (only its hash stays)."""
    if mentorship.status != "completed" or mentorship.student_rating is not None:
        raise Conflict("No outcome to ask for.")
    raw, digest = new_token()
    mentorship.student_token_hash = digest
    mentorship.student_token_expires = utcnow() + timedelta(days=OUTCOME_LINK_DAYS)
    db.session.flush()
    return raw


def mentorship_for_outcome_token(raw: str) -> Mentorship:
    """The completed mentorship a still-valid student link belongs to, or
    LinkUnusable(unknown | expired) (a spent link has no token any more: unknown)."""
    try:
        return find_by_token(Mentorship, raw, columns=("student_token_hash",),
                             expired=lambda m: as_utc(m.student_token_expires) < utcnow())
    except LinkUnusable as exc:
        raise LinkUnusable(exc.reason, exc.record,
                           gettext("This link is not valid any more.")) from None


def record_student_outcome_by_link(raw: str, rating: int, note: str | None) -> Mentorship:
    """The student answers from the one-time link e-mailed at completion."""
    mentorship = mentorship_for_outcome_token(raw)
    _store_student_outcome(mentorship, rating, note, "link")
    record_audit(SimpleNamespace(id=None, email="student (one-time link)"),
                 "mentorship.student_outcome", mentorship, after={"rating": rating, "by": "link"})
    return mentorship


# --- e-mail notices (queued: they leave when the caller's transaction commits) -------------


def notify_mentor_of_proposal(mentorship: Mentorship) -> bool:
    """E-mail the mentor that a student was proposed; False when the mentor has no e-mail."""
    alumnus = mentorship.mentor.alumnus
    if not alumnus.email:
        return False
    user = alumnus.user  # the mentor's account language, else the institution's default
    with in_language(user.language if user is not None else None, alumnus.institution_id):
        queue_email(render_email(
            "mentorship_proposed", to=alumnus.email, purpose=TRANSACTIONAL,  # they offered
            alumnus_id=alumnus.id,
            subject=gettext("Will you mentor %(name)s?", name=mentorship.student.given_name),
            mentorship=mentorship, alumnus=alumnus, student=mentorship.student,
            link=external_url("mentoring.me_mentorship", mentorship_id=mentorship.id)))
    return True


def request_student_outcome(mentorship: Mentorship) -> bool:
    """E-mail the student a one-time rating link; False when the student has no e-mail."""
    student = mentorship.student
    if not student.email:
        return False
    raw_token = issue_student_outcome_link(mentorship)
    institution = db.session.get(Institution, student.institution_id)
    # A student has no account: the institution's default language, which the link carries
    # so the rating page opens in it.
    with in_language(None, student.institution_id) as language:
        queue_email(render_email(
            "mentoring_outcome", to=student.email, purpose=TRANSACTIONAL,  # their mentoring
            subject=gettext("How did your mentoring go?"), mentorship=mentorship,
            student=student, institution=institution.name, days=OUTCOME_LINK_DAYS,
            link=external_url("mentoring.student_outcome", token=raw_token, lang=language)))
    return True
