"""One-time links: the raw token goes in the link, only its hash is stored; `find_by_token`
is the one lookup behind every such link (staff and alumni invitations, password resets,
e-mail changes, tracer survey links, employer survey links, mentoring outcome links), and
`LinkUnusable` the one error it raises."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import or_, select

from app.core.errors import DomainError

T = TypeVar("T")

# Why a link cannot be used, in words a page or a flash can show.
REASONS = {
    "unknown": "This link is not valid.",
    "used": "This link has been used already.",
    "answered": "This link has been answered already.",
    "expired": "This link has expired.",
    "closed": "The survey behind this link is closed.",
}


class LinkUnusable(DomainError):
    """A one-time link that cannot be used. `reason`: unknown, used, answered, expired or
    closed; `record`: what the link belongs to, where one was found."""

    def __init__(self, reason: str, record: Any = None, message: str | None = None) -> None:
        super().__init__(message or REASONS.get(reason, REASONS["unknown"]))
        self.reason = reason
        self.record = record


def new_token() -> tuple[str, str]:
    """Return (raw token for the link, SHA-256 hex digest to store)."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def find_by_token(model: type[T], raw: str | None, *, columns: Iterable[str] = ("token_hash",),
                  where: Iterable[Any] = (), spent: Callable[[T], bool] | None = None,
                  spent_reason: str = "used", expired: Callable[[T], bool] | None = None,
                  ) -> T:
    """The record of `model` whose hashed token (in any of `columns`) matches the raw token
    of a link, and meets `where`; else LinkUnusable("unknown"). Then LinkUnusable with
    `spent_reason` when `spent(record)`, or "expired" when `expired(record)`."""
    from app.extensions import db

    digest = hash_token(raw or "")
    record = db.session.scalar(select(model).where(
        or_(*(getattr(model, name) == digest for name in columns)), *where))
    if record is None:
        raise LinkUnusable("unknown")
    if spent is not None and spent(record):
        raise LinkUnusable(spent_reason, record)
    if expired is not None and expired(record):
        raise LinkUnusable("expired", record)
    return record
