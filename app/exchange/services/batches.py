"""Exchange batches, partner institutions, bilateral agreements and their documents."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.alumni.institutions import InstitutionData, clean_institution_data
from app.alumni.models import Institution
from app.alumni.services import working_institution
from app.core.audit import add_with_audit, change_with_audit, record_audit, snapshot
from app.core.db import today, utcnow
from app.core.errors import NotFound, PermissionDenied, ValidationFailed
from app.core.permissions import ADMIN, require_writer, require_writer_in_scope, writes_to
from app.exchange.models import (
    AGREEMENT_STATUSES,
    MODES,
    AgreementDocument,
    ExchangeAgreement,
    ExchangeBatch,
)
from app.exchange.services._values import text_or_none
from app.extensions import db

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# Accepted agreement files: declared type -> how the file must begin.
DOCUMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
}

# The names a file of each accepted type may have.
DOCUMENT_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
}


@dataclass
class BatchData:
    name: str | None = None
    year: int | None = None
    batch_number: int | None = 1
    mode: str | None = "virtual"
    window_start: date | None = None
    window_end: date | None = None
    coordinator: str | None = None
    notes: str | None = None


@dataclass
class PartnerData:
    code: str | None = None
    name: str | None = None
    country: str | None = None
    kind: str | None = "college"


@dataclass
class AgreementData:
    first_institution_id: int | None = None
    second_institution_id: int | None = None
    duration_days: int | None = None
    hours_per_day: Decimal | float | str | None = None
    places_first_to_second: int | None = 0
    places_second_to_first: int | None = 0
    status: str | None = "draft"
    signed_date: date | None = None
    notes: str | None = None


def _owner_id(actor: Any, institution_id: int | None) -> int:
    """The institution a new record belongs to, the one the actor works in: an officer's own
    (naming another is refused); an administrator's choice, else the home institution."""
    if institution_id is not None and not writes_to(actor, institution_id):
        raise PermissionDenied(
            gettext("You can keep exchange records of your own institution only."))
    try:
        return working_institution(actor, institution_id).id
    except NotFound:
        if actor.role == ADMIN and institution_id is None:  # before a home institution is set
            raise ValidationFailed(
                {"institution_id": gettext("There is no home institution yet.")}) from None
        raise


def _clean_batch(data: BatchData) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = text_or_none(data.name)
    if name is None:
        errors["name"] = gettext("Fill in the name.")
    year = data.year
    if year is None or not 2000 <= int(year) <= today().year + 5:
        errors["year"] = gettext("Give the year of the batch, such as 2022.")
    number = data.batch_number if data.batch_number is not None else 1
    if not 1 <= int(number) <= 99:
        errors["batch_number"] = gettext("Enter a batch number from 1 to 99.")
    if data.mode not in MODES:
        errors["mode"] = gettext("Choose one of: %(choices)s.", choices=", ".join(MODES))
    if data.window_start and data.window_end and data.window_end < data.window_start:
        errors["window_end"] = gettext("Enter a window end on or after its start.")
    if errors:
        raise ValidationFailed(errors)
    return {"name": name, "year": int(year), "batch_number": int(number), "mode": data.mode,
            "window_start": data.window_start, "window_end": data.window_end,
            "coordinator": text_or_none(data.coordinator), "notes": text_or_none(data.notes)}


def _check_batch_unique(owner_id: int, year: int, number: int, exclude_id: int | None) -> None:
    stmt = select(ExchangeBatch.id).where(ExchangeBatch.institution_id == owner_id,
                                          ExchangeBatch.year == year,
                                          ExchangeBatch.batch_number == number)
    if exclude_id is not None:
        stmt = stmt.where(ExchangeBatch.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise ValidationFailed({"batch_number": gettext(
            "Batch %(number)s of %(year)s is already recorded; choose another number.",
            number=number, year=year)})


def create_batch(data: BatchData, *, actor: Any, institution_id: int | None = None
                 ) -> ExchangeBatch:
    """Record an exchange batch kept by the actor's institution."""
    require_writer(actor)
    owner = _owner_id(actor, institution_id)
    values = _clean_batch(data)
    _check_batch_unique(owner, values["year"], values["batch_number"], None)
    return add_with_audit(ExchangeBatch(institution_id=owner, **values),
                          "exchange_batch.create", actor)


def update_batch(batch: ExchangeBatch, data: BatchData, *, actor: Any) -> ExchangeBatch:
    """Change a batch's details."""
    require_writer_in_scope(actor, batch, message=gettext("No such exchange batch."))
    values = _clean_batch(data)
    _check_batch_unique(batch.institution_id, values["year"], values["batch_number"], batch.id)
    return change_with_audit(batch, values, "exchange_batch.update", actor)


# --- partner institutions -----------------------------------------------------------------


def partner_institutions(actor: Any) -> list[Institution]:
    """Institutions an officer may pick as the other side of an exchange (all but their own)."""
    stmt = select(Institution).order_by(Institution.country, Institution.name)
    if actor.role != ADMIN:
        stmt = stmt.where(Institution.id != actor.institution_id)
    return list(db.session.scalars(stmt))


def add_partner_institution(data: PartnerData, *, actor: Any) -> Institution:
    """Officers add a partner institution of an exchange (never a home institution)."""
    require_writer(actor)
    values = clean_institution_data(InstitutionData(
        code=text_or_none(data.code) or "", name=text_or_none(data.name) or "",
        country=data.country, kind=data.kind or "", is_home=False))
    institution = Institution(**values)
    db.session.add(institution)
    db.session.flush()
    record_audit(actor, "institution.add_partner", institution,
                 institution_id=getattr(actor, "institution_id", None),
                 after=snapshot(institution))
    return institution


# --- agreements ---------------------------------------------------------------------------


def _decimal(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = gettext("Give a number.")
        return None


def _clean_agreement(data: AgreementData, batch: ExchangeBatch) -> dict[str, Any]:
    errors: dict[str, str] = {}
    first = db.session.get(Institution, data.first_institution_id or 0)
    second = db.session.get(Institution, data.second_institution_id or 0)
    if first is None:
        errors["first_institution_id"] = gettext("Choose an institution.")
    if second is None:
        errors["second_institution_id"] = gettext("Choose an institution.")
    if first is not None and second is not None:
        if first.id == second.id:
            errors["second_institution_id"] = gettext("Choose two different institutions.")
        elif batch.institution_id not in (first.id, second.id):
            errors["first_institution_id"] = (
                gettext("Choose your institution as one side of the agreement."))
    if data.duration_days is not None and not 1 <= int(data.duration_days) <= 365:
        errors["duration_days"] = gettext("Enter an agreed duration from 1 to 365 days.")
    hours = _decimal(data.hours_per_day, "hours_per_day", errors)
    if hours is not None and not Decimal(0) < hours <= Decimal(24):
        errors["hours_per_day"] = gettext("Enter hours per day above 0 and at most 24.")
    places = {}
    for name in ("places_first_to_second", "places_second_to_first"):
        value = getattr(data, name)
        value = 0 if value is None else int(value)
        if not 0 <= value <= 10000:
            errors[name] = gettext("Places are 0 or more.")
        places[name] = value
    status = data.status or "draft"
    if status not in AGREEMENT_STATUSES:
        errors["status"] = gettext("Choose one of: %(choices)s.",
                                   choices=", ".join(AGREEMENT_STATUSES))
    if status in ("signed", "completed") and data.signed_date is None:
        errors["signed_date"] = gettext("Enter the date the agreement was signed.")
    if data.signed_date and data.signed_date > today():
        errors["signed_date"] = gettext("Enter a signed date of today or earlier.")
    if errors:
        raise ValidationFailed(errors)
    return {"first_institution_id": first.id, "second_institution_id": second.id,
            "duration_days": data.duration_days, "hours_per_day": hours, **places,
            "status": status, "signed_date": data.signed_date, "notes": text_or_none(data.notes)}


def create_agreement(batch: ExchangeBatch, data: AgreementData, *, actor: Any
                     ) -> ExchangeAgreement:
    """Record a bilateral agreement between two institutions for a batch."""
    require_writer_in_scope(actor, batch, message=gettext("No such exchange batch."))
    values = _clean_agreement(data, batch)
    agreement = ExchangeAgreement(institution_id=batch.institution_id, batch_id=batch.id,
                                  **values)
    return add_with_audit(agreement, "exchange_agreement.create", actor)


def update_agreement(agreement: ExchangeAgreement, data: AgreementData, *, actor: Any
                     ) -> ExchangeAgreement:
    """Change an agreement's terms or status."""
    require_writer_in_scope(actor, agreement, message=gettext("No such agreement."))
    values = _clean_agreement(data, agreement.batch)
    return change_with_audit(agreement, values, "exchange_agreement.update", actor)


def attach_agreement_document(agreement: ExchangeAgreement, filename: str, content_type: str,
                              content: bytes, *, actor: Any) -> AgreementDocument:
    """Attach (or replace) the agreement's document: PDF, PNG, JPEG or DOCX, at most 5 MB."""
    require_writer_in_scope(actor, agreement, message=gettext("No such agreement."))
    content_type = (content_type or "").split(";")[0].strip().lower()
    if not content:
        raise ValidationFailed({"document": gettext("Choose a file that is not empty.")})
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationFailed({"document": gettext("Choose a file of at most 5 MB.")})
    signatures = DOCUMENT_TYPES.get(content_type)
    if signatures is None:
        raise ValidationFailed({"document": gettext(
            "Attach a PDF, PNG, JPEG or Word (.docx) file.")})
    if not any(content.startswith(sig) for sig in signatures):
        raise ValidationFailed({"document": gettext(
            "The file's content does not match its type: attach the PDF, PNG, JPEG or .docx "
            "itself.")})
    extension = os.path.splitext((filename or "").lower())[1]
    if extension not in DOCUMENT_EXTENSIONS[content_type]:
        # A name ending .html on a PDF would be opened by the wrong program once downloaded.
        raise ValidationFailed({"document": gettext(
            "The file's name must end in %(endings)s for its type; rename it and attach it "
            "again.", endings=" / ".join(DOCUMENT_EXTENSIONS[content_type]))})
    safe_name = re.sub(r"[^\w.\- ]", "_", (filename or "agreement").strip())[-200:] or "agreement"
    document = agreement.document
    before = None
    if document is None:
        document = AgreementDocument(agreement=agreement)
        db.session.add(document)
    else:
        before = {"filename": document.filename, "sha256": document.sha256}
    document.filename = safe_name
    document.content_type = content_type
    document.size = len(content)
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.data = content
    document.uploaded_by_id = getattr(actor, "id", None)
    document.uploaded_at = utcnow()
    db.session.flush()
    record_audit(actor, "exchange_agreement.document", agreement, before=before,
                 after={"filename": safe_name, "size": len(content), "sha256": document.sha256})
    return document
