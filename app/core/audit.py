"""The append-only audit log: who did what to which record, before and after, from where."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from flask import has_request_context, request
from sqlalchemy import JSON, ForeignKey, String, event, insert, inspect
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(254), default="system")
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity_type: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(60), index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    origin: Mapped[str | None] = mapped_column(String(100))


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target) -> None:  # noqa: ANN001
    raise RuntimeError("The audit log is append-only.")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(record: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """The record's column values as JSON-safe data (for the before/after of an entry)."""
    mapper = inspect(record).mapper
    names = fields or [c.key for c in mapper.column_attrs]
    return {name: _plain(getattr(record, name)) for name in names}


def record_audit(
    actor: Any,
    action: str,
    entity: Any = None,
    *,
    entity_type: str | None = None,
    entity_id: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    institution_id: int | None = None,
    anonymous: bool = False,
) -> AuditEntry:
    """Append one audit entry to the session (the caller commits with the change itself).

    `anonymous=True` (anonymous input) keeps neither the source address nor the time of day:
    the entry has no origin and is dated at midnight UTC of the day."""
    from app.extensions import db

    if entity is not None and getattr(entity, "id", 0) is None:
        db.session.flush()  # the entry needs the new record's id
    if entity is not None:
        entity_type = entity_type or type(entity).__name__
        if entity_id is None:
            entity_id = getattr(entity, "id", None)
        if institution_id is None:
            institution_id = getattr(entity, "institution_id", None)
    if before and after:  # keep only what changed
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    entry = AuditEntry(
        **_who(actor),
        institution_id=institution_id,
        action=action,
        entity_type=entity_type or "",
        entity_id=None if entity_id is None else str(entity_id),
        before=before,
        after=after,
        origin=None if anonymous else _origin(),
    )
    if anonymous:
        entry.created_at = datetime.combine(utcnow().date(), time.min, tzinfo=UTC)
    db.session.add(entry)
    return entry


EXPORT_ACTION = "personal_data.export"
VIEW_ACTION = "personal_data.view"


def record_export(actor: Any, what: str, rows: int, *, institution_id: int | None = None,
                  contacts: bool = False, details: dict | None = None) -> AuditEntry:
    """An export or download of personal data: who (the actor), what (the download's name),
    how many rows, and whether it held contact details; `details` says which (filters)."""
    return record_audit(actor, EXPORT_ACTION, entity_type="Download", entity_id=what,
                        institution_id=institution_id,
                        after={"what": what, "rows": rows, "contact_details": contacts,
                               **(details or {})})


def record_view(actor: Any, record: Any, what: str = "full record") -> AuditEntry:
    """A staff member opened a person's full record (who, which record)."""
    return record_audit(actor, VIEW_ACTION, record, after={"what": what})


def _who(actor: Any) -> dict[str, Any]:
    return {"actor_id": getattr(actor, "id", None),
            "actor_label": getattr(actor, "email", None) or "system"}


def _origin() -> str | None:
    # The client address is request metadata, not an input of the service: read it here.
    return request.remote_addr if has_request_context() else "cli"


AUDIT_CHUNK = 5_000


def record_audit_bulk(actor: Any, entries: Iterable[dict[str, Any]], *,
                      origin: str | None = None, at: datetime | None = None,
                      connection: Any = None) -> int:
    """Append many audit entries in one executemany per few thousand (imports, linking): each
    entry a dict of action, entity_type, entity_id and, as needed, institution_id, before and
    after. All share the actor, the time (`at`, default now) and the origin (default: the
    request's address, else "cli"). Written through the session (the caller commits with the
    change), or through `connection` where the session cannot write (between transactions).
    Returns how many were written."""
    from app.extensions import db

    common = {**_who(actor), "created_at": at or utcnow(), "origin": origin or _origin()}
    rows = [{"institution_id": None, "before": None, "after": None, **common, **e,
             "entity_id": None if e.get("entity_id") is None else str(e["entity_id"])}
            for e in entries]
    target = connection if connection is not None else db.session
    for start in range(0, len(rows), AUDIT_CHUNK):
        target.execute(insert(AuditEntry.__table__), rows[start:start + AUDIT_CHUNK])
    return len(rows)


R = TypeVar("R")


def add_with_audit(record: R, action: str, actor: Any) -> R:
    """Add a new record, flush (so it has its id) and append its audit entry."""
    from app.extensions import db

    db.session.add(record)
    db.session.flush()
    record_audit(actor, action, record, after=snapshot(record))
    return record


def change_with_audit(record: R, values: dict[str, Any], action: str, actor: Any) -> R:
    """Set checked `values` on a record, flush and append an audit entry of what changed."""
    from app.extensions import db

    before = snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    db.session.flush()
    record_audit(actor, action, record, before=before, after=snapshot(record))
    return record


# What an action did, in words, by the part after the dot ("alumnus.self_update"); a verb not
# listed reads as itself with spaces.
ACTION_VERBS = {
    "export": "exported", "view": "full record viewed",
    "contact_details_grant": "may see contact details",
    "contact_details_withdraw": "may no longer see contact details",
    "create": "added", "update": "changed", "delete": "deleted", "archive": "archived",
    "restore": "restored to the register", "self_update": "own details changed",
    "invite": "invited", "claim": "profile claimed", "merge": "merged",
    "merged_away": "merged into another record", "visibility": "directory listing changed",
    "active": "reactivated", "deactivate": "deactivated", "password_change": "password changed",
    "password_reset": "password reset", "reset_requested": "password reset asked for",
    "record": "recorded", "request": "asked for", "resolve": "resolved", "dismiss": "dismissed",
    "submit": "given", "committee_input": "committee input recorded",
    "under_review": "review started", "attendance": "attendance recorded",
    "register": "place taken", "cancel": "place given back",
    "remove_participant": "participant removed", "acknowledge": "acknowledged",
    "void": "voided", "answer": "answered", "log": "logged", "propose": "proposed",
    "add_partner": "partner added", "link_alumnus": "linked to an alumnus",
    "import_create": "added by an import",
    "sign_out_everywhere": "signed out everywhere", "invitation_accepted": "password chosen",
    "two_factor_on": "two-factor sign-in switched on",
    "two_factor_off": "two-factor sign-in switched off",
    "recovery_code_used": "signed in with a recovery code",
    "two_factor_rule": "two-factor rule for administrators changed",
}


def action_label(action: str) -> str:
    """An audit action in words: "alumnus.self_update" -> "Alumnus: own details changed"."""
    subject, _, verb = (action or "").partition(".")
    subject = subject.replace("_", " ").capitalize()
    if not verb:
        return subject
    return f"{subject}: {ACTION_VERBS.get(verb, verb.replace('_', ' '))}"
