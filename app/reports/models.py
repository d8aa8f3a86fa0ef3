"""Minimum wages by country, region and year: kept by the administrator, read by M8 and IKU 2."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, utcnow


class MinimumWage(Base):
    """The monthly minimum wage of a country (region "" = the whole country) in a year."""

    __tablename__ = "minimum_wage"
    __table_args__ = (
        UniqueConstraint("country", "region", "year"),
        Index("ix_minimum_wage_country_year", "country", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    # Folded (lower case, single spaces) so it meets a response's work place as written.
    region: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int] = mapped_column(Integer)
    monthly_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)

    @property
    def region_label(self) -> str:
        return self.region.title() if self.region else "Whole country"
