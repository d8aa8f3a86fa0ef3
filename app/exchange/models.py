"""Exchange batches, bilateral agreements, participations and credit rules.

Every record is kept by one institution (`institution_id`, the owner: the home institution
of the officer who keeps the register). Partner institutions are `Institution` rows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.alumni.models import Alumnus, Institution
from app.core.db import Base, InstitutionOwned, TimestampMixin, utcnow
from app.core.i18n import N_

# Translated where shown (the staff pages); exports keep the English words.
MODES = {"virtual": N_("Virtual"), "physical": N_("Physical (on site)"), "blended": N_("Blended")}

AGREEMENT_STATUSES = {
    "draft": N_("Draft"),
    "signed": N_("Signed"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}

# Translated where shown (the records behind a figure); exports keep the English words.
DIRECTIONS = {"outgoing": N_("Outgoing (our student goes out)"),
              "incoming": N_("Incoming (a partner's student comes in)")}

# Translated where the alumnus's pages show them (exports keep the English word).
PARTICIPATION_STATUSES = {
    "nominated": N_("Nominated"),
    "accepted": N_("Accepted"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
    "withdrawn": N_("Withdrawn"),
}

# The allowed moves; completed and withdrawn are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "nominated": ("accepted", "withdrawn"),
    "accepted": ("in_progress", "withdrawn"),
    "in_progress": ("completed", "withdrawn"),
    "completed": (),
    "withdrawn": (),
}

PERFORMANCE_RESULTS = {
    "excellent": N_("Excellent"),
    "very_good": N_("Very good"),
    "good": N_("Good"),
    "satisfactory": N_("Satisfactory"),
    "unsatisfactory": N_("Unsatisfactory"),
}

ROUNDING_MODES = {
    "down": N_("Round down to a whole credit"),
    "nearest": N_("Round to the nearest whole credit (halves up)"),
    "up": N_("Round up to a whole credit"),
    "half_down": N_("Round down to a half credit"),
}


class ExchangeBatch(InstitutionOwned, TimestampMixin, Base):
    """One batch of an exchange programme, e.g. SEAMEO TVET Exchange 2022, batch 1, virtual."""

    __tablename__ = "exchange_batch"
    __table_args__ = (UniqueConstraint("institution_id", "year", "batch_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, index=True)
    batch_number: Mapped[int] = mapped_column(Integer, default=1)
    mode: Mapped[str] = mapped_column(String(20), index=True)
    window_start: Mapped[date | None] = mapped_column(Date)
    window_end: Mapped[date | None] = mapped_column(Date)
    coordinator: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    agreements: Mapped[list[ExchangeAgreement]] = relationship(
        back_populates="batch", order_by="ExchangeAgreement.id"
    )
    participations: Mapped[list[ExchangeParticipation]] = relationship(
        back_populates="batch", order_by="ExchangeParticipation.family_name"
    )

    @property
    def label(self) -> str:
        return f"{self.name} ({self.year}, batch {self.batch_number})"


class ExchangeAgreement(InstitutionOwned, TimestampMixin, Base):
    """A bilateral agreement between two institutions for one batch."""

    __tablename__ = "exchange_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("exchange_batch.id"), index=True)
    first_institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    second_institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    duration_days: Mapped[int | None] = mapped_column(Integer)
    hours_per_day: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    places_first_to_second: Mapped[int] = mapped_column(Integer, default=0)
    places_second_to_first: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    signed_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    batch: Mapped[ExchangeBatch] = relationship(back_populates="agreements")
    first_institution: Mapped[Institution] = relationship(foreign_keys=[first_institution_id])
    second_institution: Mapped[Institution] = relationship(foreign_keys=[second_institution_id])
    document: Mapped[AgreementDocument | None] = relationship(
        back_populates="agreement", uselist=False
    )

    @property
    def label(self) -> str:
        return f"{self.first_institution.code} ⇄ {self.second_institution.code}"


class AgreementDocument(Base):
    """The signed agreement file, kept in the database (every app server can serve it)."""

    __tablename__ = "exchange_agreement_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_agreement.id", ondelete="CASCADE"), unique=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    agreement: Mapped[ExchangeAgreement] = relationship(back_populates="document")


class ExchangeParticipation(InstitutionOwned, TimestampMixin, Base):
    """One person's exchange: our student going out, or a partner's student coming in.

    The person's own details stay on the record; `alumnus_id` is set when a person of the
    sending institution is (or later becomes) an alumnus with the same student number.
    """

    __tablename__ = "exchange_participation"
    __table_args__ = (
        UniqueConstraint("batch_id", "sending_institution_id", "student_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("exchange_batch.id"), index=True)
    direction: Mapped[str] = mapped_column(String(10), index=True)
    student_number: Mapped[str] = mapped_column(String(40), index=True)
    given_name: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    programme_code: Mapped[str | None] = mapped_column(String(30))
    alumnus_id: Mapped[int | None] = mapped_column(ForeignKey("alumnus.id"), index=True)
    sending_institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    receiving_institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id"), index=True
    )
    study_area: Mapped[str] = mapped_column(String(30), index=True)
    level: Mapped[str | None] = mapped_column(String(30))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    project: Mapped[str | None] = mapped_column(String(300))
    mentor_teacher: Mapped[str | None] = mapped_column(String(200))
    e_buddy: Mapped[str | None] = mapped_column(String(200))
    industry_partner: Mapped[str | None] = mapped_column(String(200))
    performance_result: Mapped[str | None] = mapped_column(String(20))
    evaluation_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    certificate_number: Mapped[str | None] = mapped_column(String(60), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="nominated", index=True)
    withdrawn_from: Mapped[str | None] = mapped_column(String(20))
    status_changed_at: Mapped[datetime | None] = mapped_column()
    # Recognition by the sending institution: None = not decided yet.
    credits_recognised: Mapped[bool | None] = mapped_column(Boolean)
    credits: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    recognition_date: Mapped[date | None] = mapped_column(Date)

    batch: Mapped[ExchangeBatch] = relationship(back_populates="participations")
    alumnus: Mapped[Alumnus | None] = relationship()
    sending_institution: Mapped[Institution] = relationship(
        foreign_keys=[sending_institution_id]
    )
    receiving_institution: Mapped[Institution] = relationship(
        foreign_keys=[receiving_institution_id]
    )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)

    @property
    def partner_institution(self) -> Institution:
        """The other side: the receiving institution going out, the sending one coming in."""
        if self.direction == "outgoing":
            return self.receiving_institution
        return self.sending_institution


class CreditRule(InstitutionOwned, TimestampMixin, Base):
    """How an institution converts exchange hours to credits when it recognises them."""

    __tablename__ = "exchange_credit_rule"
    __table_args__ = (UniqueConstraint("institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hours_per_credit: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    rounding: Mapped[str] = mapped_column(String(20), default="down")
    max_credits: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    min_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
