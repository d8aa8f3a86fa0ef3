"""Mentoring services: mentor profiles, students, proposals, the state machine, sessions, outcomes.

Matching (ranking suggested mentors) lives in `app.mentoring.matching`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import distinct, func, select, update

from app.alumni.models import Alumnus, Institution, Programme
from app.alumni.text import fold
from app.core.audit import record_audit, snapshot
from app.core.db import as_utc, utcnow
from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.core.mail import render_email, send_email
from app.core.permissions import ADMIN, ALUMNUS, in_scope, require_writer, scope
from app.core.tokens import hash_token, new_token
from app.core.urls import external_url
from app.extensions import db
from app.mentoring.models import (
    INDUSTRIES,
    LANGUAGES,
    MENTORSHIP_STATES,
    OPEN_STATES,
    SESSION_MODES,
    MentoringSession,
    MentorProfile,
    Mentorship,
    Student,
    join_codes,
)

STUDENT_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$")
MAX_CAPACITY = 10
OUTCOME_LINK_DAYS = 30

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


# --- mentor profiles ----------------------------------------------------------------------


@dataclass
class MentorProfileData:
    expertise: str = ""  # comma-separated tags
    industries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    capacity: int = 1
    available: bool = True
    about: str | None = None


def _own_alumnus_or_denied(alumnus: Alumnus, actor: Any) -> None:
    if actor is None or actor.role != ALUMNUS or alumnus.user_id != actor.id:
        raise PermissionDenied("You can change your own mentoring offer only.")


def _clean_tags(text: str) -> str:
    tags = {fold(t).strip() for t in (text or "").split(",")}
    tags = {t[:40] for t in tags if t}
    return ",".join(sorted(tags))


def mentor_profile_for(alumnus: Alumnus) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.alumnus_id == alumnus.id))


def save_mentor_profile(alumnus: Alumnus, data: MentorProfileData, *, actor: Any
                        ) -> MentorProfile:
    """An alumnus opts in as a mentor, or changes their offer (never another's)."""
    _own_alumnus_or_denied(alumnus, actor)
    errors: dict[str, str] = {}
    if any(i not in INDUSTRIES for i in data.industries):
        errors["industries"] = "Choose industries from the list."
    if any(lang not in LANGUAGES for lang in data.languages):
        errors["languages"] = "Choose languages from the list."
    if not data.languages:
        errors["languages"] = "Choose at least one language you can mentor in."
    capacity = data.capacity if data.capacity is not None else -1
    if not 0 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = f"Between 0 and {MAX_CAPACITY} mentees at once."
    profile = mentor_profile_for(alumnus)
    if profile is not None and 0 <= capacity < profile.load:
        errors["capacity"] = (f"You mentor or have been asked to mentor {profile.load} students "
                              "now; the number cannot be lower than that.")
    if errors:
        raise ValidationFailed(errors)
    values = {
        "expertise": _clean_tags(data.expertise),
        "industries": join_codes(data.industries),
        "languages": join_codes(data.languages),
        "capacity": capacity,
        "available": bool(data.available),
        "about": (data.about or "").strip() or None,
    }
    if profile is None:
        profile = MentorProfile(alumnus_id=alumnus.id, institution_id=alumnus.institution_id,
                                load=0, **values)
        db.session.add(profile)
        db.session.flush()
        record_audit(actor, "mentor.create", profile, after=snapshot(profile))
        return profile
    before = snapshot(profile)
    for key, value in values.items():
        setattr(profile, key, value)
    db.session.flush()
    record_audit(actor, "mentor.update", profile, before=before, after=snapshot(profile))
    return profile


# --- students -----------------------------------------------------------------------------


@dataclass
class StudentData:
    student_number: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    programme_id: int | None = None
    expected_graduation: date | None = None
    industries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def _clean_student(data: StudentData, institution_id: int, exclude_id: int | None
                   ) -> dict[str, Any]:
    errors: dict[str, str] = {}
    number = (data.student_number or "").strip()
    if not STUDENT_NUMBER_RE.match(number):
        errors["student_number"] = "Use letters and digits (dots, dashes, slashes inside)."
    else:
        stmt = select(Student.id).where(Student.institution_id == institution_id,
                                        func.lower(Student.student_number) == number.lower())
        if exclude_id is not None:
            stmt = stmt.where(Student.id != exclude_id)
        if db.session.scalar(stmt) is not None:
            errors["student_number"] = "Another student of this institution has this number."
    given = (data.given_name or "").strip()
    if not given:
        errors["given_name"] = "The given name is required."
    email = (data.email or "").strip() or None
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["email"] = f"That e-mail address is not valid: {exc}"
    programme = db.session.get(Programme, data.programme_id) if data.programme_id else None
    if programme is None or programme.institution_id != institution_id:
        errors["programme_id"] = "Choose a programme of this institution."
    if any(i not in INDUSTRIES for i in data.industries):
        errors["industries"] = "Choose industries from the list."
    if any(lang not in LANGUAGES for lang in data.languages):
        errors["languages"] = "Choose languages from the list."
    if errors:
        raise ValidationFailed(errors)
    return {
        "student_number": number, "given_name": given,
        "family_name": (data.family_name or "").strip() or None, "email": email,
        "programme_id": programme.id, "expected_graduation": data.expected_graduation,
        "industries": join_codes(data.industries), "languages": join_codes(data.languages),
    }


def create_student(data: StudentData, *, institution: Institution, actor: Any) -> Student:
    """Add a current student (a possible mentee) to the institution's student list."""
    require_writer(actor)
    if actor.role != ADMIN and institution.id != actor.institution_id:
        raise PermissionDenied("You can add students to your own institution only.")
    student = Student(institution_id=institution.id, **_clean_student(data, institution.id, None))
    db.session.add(student)
    db.session.flush()
    record_audit(actor, "student.create", student, after=snapshot(student))
    return student


def update_student(student: Student, data: StudentData, *, actor: Any) -> Student:
    """Correct a student's record."""
    require_writer(actor)
    if not in_scope(student, actor):
        raise NotFound("No such student.")
    values = _clean_student(data, student.institution_id, student.id)
    before = snapshot(student)
    for key, value in values.items():
        setattr(student, key, value)
    db.session.flush()
    record_audit(actor, "student.update", student, before=before, after=snapshot(student))
    return student


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
        raise Conflict("This mentor has no free place (or stopped taking mentees). "
                       "Choose another mentor from the suggestions.")


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
    require_writer(actor)
    if not in_scope(student, actor) or not in_scope(mentor, actor):
        raise NotFound("No such student or mentor.")
    if mentor.institution_id != student.institution_id:
        raise ValidationFailed({"mentor_id": "The mentor is an alumnus of another institution."})
    if open_mentorship_of(student) is not None:
        raise Conflict("This student already has an open mentorship; close it first.")
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
    require_writer(actor)
    if not in_scope(mentorship, actor):
        raise NotFound("No such mentorship.")
    return OFFICER


def allowed_next(mentorship: Mentorship, side: str) -> list[str]:
    """The states this side may move the mentorship to now."""
    return [to for (frm, to), who in TRANSITIONS.items()
            if frm == mentorship.status and side in who]


def change_status(mentorship: Mentorship, to: str, *, note: str | None = None, actor: Any
                  ) -> Mentorship:
    """Move a mentorship along TRANSITIONS; only in order and only by the side allowed."""
    if to not in MENTORSHIP_STATES:
        raise ValidationFailed({"to": "Unknown state."})
    side = _side(mentorship, actor)
    who = TRANSITIONS.get((mentorship.status, to))
    if who is None:
        raise Conflict(f"A {MENTORSHIP_STATES[mentorship.status].lower()} mentorship cannot "
                       f"become {MENTORSHIP_STATES[to].lower()}.")
    if side not in who:
        raise PermissionDenied("Only the " + " or the ".join(
            "mentor" if w == MENTOR else "alumni office" for w in sorted(who))
            + " can do that.")
    # Lock the row's state: the change applies only if nobody moved it meanwhile.
    frm = mentorship.status
    result = db.session.execute(
        update(Mentorship).where(Mentorship.id == mentorship.id, Mentorship.status == frm)
        .values(status=to, updated_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict("Someone changed this mentorship at the same moment. Reload the page.")
    db.session.expire(mentorship, ["status", "updated_at"])
    today = date.today()
    if frm == "proposed":
        mentorship.responded_at = utcnow()
    if to == "active":
        mentorship.started_on = today
    if to in CLOSED_STATES:
        mentorship.ended_on = today
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
        raise Conflict("Sessions are logged for active mentorships.")
    errors: dict[str, str] = {}
    if data.held_on is None or data.held_on > date.today():
        errors["held_on"] = "The date of a meeting that took place."
    if data.minutes is None or not 1 <= data.minutes <= 600:
        errors["minutes"] = "Between 1 and 600 minutes."
    if data.mode not in SESSION_MODES:
        errors["mode"] = "Choose how you met."
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


# --- outcomes at completion ---------------------------------------------------------------


def _check_rating(rating: Any) -> int:
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed({"rating": "A rating from 1 (poor) to 5 (excellent)."})
    return rating


def record_mentor_outcome(mentorship: Mentorship, rating: int, note: str | None, *,
                          actor: Any) -> Mentorship:
    """The mentor rates how the completed mentorship went (once)."""
    if not is_mentor_of(mentorship, actor):
        raise PermissionDenied("Only the mentor gives the mentor's rating.")
    if mentorship.status != "completed":
        raise Conflict("The outcome is asked for when the mentorship is completed.")
    if mentorship.mentor_rating is not None:
        raise Conflict("You have already rated this mentorship.")
    mentorship.mentor_rating = _check_rating(rating)
    mentorship.mentor_outcome = (note or "").strip() or None
    db.session.flush()
    record_audit(actor, "mentorship.mentor_outcome", mentorship, after={"rating": rating})
    return mentorship


def _store_student_outcome(mentorship: Mentorship, rating: int, note: str | None, by: str
                           ) -> None:
    if mentorship.status != "completed":
        raise Conflict("The outcome is asked for when the mentorship is completed.")
    if mentorship.student_rating is not None:
        raise Conflict("The student's rating is already recorded.")
    mentorship.student_rating = _check_rating(rating)
    mentorship.student_outcome = (note or "").strip() or None
    mentorship.student_outcome_by = by
    mentorship.student_token_hash = None  # the link is spent either way
    mentorship.student_token_expires = None
    db.session.flush()


def record_student_outcome(mentorship: Mentorship, rating: int, note: str | None, *,
                           actor: Any) -> Mentorship:
    """The office records the student's rating (e.g. given on paper or in person)."""
    require_writer(actor)
    if not in_scope(mentorship, actor):
        raise NotFound("No such mentorship.")
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


def mentorship_for_outcome_token(raw: str) -> Mentorship | None:
    """The completed mentorship a still-valid student link belongs to, or None."""
    mentorship = db.session.scalar(
        select(Mentorship).where(Mentorship.student_token_hash == hash_token(raw or "")))
    if mentorship is None or as_utc(mentorship.student_token_expires) < utcnow():
        return None
    return mentorship


def record_student_outcome_by_link(raw: str, rating: int, note: str | None) -> Mentorship:
    """The student answers from the one-time link e-mailed at completion."""
    mentorship = mentorship_for_outcome_token(raw)
    if mentorship is None:
        raise NotFound("This link is not valid any more.")
    _store_student_outcome(mentorship, rating, note, "link")
    record_audit(SimpleNamespace(id=None, email="student (one-time link)"),
                 "mentorship.student_outcome", mentorship, after={"rating": rating, "by": "link"})
    return mentorship


# --- e-mail notices (sent by the caller after it commits) ---------------------------------


def notify_mentor_of_proposal(mentorship: Mentorship) -> bool:
    """E-mail the mentor that a student was proposed; False when the mentor has no e-mail."""
    alumnus = mentorship.mentor.alumnus
    if not alumnus.email:
        return False
    send_email(render_email(
        "mentorship_proposed", to=alumnus.email,
        subject=f"Will you mentor {mentorship.student.given_name}?",
        mentorship=mentorship, alumnus=alumnus, student=mentorship.student,
        link=external_url("mentoring.me_mentorship", mentorship_id=mentorship.id)))
    return True


def send_outcome_request(mentorship: Mentorship, raw_token: str) -> None:
    """E-mail the student the one-time rating link (after the caller committed the link)."""
    student = mentorship.student
    send_email(render_email(
        "mentoring_outcome", to=student.email,
        subject="How did your mentoring go?", mentorship=mentorship, student=student,
        days=OUTCOME_LINK_DAYS,
        link=external_url("mentoring.student_outcome", token=raw_token)))


# --- reading ------------------------------------------------------------------------------


def mentorships_of_mentor(alumnus: Alumnus) -> list[Mentorship]:
    return list(db.session.scalars(
        select(Mentorship).join(MentorProfile, Mentorship.mentor_id == MentorProfile.id)
        .where(MentorProfile.alumnus_id == alumnus.id)
        .order_by(Mentorship.proposed_at.desc())))


def own_mentorship(mentorship_id: int, actor: Any) -> Mentorship:
    """A mentorship of the signed-in alumnus as mentor; NotFound for anyone else's."""
    mentorship = db.session.get(Mentorship, mentorship_id)
    if mentorship is None or not is_mentor_of(mentorship, actor):
        raise NotFound("No such mentorship.")
    return mentorship


@dataclass
class ProgrammeFigures:
    programme: Programme | None
    students: int = 0
    mentored: int = 0  # students with an accepted, active or completed mentorship
    active_pairs: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def share(self) -> float | None:
        return round(100 * self.mentored / self.students, 1) if self.students else None


MENTORED_STATES = ("accepted", "active", "completed")


def programme_figures(actor: Any) -> tuple[list[ProgrammeFigures], ProgrammeFigures, int]:
    """Per programme and in total: students, students mentored, active pairs, hours.

    Returns (rows, total, active mentors).
    """
    programmes = list(db.session.scalars(
        scope(select(Programme), Programme, actor).order_by(Programme.code)))
    rows = {p.id: ProgrammeFigures(p) for p in programmes}

    def per_programme(stmt):
        return dict(db.session.execute(stmt).all())

    students = per_programme(scope(select(Student.programme_id, func.count(Student.id)),
                                   Student, actor).group_by(Student.programme_id))
    mentored = per_programme(
        scope(select(Student.programme_id, func.count(distinct(Student.id))), Student, actor)
        .join(Mentorship, Mentorship.student_id == Student.id)
        .where(Mentorship.status.in_(MENTORED_STATES)).group_by(Student.programme_id))
    active = per_programme(
        scope(select(Student.programme_id, func.count(Mentorship.id)), Student, actor)
        .join(Mentorship, Mentorship.student_id == Student.id)
        .where(Mentorship.status == "active").group_by(Student.programme_id))
    minutes = per_programme(
        scope(select(Student.programme_id, func.sum(MentoringSession.minutes)), Student, actor)
        .join(Mentorship, Mentorship.student_id == Student.id)
        .join(MentoringSession, MentoringSession.mentorship_id == Mentorship.id)
        .group_by(Student.programme_id))
    total = ProgrammeFigures(None)
    for pid, row in rows.items():
        row.students = students.get(pid, 0)
        row.mentored = mentored.get(pid, 0)
        row.active_pairs = active.get(pid, 0)
        row.minutes = int(minutes.get(pid) or 0)
        total.students += row.students
        total.mentored += row.mentored
        total.active_pairs += row.active_pairs
        total.minutes += row.minutes
    mentors = db.session.scalar(
        scope(select(func.count(distinct(Mentorship.mentor_id))), Mentorship, actor)
        .where(Mentorship.status == "active")) or 0
    return list(rows.values()), total, mentors
