"""The append-only audit log: who did what to which record, before and after, from where."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar

from flask import has_request_context, request
from flask_babel import gettext
from sqlalchemy import JSON, ForeignKey, Index, Select, String, event, insert, inspect, select, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, utcnow
from app.core.i18n import N_

EXPORT_ACTION = "personal_data.export"
VIEW_ACTION = "personal_data.view"
# Not a view of the record: written out (not a bound value) so that the planner of either
# database can tell the history index below answers it.
NOT_A_VIEW = text(f"action != '{VIEW_ACTION}'")


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    # A record's history (its page shows the latest changes) without the views of it: a record
    # opened thousands of times has thousands of view entries, which the history read and
    # sorted on every view of its page (13,000 entries: 6 ms and growing with every view).
    __table_args__ = (Index("ix_audit_entry_history", "entity_type", "entity_id", "created_at",
                            sqlite_where=NOT_A_VIEW, postgresql_where=NOT_A_VIEW),)

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


def history(entity_type: str, entity_id: Any, limit: int = 20) -> Select:
    """The latest changes of a record (its views left out), newest first: read from the
    history index, as many entries as shown, however often the record was opened."""
    return (select(AuditEntry)
            .where(AuditEntry.entity_type == entity_type,
                   AuditEntry.entity_id == str(entity_id), NOT_A_VIEW)
            .order_by(AuditEntry.created_at.desc()).limit(limit))


def record_export(actor: Any, what: str, rows: int, *, institution_id: int | None = None,
                  contacts: bool = False, details: dict | None = None) -> AuditEntry:
    """An export or download of personal data: who (the actor), what (the download's name),
    how many rows, and whether it held contact details; `details` says which (filters)."""
    return record_audit(actor, EXPORT_ACTION, entity_type="Download", entity_id=what,
                        institution_id=institution_id,
                        after={"what": what, "rows": rows, "contact_details": contacts,
                               **(details or {})})


def record_view(actor: Any, record: Any, what: str = "full record") -> None:
    """A staff member opened a person's full record (who, which record): committed at once,
    before the record is sent (the page calls it once the page is drawn, so its reads and the
    entry are one transaction), keeping the records the request has loaded as they are (a
    commit expires them, and the page read the alumnus and the signed-in user again; a
    transaction on a connection of its own took a second connection per request)."""
    from app.extensions import db

    record_audit(actor, VIEW_ACTION, record, after={"what": what})
    session = db.session()
    if session.get_bind().dialect.name == "postgresql":
        # The view's entry alone in its transaction (a GET page's first write): its commit
        # need not wait for the disk. A server crash in the next fraction of a second may
        # lose the entry (PostgreSQL's synchronous_commit, for this transaction only). A
        # record's page at 100,000 alumni, 8 connections, alternating runs: 91-93 requests a
        # second waiting, 105-107 not; the SQLite equivalent is the connection's (app).
        session.execute(text("SET LOCAL synchronous_commit = off"))
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


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
# listed reads as itself with spaces. N_(): the audit log's page and a record's "Recent changes"
# say them in the page's language (action_label_in_language); the download keeps the English.
ACTION_VERBS = {
    "export": N_("exported"), "view": N_("full record viewed"),
    "contact_details_grant": N_("may see contact details"),
    "contact_details_withdraw": N_("may no longer see contact details"),
    "create": N_("added"), "update": N_("changed"), "delete": N_("deleted"),
    "archive": N_("archived"),
    "restore": N_("restored to the register"), "self_update": N_("own details changed"),
    "invite": N_("invited"), "claim": N_("profile claimed"), "merge": N_("merged"),
    "merged_away": N_("merged into another record"),
    "visibility": N_("directory listing changed"),
    "active": N_("reactivated"), "deactivate": N_("deactivated"),
    "password_change": N_("password changed"),
    "password_reset": N_("password reset"), "reset_requested": N_("password reset asked for"),
    "record": N_("recorded"), "request": N_("asked for"), "resolve": N_("resolved"),
    "dismiss": N_("dismissed"),
    "submit": N_("given"), "committee_input": N_("committee input recorded"),
    "under_review": N_("review started"), "attendance": N_("attendance recorded"),
    "register": N_("place taken"), "cancel": N_("place given back"),
    "remove_participant": N_("participant removed"), "acknowledge": N_("acknowledged"),
    "void": N_("voided"), "answer": N_("answered"), "log": N_("logged"), "propose": N_("proposed"),
    "add_partner": N_("partner added"), "link_alumnus": N_("linked to an alumnus"),
    "import_create": N_("added by an import"),
    "sign_out_everywhere": N_("signed out everywhere"),
    "invitation_accepted": N_("password chosen"),
    "two_factor_on": N_("two-factor sign-in switched on"),
    "two_factor_off": N_("two-factor sign-in switched off"),
    "recovery_code_used": N_("signed in with a recovery code"),
    "two_factor_rule": N_("two-factor rule for administrators changed"),
}


def action_label(action: str) -> str:
    """An audit action in words: "alumnus.self_update" -> "Alumnus: own details changed"."""
    subject, _, verb = (action or "").partition(".")
    subject = subject.replace("_", " ").capitalize()
    if not verb:
        return subject
    return f"{subject}: {ACTION_VERBS.get(verb, verb.replace('_', ' '))}"


# The kinds of record an action is about (the part before the dot, and an entry's record type),
# in words for the pages; the English is the code with spaces, as action_label says it.
ACTION_SUBJECTS = {
    "account": N_("Account"), "alumnus": N_("Alumnus"), "breach": N_("Breach"),
    "consent": N_("Consent"), "contribution": N_("Contribution"),
    "correction": N_("Correction"), "correction_request": N_("Correction request"),
    "curriculum_feedback": N_("Curriculum feedback"), "duplicate": N_("Duplicate"),
    "employer": N_("Employer"), "employer_feedback": N_("Employer feedback"),
    "employer_feedback_request": N_("Employer feedback request"),
    "employer_survey": N_("Employer survey"), "employment": N_("Employment"),
    "event": N_("Event"), "exchange_agreement": N_("Exchange agreement"),
    "exchange_batch": N_("Exchange batch"), "exchange_credit_rule": N_("Exchange credit rule"),
    "exchange_participation": N_("Exchange participation"), "feedback": N_("Feedback"),
    "institution": N_("Institution"), "mailing": N_("Mailing"), "mentor": N_("Mentor"),
    "mentor_profile": N_("Mentor profile"), "mentoring_session": N_("Mentoring session"),
    "mentorship": N_("Mentorship"), "minimum_wage": N_("Minimum wage"),
    "personal_data": N_("Personal data"), "privacy_notice": N_("Privacy notice"),
    "programme": N_("Programme"), "report_snapshot": N_("Report snapshot"),
    "review_meeting": N_("Review meeting"), "rights_request": N_("Rights request"),
    "student": N_("Student"), "survey_invitation": N_("Survey invitation"),
    "tracer": N_("Tracer"), "tracer_survey": N_("Tracer survey"), "user": N_("User"),
    "survey_response": N_("Survey response"), "participation": N_("Participation"),
    "download": N_("Download"), "retention": N_("Retention"),
}
# Verbs the list above does not word (they read as the code with spaces in English).
MORE_VERBS = {
    "acknowledge_refused": N_("acknowledge refused"), "built": N_("built"),
    "close": N_("close"), "document": N_("document"), "done": N_("done"),
    "download": N_("download"), "email_change": N_("email change"),
    "email_change_requested": N_("email change requested"),
    "employer_input": N_("employer input"), "erase": N_("erase"), "erasure": N_("erasure"),
    "import": N_("import"), "import_update": N_("import update"), "language": N_("language"),
    "mentor_outcome": N_("mentor outcome"), "notification": N_("notification"),
    "participation_merged": N_("participation merged"), "publish": N_("publish"),
    "question": N_("question"), "ready": N_("ready"), "recognition": N_("recognition"),
    "refuse": N_("refuse"), "retry": N_("retry"), "save": N_("save"), "send": N_("send"),
    "set": N_("set"), "status": N_("status"), "student_outcome": N_("student outcome"),
    "words": N_("words"),
}


def record_type_label(entity_type: str | None) -> str:
    """A record type in the page's language ("RightsRequest" or "rights_request" -> "Rights
    request" in English); one not listed reads as the code with spaces."""
    if not entity_type:
        return ""
    code = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", entity_type).lower()  # RightsRequest too
    if code in ACTION_SUBJECTS:
        return gettext(ACTION_SUBJECTS[code])
    return code.replace("_", " ").capitalize()


# Who did it, when it is not a person's e-mail (stored in English; said in the page's words).
ACTORS = {"system": N_("system"), "erased account": N_("erased account")}


def actor_in_language(label: str | None) -> str:
    """An entry's actor for the page: an e-mail as stored, "system" in the page's language."""
    return gettext(ACTORS[label]) if label in ACTORS else (label or "")


def action_label_in_language(action: str) -> str:
    """action_label in the page's language: the pages use it, the download keeps English."""
    subject, _, verb = (action or "").partition(".")
    subject_words = record_type_label(subject)
    if not verb:
        return subject_words
    words = ACTION_VERBS.get(verb) or MORE_VERBS.get(verb)
    verb_words = gettext(words) if words else verb.replace("_", " ")
    return gettext("%(record)s: %(change)s", record=subject_words, change=verb_words)
