"""A built evidence pack kept as evidence: its parameters, as-of time, builder, the framework
file's checksum and each file's SHA-256. Rows are written once, when the build ends, and
never changed or deleted through the app (the ORM refuses UPDATE and DELETE)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, InstitutionOwned, utcnow

FORMATS = ("html", "pdf", "xlsx", "csv")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",  # one CSV per annex, in a zip
}


class ReportSnapshot(InstitutionOwned, Base):
    """One evidence pack as built; its files live under the instance folder (`folder`)."""

    __tablename__ = "report_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework: Mapped[str] = mapped_column(String(60), index=True)
    framework_title: Mapped[str] = mapped_column(String(200))
    framework_sha256: Mapped[str] = mapped_column(String(64))
    # Everything the pack was built from: programme ids and codes, cohort years, reference
    # months, the framework's settings; enough to build it again.
    parameters: Mapped[dict] = mapped_column(JSON)
    programme_codes: Mapped[str] = mapped_column(String(500))  # as shown in the list
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    reference_months: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[datetime] = mapped_column()
    built_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    built_by_name: Mapped[str] = mapped_column(String(200))  # as the pack's cover says it
    folder: Mapped[str] = mapped_column(String(200))  # under REPORT_FOLDER
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    files: Mapped[list[SnapshotFile]] = relationship(
        back_populates="snapshot", order_by="SnapshotFile.id")

    @property
    def language(self) -> str:
        """The language of the pack's fixed text (packs built before the choice: English)."""
        return (self.parameters or {}).get("language") or "en"

    @property
    def years_label(self) -> str:
        return (str(self.first_year) if self.first_year == self.last_year
                else f"{self.first_year}–{self.last_year}")


class SnapshotFile(Base):
    """One file of a snapshot with its size and SHA-256, as written."""

    __tablename__ = "snapshot_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("report_snapshot.id"), index=True)
    fmt: Mapped[str] = mapped_column(String(10))  # one of FORMATS
    name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))

    snapshot: Mapped[ReportSnapshot] = relationship(back_populates="files")

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]


class DashboardPanel(InstitutionOwned, Base):
    """The landing page's figures of an institution (programme None) or one programme, with
    their last five years and small trend charts, as the refresh job last counted them: the
    page reads one row per panel instead of counting 100,000 alumni on every visit."""

    __tablename__ = "dashboard_panel"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), index=True)
    label: Mapped[str] = mapped_column(String(300))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # [{"key", "label", "unit", "currency", "years", "values", "href", "trend_href"}]
    figures: Mapped[list] = mapped_column(JSON)
    charts: Mapped[dict] = mapped_column(JSON, deferred=True)  # figure key -> SVG markup


@event.listens_for(ReportSnapshot, "before_update")
@event.listens_for(ReportSnapshot, "before_delete")
@event.listens_for(SnapshotFile, "before_update")
@event.listens_for(SnapshotFile, "before_delete")
def _refuse_change(mapper, connection, target) -> None:  # noqa: ANN001
    raise RuntimeError("A report snapshot is kept as built: it cannot be changed or deleted.")
