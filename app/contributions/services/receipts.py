"""Recording a contribution under a gap-free receipt number, acknowledging it, voiding it.

Receipt numbers run per institution and year without gaps: the number is taken from a counter
row in the same transaction that saves the contribution, under a row lock, so two concurrent
saves wait for each other and a rolled-back save gives its number back.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.alumni.models import Institution
from app.contributions.models import CATEGORIES, Contribution, ReceiptCounter
from app.contributions.services.rules import ContributionData, clean_contribution
from app.core.audit import add_with_audit, record_audit, record_audit_bulk, snapshot
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.core.i18n import in_language
from app.core.mail import TRANSACTIONAL, queue_email, render_email
from app.core.permissions import require_own_institution, require_writer
from app.extensions import db


def _counter_insert(dialect: str):
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(ReceiptCounter)


def take_receipt_number(institution: Institution, year: int) -> str:
    """Take the next receipt number of (institution, year) inside the caller's transaction.

    The counter row is created if missing (an insert that ignores a conflict, so two first
    saves of a year do not collide), then locked (SELECT ... FOR UPDATE on PostgreSQL; on
    SQLite the insert already holds the database's single write lock) and incremented. A
    concurrent save waits until this transaction ends; a rollback gives the number back.
    """
    dialect = db.session.get_bind().dialect.name
    db.session.execute(
        _counter_insert(dialect)
        .values(institution_id=institution.id, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["institution_id", "year"])
    )
    counter_id, last = db.session.execute(
        select(ReceiptCounter.id, ReceiptCounter.last_number)
        .where(ReceiptCounter.institution_id == institution.id, ReceiptCounter.year == year)
        .with_for_update()
    ).one()
    number = last + 1
    db.session.execute(
        update(ReceiptCounter).where(ReceiptCounter.id == counter_id).values(last_number=number)
    )
    return f"{institution.code}-{year}-{number:06d}"


def record_contribution(
    data: ContributionData, *, institution: Institution, actor: Any
) -> Contribution:
    """Record a contribution and give it the next receipt number of its year."""
    require_own_institution(
        actor, institution.id, "You record contributions for your own institution only.")
    values = clean_contribution(data, institution)
    year = values["received_on"].year
    receipt = take_receipt_number(institution, year)
    contribution = Contribution(
        institution_id=institution.id, receipt_number=receipt, receipt_year=year,
        recorded_by_id=getattr(actor, "id", None), **values,
    )
    return add_with_audit(contribution, "contribution.create", actor)


def acknowledgement_address(contribution: Contribution) -> str | None:
    """Where the acknowledgement goes: the address given, else the alumnus donor's e-mail."""
    if contribution.contact_email:
        return contribution.contact_email
    if contribution.donor_kind == "alumnus" and contribution.alumnus is not None:
        return contribution.alumnus.email
    return None


def acknowledge_contribution(contribution: Contribution, *, actor: Any) -> Contribution:
    """E-mail the donor an acknowledgement with the receipt; record when and to whom.

    The message is queued: it leaves when the caller commits (so the receipt number it quotes
    is saved). Should the mail server refuse it, the record is set back to unacknowledged
    in a short transaction of its own, with an audit entry saying why.
    """
    require_writer(actor)
    if contribution.voided_at is not None:
        raise ValidationFailed({"contact_email": gettext("A voided record is not acknowledged.")})
    to = acknowledgement_address(contribution)
    if not to:
        raise ValidationFailed({"contact_email": gettext(
            "There is no e-mail address to send it to.")})
    # The donor's language: an alumnus's account language, else the institution's default.
    donor = contribution.alumnus if contribution.donor_kind == "alumnus" else None
    language = donor.user.language if donor is not None and donor.user is not None else None
    with in_language(language, contribution.institution_id):
        message = render_email(
            "contribution_acknowledgement", to,
            gettext("Thank you — receipt %(number)s", number=contribution.receipt_number),
            purpose=TRANSACTIONAL,  # a receipt for a gift the person made
            alumnus_id=contribution.alumnus_id if donor is not None else None,
            contribution=contribution, institution=contribution.institution,
            categories=CATEGORIES,
        )
    contribution_id, institution_id = contribution.id, contribution.institution_id
    before = snapshot(contribution, ["acknowledged_at", "acknowledged_to"])
    # Read now: after the commit the actor's attributes would need the session to reload them.
    who = SimpleNamespace(id=getattr(actor, "id", None), email=getattr(actor, "email", None))

    def on_sent(item, error: Exception | None) -> None:
        if error is None:
            return
        # Between transactions: the session cannot write now, a connection of its own can.
        with db.engine.begin() as conn:
            conn.execute(update(Contribution).where(Contribution.id == contribution_id)
                         .values(**before))
            record_audit_bulk(who, [{
                "institution_id": institution_id, "action": "contribution.acknowledge_refused",
                "entity_type": "Contribution", "entity_id": contribution_id,
                "after": {"to": item.to, "error": str(error)[:300]}}],
                origin="mail", connection=conn)

    queue_email(message, on_sent=on_sent)
    return _mark(contribution, "contribution.acknowledge", actor, acknowledged_at=utcnow(),
                 acknowledged_to=to)


def void_contribution(contribution: Contribution, reason: str, *, actor: Any) -> Contribution:
    """Cancel a mistaken record: it leaves the totals, its receipt number stays used."""
    require_writer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": gettext("Say why the record is voided.")})
    if contribution.voided_at is not None:
        raise ValidationFailed({"reason": gettext("This record is already voided.")})
    return _mark(contribution, "contribution.void", actor, voided_at=utcnow(), void_reason=reason)


def _mark(contribution: Contribution, action: str, actor: Any, **values: Any) -> Contribution:
    """Set a few columns of a recorded contribution and audit them, before and after."""
    names = list(values)
    before = snapshot(contribution, names)
    for name, value in values.items():
        setattr(contribution, name, value)
    db.session.flush()
    record_audit(actor, action, contribution, before=before, after=snapshot(contribution, names))
    return contribution
