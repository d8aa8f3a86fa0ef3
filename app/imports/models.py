"""Import batches, remembered column mappings, merged-away student numbers, possible duplicates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, InstitutionOwned, utcnow

BATCH_STATUSES = {
    "uploaded": "Uploaded",
    "previewed": "Previewed",
    "running": "Running",
    "committed": "Committed",
    "failed": "Failed",
}
DUPLICATE_STATUSES = {"open": "Open", "dismissed": "Not a duplicate"}


class ImportBatch(InstitutionOwned, Base):
    """One file brought in: what it was, who brought it, what the preview and commit counted."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    checksum: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256 of the file
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    encoding: Mapped[str | None] = mapped_column(String(20))
    stored_name: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="uploaded", index=True)
    mapping: Mapped[dict | None] = mapped_column(JSON)
    options: Mapped[dict | None] = mapped_column(JSON)  # the kind's settings (KindOption)
    headers: Mapped[list | None] = mapped_column(JSON)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list | None] = mapped_column(JSON)  # [{row, field, message, level}], capped
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[int] = mapped_column(Integer, default=0)  # rows kept, a field left out
    key_changes: Mapped[int] = mapped_column(Integer, default=0)  # to accept before commit
    message: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    previewed_at: Mapped[datetime | None] = mapped_column()
    committed_at: Mapped[datetime | None] = mapped_column()
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id"), index=True)
    # When the uploaded file, the preview's plan and the rejected rows were deleted
    # (`flask imports clean-files`); the log keeps the counts and the checksum.
    files_removed_at: Mapped[datetime | None] = mapped_column(index=True)

    created_by = relationship("User", foreign_keys=[created_by_id])
    institution = relationship("Institution")

    @property
    def counts(self) -> dict[str, int]:
        return {"read": self.rows_read, "create": self.created, "update": self.updated,
                "unchanged": self.unchanged, "reject": self.rejected}


class ImportMapping(InstitutionOwned, Base):
    """The column mapping an institution last used for a kind of file, offered next time."""

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("institution_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)  # header key -> field name
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DuplicateCandidate(InstitutionOwned, Base):
    """Two records that are probably the same person, waiting for an officer's decision."""

    __tablename__ = "duplicate_candidate"
    __table_args__ = (UniqueConstraint("first_id", "second_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    second_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    score: Mapped[int] = mapped_column(Integer, index=True)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column()
    found_at: Mapped[datetime] = mapped_column(default=utcnow)

    first = relationship("Alumnus", foreign_keys=[first_id])
    second = relationship("Alumnus", foreign_keys=[second_id])
