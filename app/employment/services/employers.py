"""Employers: the institution's list, matched on a normalised name (also used by
contributions)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.alumni.text import fold
from app.core.audit import add_with_audit, change_with_audit
from app.core.countries import normalise_country
from app.core.db import contains_pattern
from app.core.errors import ValidationFailed
from app.core.permissions import require_writer, require_writer_in_scope, scope
from app.employment import codes
from app.employment.models import Employer
from app.employment.services.cleaning import check_choice, is_blank
from app.extensions import db

# Legal forms dropped when matching employer names across the region.
_LEGAL_FORMS = {
    "co", "ltd", "limited", "company", "inc", "corp", "corporation", "plc", "llc", "pte",
    "sdn", "bhd", "pt", "tbk", "persero", "cv", "jsc", "jsc.", "tnhh", "cty", "public",
    "group", "the", "and", "pcl", "llp", "gmbh", "ag", "sa", "bv", "kk",
}
_LEGAL_PHRASES = ("cong ty co phan", "cong ty", "perseroan terbatas", "sendirian berhad",
                  "public company limited", "joint stock company")
_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)


def normalise_employer_name(name: str | None) -> str:
    """Folded name without punctuation and legal forms ("PT Astra Tbk." -> "astra")."""
    text = f" {_PUNCT.sub(' ', fold(name))} "
    for phrase in _LEGAL_PHRASES:
        text = text.replace(f" {phrase} ", " ")
    words = text.split() or _PUNCT.sub(" ", fold(name)).split()
    kept = [w for w in words if w not in _LEGAL_FORMS]
    return " ".join(kept or words)[:200]


@dataclass
class EmployerData:
    name: str | None = None
    isic_section: str | None = None
    employer_type: str | None = None
    country: str | None = None
    city: str | None = None
    size: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None


def find_employer(institution_id: int, name: str) -> Employer | None:
    """The employer with this normalised name in the institution's list, if any."""
    key = normalise_employer_name(name)
    return db.session.scalar(
        select(Employer).where(Employer.institution_id == institution_id,
                               Employer.normalised_name == key).order_by(Employer.id).limit(1)
    )


def _clean_employer(data: EmployerData) -> dict[str, Any]:
    out = {f.name: (None if is_blank(getattr(data, f.name)) else getattr(data, f.name).strip())
           for f in fields(EmployerData)}
    errors: dict[str, str] = {}
    if out["name"] is None:
        errors["name"] = gettext("The employer's name is required.")
    check_choice(out, errors, "isic_section", codes.ISIC_SECTIONS)
    check_choice(out, errors, "employer_type", codes.EMPLOYER_TYPES)
    check_choice(out, errors, "size", codes.EMPLOYER_SIZES)
    try:
        out["country"] = normalise_country(out["country"])
    except ValueError as exc:
        errors["country"] = str(exc)
    email = out["contact_email"]
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors["contact_email"] = gettext("That e-mail address is not valid.")
    if errors:
        raise ValidationFailed(errors)
    return out


def create_employer(data: EmployerData, *, institution_id: int, actor: Any) -> Employer:
    """Add an employer to the institution's list (refused when the name is already there)."""
    require_writer(actor)
    values = _clean_employer(data)
    if find_employer(institution_id, values["name"]) is not None:
        raise ValidationFailed({"name": gettext(
            "An employer with this name is already in the list.")})
    employer = Employer(institution_id=institution_id,
                        normalised_name=normalise_employer_name(values["name"]), **values)
    return add_with_audit(employer, "employer.create", actor)


def update_employer(employer: Employer, data: EmployerData, *, actor: Any) -> Employer:
    """Officers correct an employer's details."""
    require_writer_in_scope(actor, employer, message="No such employer.")
    values = _clean_employer(data)
    other = find_employer(employer.institution_id, values["name"])
    if other is not None and other.id != employer.id:
        raise ValidationFailed({"name": gettext(
            "Another employer with this name is in the list.")})
    values["normalised_name"] = normalise_employer_name(values["name"])
    return change_with_audit(employer, values, "employer.update", actor)


def match_or_create_employer(institution_id: int, name: str, *, employer_type: str | None = None,
                             isic_section: str | None = None, country: str | None = None,
                             city: str | None = None) -> Employer:
    """The employer named so (matched on the normalised name), created when new."""
    employer = find_employer(institution_id, name)
    if employer is None:
        employer = Employer(institution_id=institution_id, name=name.strip(),
                            normalised_name=normalise_employer_name(name),
                            employer_type=employer_type, isic_section=isic_section,
                            country=country, city=city)
        db.session.add(employer)
        db.session.flush()
    else:  # fill gaps, never overwrite what the office recorded
        employer.employer_type = employer.employer_type or employer_type
        employer.isic_section = employer.isic_section or isic_section
        employer.country = employer.country or country
        employer.city = employer.city or city
    return employer


def employer_list(actor: Any, q: str = ""):
    """The employers query for the actor's institution, optionally filtered by name."""
    stmt = scope(select(Employer), Employer, actor)
    key = normalise_employer_name(q) if q.strip() else ""
    if key:
        stmt = stmt.where(Employer.normalised_name.like(contains_pattern(key), escape="\\"))
    return stmt.order_by(Employer.normalised_name, Employer.id)
