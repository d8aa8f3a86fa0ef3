"""Mailings to alumni, the messages the mail gate held back, unsubscribe links, bounces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, InstitutionOwned, TimestampMixin, utcnow
from app.core.i18n import N_

# Translated where shown (the mailing pages).
MAILING_STATUSES = {"draft": N_("Draft"), "sending": N_("Sending"), "sent": N_("Sent"),
                    "failed": N_("Failed")}


class Mailing(InstitutionOwned, TimestampMixin, Base):
    """A message officers write to a segment of their alumni; kept with its counts."""

    __tablename__ = "mailing"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))  # a consent purpose
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # Markdown
    segment: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id"), index=True)
    queued_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    # What became of the segment: the alumni in it, sent, failed, and excluded per reason
    # (before sending from the segment, and at send time by the mail gate).
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    sent_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    excluded: Mapped[dict] = mapped_column(JSON, default=dict)

    @property
    def excluded_count(self) -> int:
        return sum((self.excluded or {}).values())


class SuppressedMail(Base):
    """A message the mail gate did not send, and why (app.mailings.gate)."""

    __tablename__ = "suppressed_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    address: Mapped[str] = mapped_column(String(254))
    alumnus_id: Mapped[int | None] = mapped_column(ForeignKey("alumnus.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(30), index=True)


class UnsubscribeLink(Base):
    """One message's one-click link: withdraws one purpose's consent of one alumnus, once."""

    __tablename__ = "unsubscribe_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("alumnus.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column()


class MailBounce(Base):
    """An address the mail server refused for good (5xx): consent-bound mail skips it."""

    __tablename__ = "mail_bounce"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), index=True)  # lower case
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    error: Mapped[str | None] = mapped_column(String(300))
