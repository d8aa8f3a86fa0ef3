"""Erasure: the person is anonymised while the cohort's figures stay as they were.

What goes: names, contacts, birth date, gender, city, the student number (replaced by
`erased-<id>`), free text in every row held about them (every Text column, job titles,
employer names, places of work), their account (address, name, password, two-factor key),
sign-in and invitation links, merged-away numbers, the before/after of earlier audit entries
about them and of what their account did, and what the mail server said about their
addresses (`mail_bounce`, unless another record holds the address). What stays: the record
itself with its programme, cohort year, graduation date, status and archive date, whether it
held an e-mail or phone (`contact_at_erasure`, so E1's contactable alumni stay as they were),
and each outcome row's codes (status, hours, contract, income, levels, dates), so the
graduate still counts in the cohort and their outcome stays counted without identity. The
audit gains one entry saying an erasure happened, not what was erased.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, String, Table, Text, delete, update

from app.alumni.models import Alumnus
from app.core.audit import AuditEntry, record_audit
from app.core.db import references_to, utcnow
from app.core.permissions import require_writer_in_scope
from app.extensions import db
from app.mailings.services import forget_bounces
from app.privacy.holdings import audit_about, children, collect

ERASED_NAME = "Erased"
# Columns that name or reach the person, in any table that holds rows about them.
PERSONAL_COLUMNS = {
    "given_name", "family_name", "preferred_name", "full_name", "email", "contact_email",
    "acknowledged_to", "phone", "student_number", "birth_date", "city", "work_city",
    "job_title", "employer_name", "certificate_number", "merged_name",
    "merged_student_number", "delivery_error", "project", "mentor_teacher", "e_buddy",
    "address",  # a held-back message's recipient address (mailings)
}
# Rows that exist only to reach the person: deleted outright.
DELETE_ROWS = {"account_token", "student_number_alias", "duplicate_candidate", "recovery_code"}
# Rows kept as they are: the request itself (proof it was answered) and consent history
# (which holds no identity once the record is anonymised).
KEEP_ROWS = {"rights_request", "consent", "audit_entry", "job", "alumnus", "user"}


def _scrubbed(column: Column, alumnus_id: int) -> Any:
    if column.nullable:
        return None
    if isinstance(column.type, String | Text):
        return f"erased-{alumnus_id}"[: column.type.length or 40]
    return column.default.arg if column.default is not None else None


def _scrub_columns(table: Table) -> list[Column]:
    return [c for c in table.columns
            if not c.primary_key and not c.foreign_keys
            and (c.name in PERSONAL_COLUMNS or isinstance(c.type, Text)
                 or (c.name.endswith("_hash") and c.nullable))]  # their links stop working


def erase_alumnus(alumnus: Alumnus, *, actor: Any) -> dict[str, int]:
    """The office erases a person (on their request): see `anonymise`."""
    require_writer_in_scope(actor, alumnus, message="No such alumnus.")
    return anonymise(alumnus, actor=actor, reason="request")


def anonymise(alumnus: Alumnus, *, actor: Any, reason: str) -> dict[str, int]:
    """Anonymise the person and their account; returns rows changed per table. No check of
    who asks: `erase_alumnus` (the office) and retention (the system, actor None) call it."""
    from app.auth.models import User

    alumnus_id, user_id = alumnus.id, alumnus.user_id
    addresses = {alumnus.email or "", alumnus.user.email if alumnus.user else ""}
    held = collect(alumnus)
    about_them = audit_about(held, user_id)  # before anything changes: the ids to scrub
    changed: dict[str, int] = {}
    for table, column in references_to(Alumnus.__table__.c.id):
        if table.name in KEEP_ROWS:
            continue
        if table.name in DELETE_ROWS:
            count = db.session.execute(delete(table).where(column == alumnus_id)).rowcount
        else:
            values = {c.name: _scrubbed(c, alumnus_id) for c in _scrub_columns(table)}
            count = (db.session.execute(update(table).where(column == alumnus_id)
                                        .values(values)).rowcount if values else 0)
        if count:
            changed[table.name] = changed.get(table.name, 0) + count
    # Rows one level down (a mentor's mentorships): their free text too.
    for table, column, parent_ids in children(held):
        values = {c.name: _scrubbed(c, alumnus_id) for c in _scrub_columns(table)
                  if c.name not in ("token_hash",)}
        if parent_ids and values and table.name not in KEEP_ROWS:
            count = db.session.execute(update(table).where(column.in_(parent_ids))
                                       .values(values)).rowcount
            changed[table.name] = changed.get(table.name, 0) + count

    # E1 counts contactable alumni: what erasure takes (e-mail, phone) is recorded as a yes/no
    # first, so the graduate stays in the figure as they were (engagement.contactable_alumni).
    alumnus.contact_at_erasure = bool((alumnus.email or "").strip()
                                      or (alumnus.phone or "").strip())
    alumnus.given_name = ERASED_NAME
    for name in ("family_name", "preferred_name", "email", "phone", "city", "country",
                 "gender", "birth_date"):
        setattr(alumnus, name, None)
    alumnus.student_number = f"erased-{alumnus_id}"
    alumnus.directory_visible = False
    alumnus.user_id = None
    alumnus.erased_at = utcnow()
    alumnus.refresh_search_text()
    db.session.flush()

    if user_id is not None:
        user = db.session.get(User, user_id)
        user.email = f"erased-{user_id}@erased.invalid"
        user.full_name = ""
        user.password_hash = None
        user.totp_secret = None
        user.active = False
        user.auth_version = (user.auth_version or 1) + 1
        for table, column in references_to(User.__table__.c.id):
            if table.name in ("recovery_code", "account_token"):
                db.session.execute(delete(table).where(column == user_id))
        db.session.flush()

    # What the mail server said about their addresses goes too (kept while another holds it).
    changed["mail_bounce"] = forget_bounces(addresses)

    # The log keeps that things happened, not what they held (Core: the ORM refuses changes
    # to the append-only log; this is the one scrub it allows).
    entries = AuditEntry.__table__
    scrubbed = db.session.execute(update(entries).where(about_them).values(
        before=None, after=None)).rowcount
    if user_id is not None:
        db.session.execute(update(entries).where(entries.c.actor_id == user_id)
                           .values(actor_label="erased account", origin=None))
    changed["audit_entry"] = scrubbed
    db.session.expire_all()  # rows changed underneath the session are read afresh
    record_audit(actor, "alumnus.erase", entity_type="Alumnus", entity_id=alumnus_id,
                 institution_id=alumnus.institution_id, after={"erased": True, "reason": reason})
    return changed
