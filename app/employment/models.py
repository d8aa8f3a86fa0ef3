"""Employers, employment history, tracer surveys and employer satisfaction surveys."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, InstitutionOwned, TimestampMixin, as_utc, utcnow
from app.core.own_words import own_options, own_words
from app.employment import codes


class Employer(InstitutionOwned, TimestampMixin, Base):
    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Folded name without legal suffixes: "PT. Astra Intl Tbk" and "Astra Intl" meet here.
    normalised_name: Mapped[str] = mapped_column(String(200), index=True)
    isic_section: Mapped[str | None] = mapped_column(String(1), index=True)
    employer_type: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[str | None] = mapped_column(String(10))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))

    employments: Mapped[list[Employment]] = relationship(back_populates="employer")


class Employment(InstitutionOwned, TimestampMixin, Base):
    """One status spell of an alumnus: a job, own business, further study, or no job."""

    __tablename__ = "employment"
    __table_args__ = (
        CheckConstraint("relevance IS NULL OR relevance BETWEEN 1 AND 5", name="relevance_1_5"),
        CheckConstraint("income_amount IS NULL OR income_amount >= 0", name="income_positive"),
        # E1: an alumnus's jobs changed in a window (one correlated lookup per alumnus).
        Index("ix_employment_alumnus_updated", "alumnus_id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # By alumnus: ix_employment_alumnus_updated leads with it.
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"))
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    status: Mapped[str] = mapped_column(String(30))
    hours: Mapped[str | None] = mapped_column(String(10))
    contract: Mapped[str | None] = mapped_column(String(10))
    job_title: Mapped[str | None] = mapped_column(String(200))
    isco_group: Mapped[str | None] = mapped_column(String(1))
    start_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    how_found: Mapped[str | None] = mapped_column(String(30))
    months_to_find: Mapped[int | None] = mapped_column(Integer)
    income_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    income_currency: Mapped[str | None] = mapped_column(String(3))
    income_band: Mapped[str | None] = mapped_column(String(40))
    relevance: Mapped[int | None] = mapped_column(Integer)
    education_level: Mapped[str | None] = mapped_column(String(10))
    workplace_level: Mapped[str | None] = mapped_column(String(20))
    work_country: Mapped[str | None] = mapped_column(String(2))
    work_city: Mapped[str | None] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(10))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("tracer_survey.id"), index=True)

    alumnus = relationship("Alumnus")
    employer: Mapped[Employer | None] = relationship(back_populates="employments")
    survey: Mapped[TracerSurvey | None] = relationship()

    @property
    def current(self) -> bool:
        return self.end_date is None


class TracerSurvey(InstitutionOwned, TimestampMixin, Base):
    __tablename__ = "tracer_survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    reference_months: Mapped[int] = mapped_column(Integer, index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date, index=True)
    introduction: Mapped[str | None] = mapped_column(Text)
    # The title and introduction in further languages, {"th": "…"} (app/core/own_words.py).
    title_translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    introduction_translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    cohorts: Mapped[list[TracerSurveyCohort]] = relationship(
        back_populates="survey", cascade="all, delete-orphan",
        order_by="(TracerSurveyCohort.cohort_year, TracerSurveyCohort.programme_id)",
    )
    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveyQuestion.position"
    )

    def is_open(self, on: date) -> bool:
        return self.opens_on <= on <= self.closes_on

    @property
    def title_in_language(self) -> str:
        """The title in the reader's language (else the institution's default, else as
        entered)."""
        return own_words(self.title, self.title_translations)

    @property
    def introduction_in_language(self) -> str | None:
        return own_words(self.introduction, self.introduction_translations)


class TracerSurveyCohort(Base):
    """One programme and graduation year a survey covers."""

    __tablename__ = "tracer_survey_cohort"
    __table_args__ = (UniqueConstraint("survey_id", "programme_id", "cohort_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("tracer_survey.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    cohort_year: Mapped[int] = mapped_column(Integer)

    survey: Mapped[TracerSurvey] = relationship(back_populates="cohorts")
    # A cohort is always shown by its programme: read in the same statement, not one each.
    programme = relationship("Programme", lazy="joined")


class SurveyQuestion(Base):
    """An institution's own question, asked after the tracer core."""

    __tablename__ = "survey_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("tracer_survey.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(300))
    label_translations: Mapped[dict[str, str] | None] = mapped_column(JSON)  # {"th": "…"}
    kind: Mapped[str] = mapped_column(String(20))
    choices: Mapped[list | None] = mapped_column(JSON)
    # A list question's options in further languages, {"th": ["…", "…"]}: the same order and
    # count as `choices` (app/core/own_words.py `own_options`).
    choices_translations: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    required: Mapped[bool] = mapped_column(Boolean, default=False)

    survey: Mapped[TracerSurvey] = relationship(back_populates="questions")

    @property
    def field_name(self) -> str:
        return f"q_{self.id}"

    @property
    def label_in_language(self) -> str:
        """The question in the reader's language (else the institution's default, else as
        entered)."""
        return own_words(self.label, self.label_translations)

    @property
    def options_in_language(self) -> list[tuple[str, str]]:
        """(the option as entered, what the reader sees) of a list question: the reader's
        language, else the institution's default, else as entered."""
        return own_options(self.choices, self.choices_translations)


class SurveyInvitation(InstitutionOwned, Base):
    """One alumnus invited to one survey, with a one-time link (only its hash is kept)."""

    __tablename__ = "survey_invitation"
    __table_args__ = (
        UniqueConstraint("survey_id", "alumnus_id"),
        # The campaign figures' grouped count (tracer.counts.campaign_stats) reads this index
        # alone, in its groups' order: survey, programme, cohort and the four dates counted.
        Index("ix_survey_invitation_campaign", "survey_id", "programme_id", "cohort_year",
              "sent_at", "undeliverable_at", "responded_at", "reminded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # By survey: the unique (survey_id, alumnus_id) leads with it.
    survey_id: Mapped[int] = mapped_column(ForeignKey("tracer_survey.id"))
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), index=True)
    cohort_year: Mapped[int | None] = mapped_column(Integer)
    email: Mapped[str | None] = mapped_column(String(254))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A reminder carries a fresh link; the link of the first message keeps working too.
    previous_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    reminded_at: Mapped[datetime | None] = mapped_column()
    reminder_count: Mapped[int] = mapped_column(Integer, default=0)
    undeliverable_at: Mapped[datetime | None] = mapped_column(index=True)
    delivery_error: Mapped[str | None] = mapped_column(String(300))
    responded_at: Mapped[datetime | None] = mapped_column(index=True)

    survey: Mapped[TracerSurvey] = relationship()
    alumnus = relationship("Alumnus")
    response: Mapped[SurveyResponse | None] = relationship(back_populates="invitation",
                                                           uselist=False)

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and as_utc(self.expires_at) <= utcnow()


# {competency: (column at graduation, column required now)} on SurveyResponse.
RATING_COLUMNS: dict[str, tuple[str, str]] = {
    key: (f"{key}_at_graduation", f"{key}_required_now") for key in codes.COMPETENCIES}


def rating_column_names() -> list[str]:
    """The fourteen rating columns of SurveyResponse, competency by competency."""
    return [name for pair in RATING_COLUMNS.values() for name in pair]


def rating_check(key: str) -> str:
    """SQL of a competency's check: both levels or neither, each 1-5 (written never to come
    out unknown, which a CHECK lets through)."""
    grad, now = RATING_COLUMNS[key]
    return (f"({grad} IS NULL AND {now} IS NULL) OR ({grad} IS NOT NULL AND {now} IS NOT NULL "
            f"AND {grad} BETWEEN 1 AND 5 AND {now} BETWEEN 1 AND 5)")


class SurveyResponse(InstitutionOwned, Base):
    """The tracer core as typed columns (the indicators read them); own questions as JSON."""

    __tablename__ = "survey_response"
    __table_args__ = (
        CheckConstraint("relevance IS NULL OR relevance BETWEEN 1 AND 5", name="relevance_1_5"),
        # The indicators' latest response per alumnus, and E1's answers in a window.
        Index("ix_survey_response_alumnus_submitted", "alumnus_id", "submitted_at"),
        *(CheckConstraint(rating_check(key), name=f"{key}_rating")
          for key in codes.COMPETENCIES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("tracer_survey.id"), index=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("survey_invitation.id"), unique=True)
    # By alumnus: ix_survey_response_alumnus_submitted leads with it.
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"))
    employment_id: Mapped[int | None] = mapped_column(ForeignKey("employment.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(10))  # link | account | import
    status: Mapped[str] = mapped_column(String(30))
    job_within_6_months: Mapped[bool | None] = mapped_column(Boolean)
    months_to_first_job: Mapped[int | None] = mapped_column(Integer)
    how_found: Mapped[str | None] = mapped_column(String(30))
    employer_type: Mapped[str | None] = mapped_column(String(20))
    employer_name: Mapped[str | None] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    isco_group: Mapped[str | None] = mapped_column(String(1))
    hours: Mapped[str | None] = mapped_column(String(10))
    contract: Mapped[str | None] = mapped_column(String(10))
    start_date: Mapped[date | None] = mapped_column(Date)
    work_country: Mapped[str | None] = mapped_column(String(2))
    work_city: Mapped[str | None] = mapped_column(String(120))
    income_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    income_currency: Mapped[str | None] = mapped_column(String(3))
    relevance: Mapped[int | None] = mapped_column(Integer)
    education_level: Mapped[str | None] = mapped_column(String(10))
    workplace_level: Mapped[str | None] = mapped_column(String(20))
    further_study: Mapped[bool | None] = mapped_column(Boolean)
    further_study_field: Mapped[str | None] = mapped_column(String(200))
    extra_answers: Mapped[dict | None] = mapped_column(JSON)

    # The seven competencies (codes.COMPETENCIES): level at graduation and level required
    # now, 1-5, both or neither (a past study may not have asked about one). Columns of the
    # answer rather than a row per competency: an imported study writes one row per answer.
    ethics_at_graduation: Mapped[int | None] = mapped_column(Integer)
    ethics_required_now: Mapped[int | None] = mapped_column(Integer)
    expertise_at_graduation: Mapped[int | None] = mapped_column(Integer)
    expertise_required_now: Mapped[int | None] = mapped_column(Integer)
    foreign_language_at_graduation: Mapped[int | None] = mapped_column(Integer)
    foreign_language_required_now: Mapped[int | None] = mapped_column(Integer)
    it_at_graduation: Mapped[int | None] = mapped_column(Integer)
    it_required_now: Mapped[int | None] = mapped_column(Integer)
    communication_at_graduation: Mapped[int | None] = mapped_column(Integer)
    communication_required_now: Mapped[int | None] = mapped_column(Integer)
    teamwork_at_graduation: Mapped[int | None] = mapped_column(Integer)
    teamwork_required_now: Mapped[int | None] = mapped_column(Integer)
    self_development_at_graduation: Mapped[int | None] = mapped_column(Integer)
    self_development_required_now: Mapped[int | None] = mapped_column(Integer)

    invitation: Mapped[SurveyInvitation] = relationship(back_populates="response")
    alumnus = relationship("Alumnus")

    @property
    def ratings(self) -> dict[str, tuple[int, int]]:
        """{competency: (at graduation, required now)} of the competencies rated."""
        return ratings_of(self)

    def set_ratings(self, ratings: dict[str, tuple[int, int]]) -> None:
        """Rate these competencies (and no others)."""
        for name, value in rating_values(ratings).items():
            setattr(self, name, value)


assert all(hasattr(SurveyResponse, name) for name in rating_column_names())


def ratings_of(row: Any) -> dict[str, tuple[int, int]]:
    """{competency: (at graduation, required now)} read from an answer or a result row with
    the rating columns; competencies not rated are left out."""
    out = {}
    for key, (grad, now) in RATING_COLUMNS.items():
        g, n = getattr(row, grad, None), getattr(row, now, None)
        if g is not None and n is not None:
            out[key] = (g, n)
    return out


def rating_values(ratings: dict[str, tuple[int, int]]) -> dict[str, int | None]:
    """The fourteen rating columns' values for {competency: (at graduation, required now)};
    a competency not given is None in both."""
    out: dict[str, int | None] = {}
    for key, (grad, now) in RATING_COLUMNS.items():
        out[grad], out[now] = ratings.get(key, (None, None))
    return out


class EmployerFeedbackRequest(InstitutionOwned, Base):
    """A one-time link asking an employer to rate the graduates of one programme."""

    __tablename__ = "employer_feedback_request"
    # Several per employer, programme and year: asking again sends a new link (see
    # app/employment/satisfaction.py: each employer counts once, the latest answer counts).

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    sent_at: Mapped[datetime | None] = mapped_column()
    undeliverable_at: Mapped[datetime | None] = mapped_column()
    responded_at: Mapped[datetime | None] = mapped_column()

    employer: Mapped[Employer] = relationship()
    programme = relationship("Programme")

    @property
    def expired(self) -> bool:
        return as_utc(self.expires_at) <= utcnow()


class EmployerFeedback(InstitutionOwned, Base):
    """An employer's answer: the seven competencies of a programme's graduates, and comments."""

    __tablename__ = "employer_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("employer_feedback_request.id"),
                                                   unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    respondent_name: Mapped[str | None] = mapped_column(String(200))
    respondent_position: Mapped[str | None] = mapped_column(String(200))
    graduates_employed: Mapped[int | None] = mapped_column(Integer)
    comments: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    employer: Mapped[Employer] = relationship()
    programme = relationship("Programme")
    ratings: Mapped[list[EmployerRating]] = relationship(
        back_populates="feedback", cascade="all, delete-orphan"
    )


class EmployerRating(Base):
    __tablename__ = "employer_rating"
    __table_args__ = (UniqueConstraint("feedback_id", "competency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("employer_feedback.id"), index=True)
    competency: Mapped[str] = mapped_column(String(20), index=True)
    level: Mapped[str] = mapped_column(String(10))

    feedback: Mapped[EmployerFeedback] = relationship(back_populates="ratings")
