"""Participations: who went where, nominated and edited with the same rules for pages, the
CLI and the import.

The status workflow and credit recognition are in `workflow`, the link to the alumnus record in
`linking`, the lists in `queries`; their names are importable from here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import func, select

from app.alumni.lookup import find_by_student_number
from app.alumni.models import QUALIFICATION_LEVELS, STUDY_AREAS, Institution
from app.core.audit import add_with_audit, change_with_audit
from app.core.db import utcnow
from app.core.email_words import address_problem
from app.core.errors import ValidationFailed
from app.core.permissions import require_writer_in_scope
from app.exchange.models import PERFORMANCE_RESULTS, ExchangeBatch, ExchangeParticipation
from app.exchange.services._values import text_or_none
from app.exchange.services.linking import link_exchange_alumni  # noqa: F401
from app.exchange.services.queries import (  # noqa: F401
    ParticipationFilters,
    engaged_alumni,
    exchange_alumni,
    participations_of,
    search_participations,
)
from app.exchange.services.workflow import (  # noqa: F401
    allowed_moves,
    change_status,
    record_recognition,
    suggested_credits,
)
from app.extensions import db

STUDENT_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$")
MAX_HOURS = Decimal(2000)
TEXT_FIELDS = ("project", "mentor_teacher", "e_buddy", "industry_partner", "programme_code",
               "family_name")


@dataclass
class ParticipationData:
    """Plain values for a participation, as a form or an import row gives them."""

    student_number: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    programme_code: str | None = None
    sending_institution_id: int | None = None
    receiving_institution_id: int | None = None
    study_area: str | None = None
    level: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    hours: Decimal | float | str | None = None
    project: str | None = None
    mentor_teacher: str | None = None
    e_buddy: str | None = None
    industry_partner: str | None = None
    performance_result: str | None = None
    evaluation_submitted: bool = False
    certificate_number: str | None = None


def direction_for(owner_id: int, sending_id: int | None, receiving_id: int | None) -> str | None:
    """Outgoing when the owner sends, incoming when it receives; None when neither."""
    if sending_id == owner_id:
        return "outgoing"
    if receiving_id == owner_id:
        return "incoming"
    return None


def clean_participation(data: ParticipationData, batch: ExchangeBatch) -> dict[str, Any]:
    """Check and normalise a participation's values; raise ValidationFailed on any problem."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    number = text_or_none(data.student_number)
    if number is None:
        errors["student_number"] = gettext("Fill in the student number.")
    elif not STUDENT_NUMBER_RE.match(number):
        errors["student_number"] = (
            gettext("Use at most 40 letters and digits (dots, dashes or slashes inside)."))
    out["student_number"] = number
    out["given_name"] = text_or_none(data.given_name)
    if out["given_name"] is None:
        errors["given_name"] = gettext("Fill in the given name.")
    for name in TEXT_FIELDS:
        out[name] = text_or_none(getattr(data, name))
    email = text_or_none(data.email)
    if email is not None:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["email"] = gettext("That e-mail address is not valid: %(reason)s",
                                      reason=address_problem(exc))
    out["email"] = email
    sending = db.session.get(Institution, data.sending_institution_id or 0)
    receiving = db.session.get(Institution, data.receiving_institution_id or 0)
    if sending is None:
        errors["sending_institution_id"] = gettext("Choose the sending institution.")
    if receiving is None:
        errors["receiving_institution_id"] = gettext("Choose the receiving institution.")
    direction = None
    if sending is not None and receiving is not None:
        if sending.id == receiving.id:
            errors["receiving_institution_id"] = (
                gettext("Choose a receiving institution other than the sending one."))
        else:
            direction = direction_for(batch.institution_id, sending.id, receiving.id)
            if direction is None:
                errors["sending_institution_id"] = gettext(
                    gettext("Your institution is either the sending or the receiving one."))
    out["sending_institution_id"] = sending.id if sending else None
    out["receiving_institution_id"] = receiving.id if receiving else None
    out["direction"] = direction
    if data.study_area not in STUDY_AREAS:
        errors["study_area"] = gettext("Choose one of: %(choices)s.",
                                       choices=", ".join(STUDY_AREAS))
    out["study_area"] = data.study_area
    level = text_or_none(data.level)
    if level is not None and level not in QUALIFICATION_LEVELS:
        errors["level"] = gettext("Choose one of: %(choices)s.",
                                  choices=", ".join(QUALIFICATION_LEVELS))
    out["level"] = level
    out["start_date"], out["end_date"] = data.start_date, data.end_date
    if data.start_date and data.end_date and data.end_date < data.start_date:
        errors["end_date"] = gettext("Enter an end date on or after the start date.")
    hours = None
    if data.hours is not None and str(data.hours).strip():
        try:
            hours = Decimal(str(data.hours).strip())
        except InvalidOperation:
            errors["hours"] = gettext("Give the hours as a number.")
        else:
            if not Decimal(0) <= hours <= MAX_HOURS:
                errors["hours"] = gettext("Enter hours from 0 to %(most)s.", most=MAX_HOURS)
    out["hours"] = hours
    result = text_or_none(data.performance_result)
    if result is not None and result not in PERFORMANCE_RESULTS:
        errors["performance_result"] = gettext("Choose one of: %(choices)s.",
                                               choices=", ".join(PERFORMANCE_RESULTS))
    out["performance_result"] = result
    out["evaluation_submitted"] = bool(data.evaluation_submitted)
    out["certificate_number"] = text_or_none(data.certificate_number)
    if errors:
        raise ValidationFailed(errors)
    return out


def _check_unique(values: dict[str, Any], batch_id: int, exclude_id: int | None) -> None:
    errors = {}
    stmt = select(ExchangeParticipation.id).where(
        ExchangeParticipation.batch_id == batch_id,
        ExchangeParticipation.sending_institution_id == values["sending_institution_id"],
        func.lower(ExchangeParticipation.student_number) == values["student_number"].lower(),
    )
    if exclude_id is not None:
        stmt = stmt.where(ExchangeParticipation.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        errors["student_number"] = gettext("This student is already in this batch.")
    if values.get("certificate_number"):
        stmt = select(ExchangeParticipation.id).where(
            ExchangeParticipation.certificate_number == values["certificate_number"])
        if exclude_id is not None:
            stmt = stmt.where(ExchangeParticipation.id != exclude_id)
        if db.session.scalar(stmt) is not None:
            errors["certificate_number"] = (
                gettext("Another participation has this certificate number; enter another."))
    if errors:
        raise ValidationFailed(errors)


def _alumnus_for(institution_id: int, student_number: str) -> int | None:
    """The sending institution's alumnus with this number (or the record it was merged into)."""
    alumnus = find_by_student_number(institution_id, student_number)
    return alumnus.id if alumnus else None


def create_participation(batch: ExchangeBatch, data: ParticipationData, *, actor: Any
                         ) -> ExchangeParticipation:
    """Nominate a participant for a batch (our student going out, or a partner's coming in)."""
    require_writer_in_scope(actor, batch, message=gettext("No such exchange batch."))
    values = clean_participation(data, batch)
    _check_unique(values, batch.id, None)
    participation = ExchangeParticipation(
        institution_id=batch.institution_id, batch_id=batch.id, status="nominated",
        status_changed_at=utcnow(),
        alumnus_id=_alumnus_for(values["sending_institution_id"], values["student_number"]),
        **values)
    return add_with_audit(participation, "exchange_participation.create", actor)


def update_participation(participation: ExchangeParticipation, data: ParticipationData, *,
                         actor: Any) -> ExchangeParticipation:
    """Change a participation's details (the status moves through `change_status`)."""
    require_writer_in_scope(actor, participation, message=gettext("No such participation."))
    values = clean_participation(data, participation.batch)
    _check_unique(values, participation.batch_id, participation.id)
    if (participation.student_number != values["student_number"]
            or participation.sending_institution_id != values["sending_institution_id"]):
        values["alumnus_id"] = _alumnus_for(values["sending_institution_id"],
                                            values["student_number"])
    return change_with_audit(participation, values, "exchange_participation.update", actor)


def participation_data_from(p: ExchangeParticipation) -> ParticipationData:
    """A participation's values as the data its edit form starts from."""
    return ParticipationData(**{f.name: getattr(p, f.name) for f in fields(ParticipationData)})
