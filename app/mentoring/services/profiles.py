"""Mentor profiles (alumni opt in) and students (the mentees)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext, ngettext
from sqlalchemy import func, select

from app.alumni.models import Alumnus, Institution, Programme
from app.alumni.text import fold
from app.core.audit import add_with_audit, change_with_audit
from app.core.email_words import address_problem
from app.core.errors import ValidationFailed
from app.core.panels import read_once
from app.core.permissions import require_own_institution, require_self, require_writer_in_scope
from app.extensions import db
from app.mentoring.models import (
    INDUSTRIES,
    LANGUAGES,
    MentorProfile,
    Student,
    join_codes,
)

STUDENT_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$")
MAX_CAPACITY = 10


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
    require_self(alumnus, actor, gettext("You can change your own mentoring offer only."))


def _clean_tags(text: str) -> str:
    tags = {fold(t).strip() for t in (text or "").split(",")}
    tags = {t[:40] for t in tags if t}
    return ",".join(sorted(tags))


def mentor_profile_for(alumnus: Alumnus) -> MentorProfile | None:
    """The alumnus's mentor profile, if any (read once for a page's panels and timeline)."""
    return read_once("mentor_profile", alumnus, lambda: db.session.scalar(
        select(MentorProfile).where(MentorProfile.alumnus_id == alumnus.id)))


def save_mentor_profile(alumnus: Alumnus, data: MentorProfileData, *, actor: Any
                        ) -> MentorProfile:
    """An alumnus opts in as a mentor, or changes their offer (never another's)."""
    _own_alumnus_or_denied(alumnus, actor)
    errors: dict[str, str] = {}
    if any(i not in INDUSTRIES for i in data.industries):
        errors["industries"] = gettext("Choose industries from the list.")
    if any(lang not in LANGUAGES for lang in data.languages):
        errors["languages"] = gettext("Choose languages from the list.")
    if not data.languages:
        errors["languages"] = gettext("Choose at least one language you can mentor in.")
    capacity = data.capacity if data.capacity is not None else -1
    if not 0 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = gettext("Between 0 and %(max)s mentees at once.", max=MAX_CAPACITY)
    profile = mentor_profile_for(alumnus)
    if profile is not None and 0 <= capacity < profile.load:
        errors["capacity"] = ngettext(
            "You mentor or have been asked to mentor %(num)d student now; the number cannot "
            "be lower than that.",
            "You mentor or have been asked to mentor %(num)d students now; the number cannot "
            "be lower than that.", profile.load)
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
        return add_with_audit(profile, "mentor.create", actor)
    return change_with_audit(profile, values, "mentor.update", actor)


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
        errors["student_number"] = gettext(
            "Use letters and digits (dots, dashes, slashes inside).")
    else:
        stmt = select(Student.id).where(Student.institution_id == institution_id,
                                        func.lower(Student.student_number) == number.lower())
        if exclude_id is not None:
            stmt = stmt.where(Student.id != exclude_id)
        if db.session.scalar(stmt) is not None:
            errors["student_number"] = gettext(
                "Another student of this institution has this number.")
    given = (data.given_name or "").strip()
    if not given:
        errors["given_name"] = gettext("The given name is required.")
    email = (data.email or "").strip() or None
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["email"] = gettext("That e-mail address is not valid: %(reason)s",
                                      reason=address_problem(exc))
    programme = db.session.get(Programme, data.programme_id) if data.programme_id else None
    if programme is None or programme.institution_id != institution_id:
        errors["programme_id"] = gettext("Choose a programme of this institution.")
    if any(i not in INDUSTRIES for i in data.industries):
        errors["industries"] = gettext("Choose industries from the list.")
    if any(lang not in LANGUAGES for lang in data.languages):
        errors["languages"] = gettext("Choose languages from the list.")
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
    require_own_institution(
        actor, institution.id, "You can add students to your own institution only.")
    student = Student(institution_id=institution.id, **_clean_student(data, institution.id, None))
    return add_with_audit(student, "student.create", actor)


def update_student(student: Student, data: StudentData, *, actor: Any) -> Student:
    """Correct a student's record."""
    require_writer_in_scope(actor, student, message="No such student.")
    values = _clean_student(data, student.institution_id, student.id)
    return change_with_audit(student, values, "student.update", actor)
