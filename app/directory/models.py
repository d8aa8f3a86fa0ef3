"""What a listed alumnus shows in the directory, and the opaque token of their page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, InstitutionOwned, utcnow
from app.core.i18n import N_

# The fields a listed alumnus may show, with the default of each: programme and cohort are
# shown unless the person hides them; the rest only when the person chooses to show them.
# The name is always shown: a listing without a name finds no one.
# Labels translated where shown (the directory pages).
DIRECTORY_FIELDS = {
    "programme": (N_("Programme"), True),
    "cohort": (N_("Cohort (year of graduation)"), True),
    "employer": (N_("Current employer"), False),
    "industry": (N_("Industry of my current employer"), False),
    "city": (N_("City I live in"), False),
    "email": (N_("E-mail address"), False),
}


class DirectoryProfile(InstitutionOwned, Base):
    """One per alumnus who opted in (kept when they leave, so their choices come back)."""

    __tablename__ = "directory_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), unique=True)
    # Random, not derived from the record id: a person's page cannot be guessed or counted.
    token: Mapped[str] = mapped_column(String(32), unique=True)
    # The folded names only (the register's search text also holds the e-mail address and
    # student number, which the directory must not match on).
    name_text: Mapped[str] = mapped_column(Text, default="")
    show_programme: Mapped[bool] = mapped_column(Boolean, default=True)
    show_cohort: Mapped[bool] = mapped_column(Boolean, default=True)
    show_employer: Mapped[bool] = mapped_column(Boolean, default=False)
    show_industry: Mapped[bool] = mapped_column(Boolean, default=False)
    show_city: Mapped[bool] = mapped_column(Boolean, default=False)
    show_email: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    alumnus = relationship("Alumnus")

    def shows(self, field: str) -> bool:
        return bool(getattr(self, f"show_{field}"))
