"""Suggested mentors for a student, ranked by a documented score.

    score = P + I + L + C − S

    P  programme   40 when the mentor graduated from the student's programme,
                   else 20 when the programmes share a study area, else 0
    I  industry    10 per industry the student aims at that the mentor works in, at most 20
    L  language    15 when they share a language, else 0
    C  capacity    15 × remaining places / capacity
    S  load share  30 × the mentor's open mentorships / all open mentorships of the
                   institution's mentors (0 while nobody mentors), so the most popular
                   mentors are not piled on

Only available mentors with a free place are suggested, never one already paired with the
student. Ties go to the mentor with fewer mentees now, then the earlier profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.alumni.models import Alumnus
from app.core.permissions import scope
from app.extensions import db
from app.mentoring.models import OPEN_STATES, MentorProfile, Mentorship, Student

WEIGHTS = {
    "same_programme": 40,
    "same_study_area": 20,
    "per_industry": 10,
    "industry_cap": 20,
    "language": 15,
    "capacity": 15,
    "load_share": 30,
}
FORMULA = __doc__.split("\n\n")[1].strip("\n")  # the block above, shown on the page


@dataclass
class MentorMatch:
    mentor: MentorProfile
    score: float
    parts: dict[str, float]
    shared_industries: list[str]
    shared_languages: list[str]


def score_mentor(student: Student, mentor: MentorProfile, total_load: int) -> MentorMatch:
    """The score of one mentor for one student, with its parts."""
    w = WEIGHTS
    mentor_programme = mentor.alumnus.programme
    if mentor_programme is not None and mentor_programme.id == student.programme_id:
        programme = w["same_programme"]
    elif mentor_programme is not None and mentor_programme.study_area == \
            student.programme.study_area:
        programme = w["same_study_area"]
    else:
        programme = 0
    industries = sorted(set(student.industry_list) & set(mentor.industry_list))
    languages = sorted(set(student.language_list) & set(mentor.language_list))
    parts = {
        "programme": float(programme),
        "industry": float(min(w["per_industry"] * len(industries), w["industry_cap"])),
        "language": float(w["language"] if languages else 0),
        "capacity": round(w["capacity"] * mentor.remaining / mentor.capacity, 2)
        if mentor.capacity else 0.0,
        # 0.0 minus: a mentor without students gets 0.0, not -0.0
        "load_share": 0.0 - round(w["load_share"] * mentor.load / total_load, 2)
        if total_load else 0.0,
    }
    return MentorMatch(mentor, round(sum(parts.values()), 2), parts, industries, languages)


def institution_load(institution_id: int) -> int:
    """All open mentorships of the institution's mentors (the denominator of the load share)."""
    return db.session.scalar(
        select(func.coalesce(func.sum(MentorProfile.load), 0)).where(
            MentorProfile.institution_id == institution_id)) or 0


def suggest_mentors(student: Student, *, actor: Any, limit: int = 10) -> list[MentorMatch]:
    """Available mentors of the student's institution with a free place, best first."""
    base = scope(select(MentorProfile), MentorProfile, actor).where(
        MentorProfile.institution_id == student.institution_id)
    total_load = institution_load(student.institution_id)
    paired = select(Mentorship.mentor_id).where(
        Mentorship.student_id == student.id, Mentorship.status.in_(OPEN_STATES))
    candidates = db.session.scalars(
        base.where(MentorProfile.available.is_(True),
                   MentorProfile.load < MentorProfile.capacity,
                   MentorProfile.id.not_in(paired))
        .join(Alumnus, MentorProfile.alumnus_id == Alumnus.id)
        .where(Alumnus.archived_at.is_(None), Alumnus.status == "active")
        .options(joinedload(MentorProfile.alumnus).joinedload(Alumnus.programme))
    ).all()
    matches = [score_mentor(student, m, total_load) for m in candidates]
    matches.sort(key=lambda m: (-m.score, m.mentor.load, m.mentor.id))
    return matches[:limit]
