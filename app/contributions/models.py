"""Contributions of money and in kind, their receipts, and the receipt counters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, InstitutionOwned, TimestampMixin
from app.core.i18n import N_

# Translated where shown (the records behind a figure); exports keep the English words.
KINDS = {"monetary": N_("Money"), "in_kind": N_("In kind")}
NOT_VOIDED = text("voided_at IS NULL")

DONOR_KINDS = {
    "alumnus": N_("An alumnus (personally)"),
    "organisation": N_("An employer or other organisation"),
}

# Translated where shown (the receipt e-mail, the alumnus's timeline, the staff pages); exports
# keep the English words.
CATEGORIES = {
    "donation": N_("Donation (money)"),
    "scholarship": N_("Scholarship"),
    "equipment": N_("Equipment"),
    "materials": N_("Materials"),
    "guest_lecture": N_("Guest lecture"),
    "internship": N_("Internship placement"),
    "job_posting": N_("Job posting"),
    "training": N_("Training"),
    "mou": N_("Memorandum of understanding (MOU)"),
    "hire": N_("Hire of a graduate"),
    "other": N_("Other"),
}
# Which categories fit which kind: money is a donation, a scholarship fund or other.
MONETARY_CATEGORIES = ("donation", "scholarship", "other")
IN_KIND_CATEGORIES = tuple(c for c in CATEGORIES if c != "donation")
# Industry links an alumnus enabled (E5): counted on the linkages summary.
LINKAGE_CATEGORIES = ("internship", "job_posting", "mou", "hire", "guest_lecture")


class Contribution(InstitutionOwned, TimestampMixin, Base):
    """Something given to the institution: money, or goods, time and links in kind.

    The donor is an alumnus or an organisation (an employer). `alumnus_id` is the alumnus
    credited: the giver, or for an organisation's gift the alumnus who enabled it (a linkage).
    """

    __tablename__ = "contribution"
    __table_args__ = (
        CheckConstraint("kind IN ('monetary', 'in_kind')", name="kind_known"),
        CheckConstraint("kind <> 'monetary' OR (amount > 0 AND currency IS NOT NULL)",
                        name="money_has_amount"),
        # The totals page's three grouped sums (E4) read these instead of the table: each
        # holds the columns its sum reads (`voided_at` too, which SQLite checks from the
        # index only when the index holds it), the money one in the order of its grouping.
        Index("ix_contribution_money_totals", "institution_id", "kind", "currency", "category",
              "receipt_year", "amount", "voided_at", sqlite_where=NOT_VOIDED,
              postgresql_where=NOT_VOIDED),
        Index("ix_contribution_in_kind_totals", "institution_id", "kind", "category",
              "value_currency", "receipt_year", "quantity", "hours", "estimated_value",
              "voided_at", sqlite_where=NOT_VOIDED, postgresql_where=NOT_VOIDED),
        Index("ix_contribution_donors", "institution_id", "donor_kind", "alumnus_id",
              "organisation_key", "receipt_year", "voided_at", sqlite_where=NOT_VOIDED,
              postgresql_where=NOT_VOIDED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    donor_kind: Mapped[str] = mapped_column(String(20), index=True)
    alumnus_id: Mapped[int | None] = mapped_column(ForeignKey("alumnus.id"), index=True)
    # An organisation is kept by name as given (for the receipt) and by its normalised name
    # (for counting donors); when the employer register has it, the gift links to it too.
    organisation_name: Mapped[str | None] = mapped_column(String(200))
    organisation_key: Mapped[str | None] = mapped_column(String(200), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    category: Mapped[str] = mapped_column(String(30), index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    # money
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3), index=True)
    purpose: Mapped[str | None] = mapped_column(String(200))  # the fund or purpose
    # in kind
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int | None] = mapped_column(Integer)
    estimated_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    value_currency: Mapped[str | None] = mapped_column(String(3))
    valuation_basis: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    # receipt and acknowledgement
    receipt_number: Mapped[str] = mapped_column(String(40), unique=True)
    receipt_year: Mapped[int] = mapped_column(Integer, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    acknowledged_to: Mapped[str | None] = mapped_column(String(254))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    # A mistaken record is voided, never deleted: its receipt number stays used (no gap).
    voided_at: Mapped[datetime | None] = mapped_column(index=True)
    void_reason: Mapped[str | None] = mapped_column(Text)

    alumnus = relationship("Alumnus")
    employer = relationship("Employer")
    institution = relationship("Institution")

    @property
    def donor_label(self) -> str:
        if self.donor_kind == "organisation":
            return self.organisation_name or "—"
        return self.alumnus.display_name if self.alumnus else "—"

    @property
    def is_linkage(self) -> bool:
        return self.category in LINKAGE_CATEGORIES and self.alumnus_id is not None

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class ReceiptCounter(Base):
    """The last receipt number used per institution and year (one row, locked to take one)."""

    __tablename__ = "receipt_counter"
    __table_args__ = (UniqueConstraint("institution_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
