"""Curriculum feedback (from alumni or advisory committees), review meetings and decisions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, InstitutionOwned, TimestampMixin, utcnow
from app.core.i18n import N_, format_date

MEETING_KINDS = {  # translated where shown; exports keep the English words
    "advisory_committee": N_("Industry advisory committee"),
    "curriculum_review": N_("Curriculum review meeting"),
    "programme_board": N_("Programme board"),
    "other": N_("Other meeting"),
}

# Translated where shown (the records behind a figure); exports keep the English words.
SOURCES = {
    "alumnus": N_("Alumnus / alumna"),
    "committee": N_("Advisory committee"),
    "employer_survey": N_("Employer survey"),
}

# Translated where the alumnus's pages show them (exports keep the English word).
TOPIC_KINDS = {"module": N_("Module"), "competency": N_("Competency")}

STATUSES = {
    "new": N_("New"),
    "under_review": N_("Under review"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "implemented": N_("Implemented"),
}


class ReviewMeeting(InstitutionOwned, Base):
    """A meeting where curriculum input is heard or decided: an advisory committee, a review."""

    __tablename__ = "review_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    minutes_ref: Mapped[str | None] = mapped_column(String(200))  # where the minutes are filed
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    programme = relationship("Programme")

    @property
    def label(self) -> str:
        """The day and the title, as the exports write them ("05 Dec 2026 — …")."""
        return f"{self.held_on:%d %b %Y} — {self.title}"

    @property
    def label_in_language(self) -> str:
        """The label for a page: the day in the reader's language."""
        return f"{format_date(self.held_on)} — {self.title}"


class CurriculumFeedback(InstitutionOwned, TimestampMixin, Base):
    """One piece of input on a programme's curriculum, and where it stands in the review.

    An alumnus may give it anonymously: `alumnus_id` is kept (for their own list and for
    counting contributors) but staff pages never show who gave it.
    """

    __tablename__ = "curriculum_feedback"
    __table_args__ = (
        CheckConstraint("relevance IS NULL OR relevance BETWEEN 1 AND 5", name="relevance_range"),
        # E1: an alumnus's feedback in a window (one correlated lookup per alumnus).
        Index("ix_curriculum_feedback_alumnus_received", "alumnus_id", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    source: Mapped[str] = mapped_column(String(20), index=True)
    alumnus_id: Mapped[int | None] = mapped_column(ForeignKey("alumnus.id"), index=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("review_meeting.id"), index=True)
    # Employer-survey input: the year the employers were asked about (M11's year), so the
    # pack puts the follow-up next to that year's satisfaction figures.
    survey_year: Mapped[int | None] = mapped_column(Integer, index=True)
    topic_kind: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(200))
    relevance: Mapped[int | None] = mapped_column(Integer)
    skill_gap: Mapped[str | None] = mapped_column(Text)
    suggestion: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)

    programme = relationship("Programme")
    alumnus = relationship("Alumnus")
    meeting: Mapped[ReviewMeeting | None] = relationship()
    decisions: Mapped[list[FeedbackDecision]] = relationship(
        back_populates="feedback", order_by="FeedbackDecision.id"
    )


class FeedbackDecision(InstitutionOwned, Base):
    """One step of the review: from → to, with the note, who, when and the meeting."""

    __tablename__ = "feedback_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("curriculum_feedback.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), index=True)
    note: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("review_meeting.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    feedback: Mapped[CurriculumFeedback] = relationship(back_populates="decisions")
    meeting: Mapped[ReviewMeeting | None] = relationship()
    decided_by = relationship("User")
