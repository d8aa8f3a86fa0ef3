"""Employers and employment history: the rules shared by officers' pages, self-service,
tracer survey answers and imports."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select

from app.alumni.models import Alumnus
from app.alumni.text import fold
from app.core.audit import record_audit, snapshot
from app.core.countries import normalise_country
from app.core.db import as_utc
from app.core.errors import NotFound, PermissionDenied, ValidationFailed
from app.core.permissions import ALUMNUS, in_scope, require_writer, scope
from app.employment import codes
from app.employment.models import Employer, Employment
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


@dataclass
class EmploymentData:
    """Plain values for one employment record (a form, a survey answer or an import row)."""

    status: str | None = None
    employer_name: str | None = None
    employer_type: str | None = None
    isic_section: str | None = None
    hours: str | None = None
    contract: str | None = None
    job_title: str | None = None
    isco_group: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    how_found: str | None = None
    months_to_find: int | str | None = None
    income_amount: Decimal | str | None = None
    income_currency: str | None = None
    relevance: int | str | None = None
    education_level: str | None = None
    workplace_level: str | None = None
    work_country: str | None = None
    work_city: str | None = None
    verified: bool | None = None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _choice(out: dict, errors: dict, name: str, choices: dict, required: bool = False) -> None:
    value = out.get(name)
    if value is None:
        if required:
            errors[name] = "Choose one of the listed options."
        return
    if isinstance(next(iter(choices)), int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[name] = "Choose one of the listed options."
            return
    if value not in choices:
        errors[name] = "Choose one of the listed options."
    out[name] = value


def clean_employment_data(data: EmploymentData) -> dict[str, Any]:
    """Check and normalise an employment record; raise ValidationFailed with field errors."""
    out: dict[str, Any] = {}
    for f in fields(EmploymentData):
        value = getattr(data, f.name)
        out[f.name] = None if _blank(value) else (value.strip() if isinstance(value, str)
                                                  else value)
    errors: dict[str, str] = {}
    _choice(out, errors, "status", codes.EMPLOYMENT_STATUSES, required=True)
    for name, choices in (("employer_type", codes.EMPLOYER_TYPES),
                          ("isic_section", codes.ISIC_SECTIONS), ("hours", codes.HOURS),
                          ("contract", codes.CONTRACTS), ("isco_group", codes.ISCO_GROUPS),
                          ("how_found", codes.HOW_FOUND), ("relevance", codes.RELEVANCE),
                          ("education_level", codes.EDUCATION_LEVELS),
                          ("workplace_level", codes.WORKPLACE_LEVELS)):
        _choice(out, errors, name, choices)
    months = out.get("months_to_find")
    if months is not None:
        try:
            months = int(months)
        except (TypeError, ValueError):
            errors["months_to_find"] = "Give a whole number of months."
        else:
            if not 0 <= months <= 240:
                errors["months_to_find"] = "Give a number of months between 0 and 240."
            out["months_to_find"] = months
    amount = out.get("income_amount")
    if amount is not None:
        try:
            amount = Decimal(str(amount).replace(",", ""))
        except InvalidOperation:
            errors["income_amount"] = "Give the monthly income as a number."
        else:
            if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
                errors["income_amount"] = "Give the monthly income as a positive number."
            out["income_amount"] = amount.quantize(Decimal("0.01")) if amount.is_finite() \
                else None
    currency = out.get("income_currency")
    if currency is not None:
        currency = currency.upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            errors["income_currency"] = "Use the three-letter ISO 4217 code, e.g. THB."
        out["income_currency"] = currency
    if out.get("income_amount") is not None and out.get("income_currency") is None:
        errors["income_currency"] = "Say which currency the income is in."
    try:
        out["work_country"] = normalise_country(out.get("work_country"))
    except ValueError as exc:
        errors["work_country"] = str(exc)
    start, end = out.get("start_date"), out.get("end_date")
    if start and start > date.today():
        errors["start_date"] = "The start date is in the future."
    if start and end and end < start:
        errors["end_date"] = "The end date is before the start date."
    if out.get("status") in codes.WITH_JOB:
        if out.get("status") == "wage_employed" and out.get("employer_name") is None:
            errors["employer_name"] = "Name the employer."
    else:
        # No employer, job or income for people without a job.
        for name in ("employer_name", "employer_type", "isic_section", "hours", "contract",
                     "job_title", "isco_group", "income_amount", "income_currency",
                     "relevance", "education_level", "workplace_level"):
            out[name] = None
    if out.get("employer_name") and len(out["employer_name"]) > 200:
        errors["employer_name"] = "At most 200 characters."
    if out.get("job_title") and len(out["job_title"]) > 200:
        errors["job_title"] = "At most 200 characters."
    if errors:
        raise ValidationFailed(errors)
    out["verified"] = bool(out.get("verified"))
    return out


# --- employers -----------------------------------------------------------------------------


def find_employer(institution_id: int, name: str) -> Employer | None:
    """The employer with this normalised name in the institution's list, if any."""
    key = normalise_employer_name(name)
    return db.session.scalar(
        select(Employer).where(Employer.institution_id == institution_id,
                               Employer.normalised_name == key).order_by(Employer.id).limit(1)
    )


def _clean_employer(data: EmployerData) -> dict[str, Any]:
    out = {f.name: (None if _blank(getattr(data, f.name)) else getattr(data, f.name).strip())
           for f in fields(EmployerData)}
    errors: dict[str, str] = {}
    if out["name"] is None:
        errors["name"] = "The employer's name is required."
    _choice(out, errors, "isic_section", codes.ISIC_SECTIONS)
    _choice(out, errors, "employer_type", codes.EMPLOYER_TYPES)
    _choice(out, errors, "size", codes.EMPLOYER_SIZES)
    try:
        out["country"] = normalise_country(out["country"])
    except ValueError as exc:
        errors["country"] = str(exc)
    email = out["contact_email"]
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors["contact_email"] = "That e-mail address is not valid."
    if errors:
        raise ValidationFailed(errors)
    return out


def create_employer(data: EmployerData, *, institution_id: int, actor: Any) -> Employer:
    """Add an employer to the institution's list (refused when the name is already there)."""
    require_writer(actor)
    values = _clean_employer(data)
    if find_employer(institution_id, values["name"]) is not None:
        raise ValidationFailed({"name": "An employer with this name is already in the list."})
    employer = Employer(institution_id=institution_id,
                        normalised_name=normalise_employer_name(values["name"]), **values)
    db.session.add(employer)
    db.session.flush()
    record_audit(actor, "employer.create", employer, after=snapshot(employer))
    return employer


def update_employer(employer: Employer, data: EmployerData, *, actor: Any) -> Employer:
    """Officers correct an employer's details."""
    require_writer(actor)
    if not in_scope(employer, actor):
        raise NotFound("No such employer.")
    values = _clean_employer(data)
    other = find_employer(employer.institution_id, values["name"])
    if other is not None and other.id != employer.id:
        raise ValidationFailed({"name": "Another employer with this name is in the list."})
    before = snapshot(employer)
    for name, value in values.items():
        setattr(employer, name, value)
    employer.normalised_name = normalise_employer_name(employer.name)
    db.session.flush()
    record_audit(actor, "employer.update", employer, before=before, after=snapshot(employer))
    return employer


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


# --- employment records ----------------------------------------------------------------------


def _check_may_edit(alumnus: Alumnus, actor: Any) -> None:
    """Officers edit any record of their institution; an alumnus edits their own history."""
    if actor is not None and actor.role == ALUMNUS:
        if alumnus.user_id != actor.id:
            raise PermissionDenied("You can change your own job history only.")
        return
    require_writer(actor)
    if not in_scope(alumnus, actor):
        raise NotFound("No such alumnus.")


def _apply(employment: Employment, values: dict[str, Any]) -> None:
    employer_name = values.pop("employer_name", None)
    employer_type = values.pop("employer_type", None)
    isic = values.pop("isic_section", None)
    for name, value in values.items():
        setattr(employment, name, value)
    with db.session.no_autoflush:  # the record is complete only once its employer is set
        if employer_name:
            employment.employer = match_or_create_employer(
                employment.institution_id, employer_name, employer_type=employer_type,
                isic_section=isic, country=values.get("work_country"),
                city=values.get("work_city"))
        else:
            employment.employer = None


_AUDIT_FIELDS = ["status", "employer_id", "job_title", "start_date", "end_date", "hours",
                 "contract", "isco_group", "income_amount", "income_currency", "relevance",
                 "education_level", "workplace_level", "source", "verified", "survey_id"]


def record_employment(alumnus: Alumnus, data: EmploymentData, *, actor: Any,
                      source: str | None = None, survey_id: int | None = None) -> Employment:
    """Add a status spell (job, own business, study, no job) to an alumnus's history."""
    _check_may_edit(alumnus, actor)
    values = clean_employment_data(data)
    if actor is not None and actor.role == ALUMNUS:
        values["verified"] = False  # only the office verifies
        source = "self"
    source = source or "officer"
    if source not in codes.SOURCES:
        raise ValidationFailed({"source": "Unknown source."})
    employment = Employment(institution_id=alumnus.institution_id, alumnus_id=alumnus.id,
                            source=source, survey_id=survey_id)
    db.session.add(employment)
    _apply(employment, values)
    db.session.flush()
    record_audit(actor, "employment.create", employment,
                 after=snapshot(employment, _AUDIT_FIELDS))
    return employment


def update_employment(employment: Employment, data: EmploymentData, *, actor: Any
                      ) -> Employment:
    """Change an employment record (officers: any of their institution; alumni: their own)."""
    _check_may_edit(employment.alumnus, actor)
    values = clean_employment_data(data)
    if actor.role == ALUMNUS:
        values["verified"] = False
        if employment.source == "officer" and employment.verified:
            raise PermissionDenied("The office verified this record; ask them to change it.")
    before = snapshot(employment, _AUDIT_FIELDS)
    _apply(employment, values)
    db.session.flush()
    record_audit(actor, "employment.update", employment, before=before,
                 after=snapshot(employment, _AUDIT_FIELDS))
    return employment


def delete_employment(employment: Employment, *, actor: Any) -> None:
    """Remove a record entered by mistake (tracer answers stay: they are evidence)."""
    _check_may_edit(employment.alumnus, actor)
    if employment.source == "tracer" and actor.role == ALUMNUS:
        raise PermissionDenied("Records from your survey answers are kept; add a new job.")
    from app.employment.models import SurveyResponse

    for response in db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.employment_id == employment.id)
    ):
        response.employment_id = None
    record_audit(actor, "employment.delete", employment,
                 before=snapshot(employment, _AUDIT_FIELDS))
    db.session.delete(employment)
    db.session.flush()


def employment_history(alumnus: Alumnus) -> list[Employment]:
    """An alumnus's records, current first, newest start first."""
    rows = db.session.scalars(
        select(Employment).where(Employment.alumnus_id == alumnus.id)
        .order_by(Employment.end_date.is_not(None), Employment.start_date.desc(),
                  Employment.id.desc())
    )
    return list(rows)


def own_employment(alumnus: Alumnus, employment_id: int) -> Employment:
    """One record of the alumnus's own history, or NotFound."""
    employment = db.session.get(Employment, employment_id)
    if employment is None or employment.alumnus_id != alumnus.id:
        raise NotFound("No such record in your job history.")
    return employment


def data_from(employment: Employment) -> EmploymentData:
    values = {f.name: getattr(employment, f.name, None) for f in fields(EmploymentData)}
    if employment.employer is not None:
        values["employer_name"] = employment.employer.name
        values["employer_type"] = employment.employer.employer_type
        values["isic_section"] = employment.employer.isic_section
    return EmploymentData(**values)


def employer_list(actor: Any, q: str = ""):
    """The employers query for the actor's institution, optionally filtered by name."""
    stmt = scope(select(Employer), Employer, actor)
    key = normalise_employer_name(q) if q.strip() else ""
    if key:
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Employer.normalised_name.like(f"%{escaped}%", escape="\\"))
    return stmt.order_by(Employer.normalised_name, Employer.id)


def _window(since: date, until: date) -> tuple[datetime, datetime]:
    return (datetime.combine(since, time.min, tzinfo=UTC),
            datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC))


def engaged_reporting(institution_id: int, since: date, until: date
                      ) -> list[tuple[int, date]]:
    """Engagement source: (alumnus id, latest date) of jobs alumni reported or updated
    themselves in the window."""
    start, end = _window(since, until)
    rows = db.session.execute(
        select(Employment.alumnus_id, func.max(Employment.updated_at))
        .where(Employment.institution_id == institution_id, Employment.source == "self",
               Employment.updated_at >= start, Employment.updated_at < end)
        .group_by(Employment.alumnus_id))
    return [(a, as_utc(d).date()) for a, d in rows]
