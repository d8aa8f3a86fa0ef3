"""Mentor profiles (alumni), students (mentees), mentorships and their session log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, InstitutionOwned, TimestampMixin, utcnow
from app.core.i18n import N_

# ISIC Rev.4 sections, the industries a mentor works in or a student aims at. The words of
# these lists are translated where a page shows them (exports keep the English word).
INDUSTRIES = {
    "A": N_("Agriculture, forestry and fishing"),
    "B": N_("Mining and quarrying"),
    "C": N_("Manufacturing"),
    "D": N_("Electricity, gas and steam"),
    "E": N_("Water, sewerage and waste"),
    "F": N_("Construction"),
    "G": N_("Wholesale and retail trade"),
    "H": N_("Transport and storage"),
    "I": N_("Accommodation and food service"),
    "J": N_("Information and communication"),
    "K": N_("Finance and insurance"),
    "L": N_("Real estate"),
    "M": N_("Professional, scientific and technical"),
    "N": N_("Administrative and support services"),
    "O": N_("Public administration"),
    "P": N_("Education"),
    "Q": N_("Health and social work"),
    "R": N_("Arts, entertainment and recreation"),
    "S": N_("Other services"),
}

# ISO 639-1 codes of the languages mentoring happens in across the region.
LANGUAGES = {
    "en": "English",
    "ms": "Malay",
    "id": "Indonesian",
    "th": "Thai",
    "vi": "Vietnamese",
    "km": "Khmer",
    "my": "Burmese",
    "lo": "Lao",
    "fil": "Filipino",
    "zh": "Chinese",
    "ta": "Tamil",
}

SESSION_MODES = {
    "in_person": N_("In person"),
    "video": N_("Video call"),
    "phone": N_("Phone"),
    "chat": N_("Chat / messages"),
}

MENTORSHIP_STATES = {
    "proposed": N_("Proposed"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "active": N_("Active"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}
# States that hold one of the mentor's places (a proposal reserves the place it asks for).
OPEN_STATES = ("proposed", "accepted", "active")


def split_codes(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def join_codes(values) -> str:
    return ",".join(sorted({v.strip() for v in values or () if v and v.strip()}))


class CodeLists:
    """The industries and languages of a mentor or a student, kept as comma-separated codes."""

    @property
    def industry_list(self) -> list[str]:
        return split_codes(self.industries)

    @property
    def language_list(self) -> list[str]:
        return split_codes(self.languages)


class MentorProfile(CodeLists, InstitutionOwned, TimestampMixin, Base):
    """An alumnus who offers mentoring; `load` counts the places in use (open mentorships)."""

    __tablename__ = "mentor_profile"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("load >= 0", name="load_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), unique=True)
    expertise: Mapped[str] = mapped_column(Text, default="")  # comma-separated tags, folded
    industries: Mapped[str] = mapped_column(String(200), default="")  # ISIC sections
    languages: Mapped[str] = mapped_column(String(200), default="")  # ISO 639-1
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    load: Mapped[int] = mapped_column(Integer, default=0)
    available: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    about: Mapped[str | None] = mapped_column(Text)

    alumnus = relationship("Alumnus")
    mentorships: Mapped[list[Mentorship]] = relationship(back_populates="mentor")

    @property
    def expertise_list(self) -> list[str]:
        return split_codes(self.expertise)

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.load)


class Student(CodeLists, InstitutionOwned, TimestampMixin, Base):
    """A current student, who may be mentored by an alumnus."""

    __tablename__ = "student"
    __table_args__ = (UniqueConstraint("institution_id", "student_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_number: Mapped[str] = mapped_column(String(40))
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str | None] = mapped_column(String(120), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    expected_graduation: Mapped[date | None] = mapped_column(Date)
    industries: Mapped[str] = mapped_column(String(200), default="")  # industries aimed at
    languages: Mapped[str] = mapped_column(String(200), default="")

    programme = relationship("Programme")
    mentorships: Mapped[list[Mentorship]] = relationship(
        back_populates="student", order_by="Mentorship.proposed_at.desc()"
    )

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)


class Mentorship(InstitutionOwned, TimestampMixin, Base):
    """A mentor and a student; moves through MENTORSHIP_STATES (see services.TRANSITIONS)."""

    __tablename__ = "mentorship"
    __table_args__ = (
        CheckConstraint("mentor_rating IS NULL OR mentor_rating BETWEEN 1 AND 5",
                        name="mentor_rating_range"),
        CheckConstraint("student_rating IS NULL OR student_rating BETWEEN 1 AND 5",
                        name="student_rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentor_profile.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    goals: Mapped[str | None] = mapped_column(Text)
    match_score: Mapped[int | None] = mapped_column(Integer)
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    responded_at: Mapped[datetime | None] = mapped_column()
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    status_note: Mapped[str | None] = mapped_column(Text)
    mentor_rating: Mapped[int | None] = mapped_column(Integer)
    mentor_outcome: Mapped[str | None] = mapped_column(Text)
    student_rating: Mapped[int | None] = mapped_column(Integer)
    student_outcome: Mapped[str | None] = mapped_column(Text)
    student_outcome_by: Mapped[str | None] = mapped_column(String(20))  # link | officer
    student_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    student_token_expires: Mapped[datetime | None] = mapped_column()

    mentor: Mapped[MentorProfile] = relationship(back_populates="mentorships")
    student: Mapped[Student] = relationship(back_populates="mentorships")
    sessions: Mapped[list[MentoringSession]] = relationship(
        back_populates="mentorship", order_by="MentoringSession.held_on"
    )

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)


class MentoringSession(InstitutionOwned, Base):
    """One meeting of a mentorship: the session log."""

    __tablename__ = "mentoring_session"
    __table_args__ = (CheckConstraint("minutes > 0", name="minutes_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(ForeignKey("mentorship.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mentorship: Mapped[Mentorship] = relationship(back_populates="sessions")
