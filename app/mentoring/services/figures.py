"""Reading: a mentor's mentorships, and the programme view figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, distinct, func, select

from app.alumni.models import Alumnus, Programme
from app.core.errors import NotFound
from app.core.permissions import scope
from app.engagement.services import day_window, latest_activity
from app.extensions import db
from app.mentoring.models import (
    MentoringSession,
    MentorProfile,
    Mentorship,
    Student,
)
from app.mentoring.services.workflow import is_mentor_of

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


def mentoring_activity(institution_id: int, since: date, until: date, alumnus: Any = None
                       ) -> list[Select]:
    """Engagement source (SQL): (alumnus id, when) of mentors who held a session, and of
    mentors who accepted a student, in the window."""
    start, end = day_window(since, until)
    mine = [MentorProfile.institution_id == institution_id]
    if alumnus is not None:
        mine.append(MentorProfile.alumnus_id == alumnus)
    sessions = (select(MentorProfile.alumnus_id, MentoringSession.held_on)
                .join(Mentorship, Mentorship.mentor_id == MentorProfile.id)
                .join(MentoringSession, MentoringSession.mentorship_id == Mentorship.id)
                .where(*mine, MentoringSession.held_on >= since,
                       MentoringSession.held_on <= until))
    accepted = (select(MentorProfile.alumnus_id, Mentorship.responded_at)
                .join(Mentorship, Mentorship.mentor_id == MentorProfile.id)
                .where(*mine, Mentorship.status.in_(MENTORED_STATES),
                       Mentorship.responded_at >= start, Mentorship.responded_at < end))
    return [sessions, accepted]


def engaged_mentors(institution_id: int, since: date, until: date) -> list[tuple[int, date]]:
    """(alumnus id, latest date) of mentors who accepted a student or held a session."""
    return latest_activity(mentoring_activity(institution_id, since, until))
