"""An alumnus's requests to exercise their rights: a copy of their data, erasure."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.alumni.models import Alumnus
from app.core.db import Base, InstitutionOwned, utcnow
from app.core.i18n import N_

# Translated where shown (gettext on the page): the alumnus's words, the office's queue too.
REQUEST_KINDS = {"download": N_("Copy of my data"), "erasure": N_("Erase my data")}
REQUEST_STATUSES = {"open": N_("Open"), "done": N_("Done"), "refused": N_("Refused")}


class RightsRequest(InstitutionOwned, Base):
    """One request, answered by `due_on` (the institution's deadline from the day it came).

    A copy of the data is made by a job and closes the request when the file is ready; an
    erasure waits for the office, who carries it out or refuses it with a reason.
    """

    __tablename__ = "rights_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id"), index=True)
    # The copy's file under instance/exports/ while it is kept (retention removes it).
    file_name: Mapped[str | None] = mapped_column(String(100))

    alumnus: Mapped[Alumnus] = relationship()

    @property
    def kind_label(self) -> str:
        return REQUEST_KINDS.get(self.kind, self.kind)

    def overdue(self, on: date) -> bool:
        return self.status == "open" and self.due_on < on
