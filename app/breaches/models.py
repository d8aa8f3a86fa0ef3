"""A breach, the jurisdictions it concerns (each with its notification clock), and the
notifications made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, utcnow
from app.core.i18n import N_

RECIPIENT_KINDS = {  # translated where shown (gettext), the stored code stays
    "authority": N_("The data-protection authority"),
    "people": N_("The people affected"),
    "no_notice": N_("Decided not to notify the authority (say why)"),
    "other": N_("Someone else (partner, insurer, police)"),
}


class Breach(Base):
    __tablename__ = "breach"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    what_happened: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime | None] = mapped_column()
    discovered_at: Mapped[datetime] = mapped_column(index=True)
    # When the office determined that the breach must be notified (Singapore counts from it).
    assessed_at: Mapped[datetime | None] = mapped_column()
    data_affected: Mapped[str] = mapped_column(Text)
    people_affected: Mapped[int | None] = mapped_column(Integer)
    people_description: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    lessons: Mapped[str | None] = mapped_column(Text)

    jurisdictions: Mapped[list[BreachJurisdiction]] = relationship(
        back_populates="breach", order_by="BreachJurisdiction.country",
        cascade="all, delete-orphan")
    notifications: Mapped[list[BreachNotification]] = relationship(
        back_populates="breach", order_by="BreachNotification.notified_at",
        cascade="all, delete-orphan")


class BreachJurisdiction(Base):
    """A country whose law applies, with when its authority must be told (None: the law
    fixes no hours) and when it was (or when the office decided not to)."""

    __tablename__ = "breach_jurisdiction"
    __table_args__ = (UniqueConstraint("breach_id", "country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    breach_id: Mapped[int] = mapped_column(ForeignKey("breach.id"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    settled_at: Mapped[datetime | None] = mapped_column()

    breach: Mapped[Breach] = relationship(back_populates="jurisdictions")


class BreachNotification(Base):
    __tablename__ = "breach_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    breach_id: Mapped[int] = mapped_column(ForeignKey("breach.id"), index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    recipient_kind: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(200))
    notified_at: Mapped[datetime] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    breach: Mapped[Breach] = relationship(back_populates="notifications")
