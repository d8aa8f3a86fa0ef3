"""Institution and programme services (administrators; the CLI acts as the operator).

They live beside their models, in the register's base layer, so auth, alumni and every
feature reach them without importing the admin pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from app.alumni.isced import isced_problem
from app.alumni.models import (
    INSTITUTION_KINDS,
    QUALIFICATION_LEVELS,
    STUDY_AREAS,
    Institution,
    Programme,
)
from app.core.audit import add_with_audit, change_with_audit, record_audit, snapshot
from app.core.countries import normalise_country
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.i18n import LANGUAGES
from app.core.permissions import ADMIN
from app.core.timezones import clean_time_zone, default_time_zone
from app.extensions import db

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$")  # programme codes: String(30)
INSTITUTION_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")  # String(20)


@dataclass
class InstitutionData:
    code: str
    name: str
    country: str
    kind: str = "college"
    is_home: bool = False
    time_zone: str | None = None  # empty: the country's main time zone
    # Days to answer an alumnus's privacy request (None: keep; a new institution has 30).
    rights_deadline_days: int | None = None
    # Pages and e-mail when nobody's choice says otherwise (app.core.i18n.LANGUAGES), and
    # Buddhist Era years on Thai pages (None: keep; a new institution has English and on).
    default_language: str | None = None
    buddhist_era: bool | None = None


@dataclass
class ProgrammeData:
    code: str
    name: str
    level: str
    study_area: str
    isced_code: str | None = None
    duration_months: int | None = None
    active: bool = True


def _require_admin(actor: Any) -> None:
    if actor is not None and actor.role != ADMIN:
        raise PermissionDenied("Only administrators manage institutions and programmes.")


def clean_institution_data(data: InstitutionData, exclude_id: int | None = None
                           ) -> dict[str, Any]:
    """Check an institution's details (code free, country known); the values to store."""
    errors: dict[str, str] = {}
    code = (data.code or "").strip().upper()
    if not INSTITUTION_CODE_RE.match(code):
        errors["code"] = gettext("Use letters, digits, dots, dashes or underscores (at most "
                                 "20).")
    else:
        stmt = select(Institution.id).where(func.upper(Institution.code) == code)
        if exclude_id:
            stmt = stmt.where(Institution.id != exclude_id)
        if db.session.scalar(stmt):
            errors["code"] = gettext("Another institution has this code: choose another.")
    if not (data.name or "").strip():
        errors["name"] = gettext("Fill in the name.")
    try:
        country = normalise_country(data.country)
        if country is None:
            errors["country"] = gettext("Choose the country.")
    except ValueError as exc:
        errors["country"] = str(exc)
        country = None
    if data.kind not in INSTITUTION_KINDS:
        errors["kind"] = gettext("Choose one of: %(choices)s.",
                                 choices=", ".join(INSTITUTION_KINDS))
    time_zone = default_time_zone(country)
    if (data.time_zone or "").strip():
        try:
            time_zone = clean_time_zone(data.time_zone)
        except ValueError as exc:
            errors["time_zone"] = str(exc)
    deadline = data.rights_deadline_days
    if deadline is not None and not 1 <= deadline <= 90:
        errors["rights_deadline_days"] = gettext("Give a number of days from 1 to 90.")
    if data.default_language is not None and data.default_language not in LANGUAGES:
        errors["default_language"] = gettext("Choose one of: %(choices)s.",
                                             choices=", ".join(LANGUAGES))
    if errors:
        raise ValidationFailed(errors)
    values = {"code": code, "name": data.name.strip(), "country": country, "kind": data.kind,
              "is_home": bool(data.is_home), "time_zone": time_zone}
    if deadline is not None:
        values["rights_deadline_days"] = deadline
    if data.default_language is not None:
        values["default_language"] = data.default_language
    if data.buddhist_era is not None:
        values["buddhist_era"] = bool(data.buddhist_era)
    return values


def _only_one_home(institution: Institution, actor: Any) -> None:
    """One institution is the home one: marking this one takes the mark from the other
    (audited: it changes which institution administrators' pages start from)."""
    if not institution.is_home:
        return
    for previous in db.session.scalars(select(Institution).where(
            Institution.is_home.is_(True), Institution.id != institution.id)):
        previous.is_home = False
        record_audit(actor, "institution.update", previous, institution_id=previous.id,
                     before={"is_home": True}, after={"is_home": False})
    db.session.flush()


def create_institution(data: InstitutionData, *, actor: Any) -> Institution:
    """Add an institution (the home institution, or a partner of exchanges)."""
    _require_admin(actor)
    values = clean_institution_data(data)
    if not db.session.scalar(select(func.count(Institution.id))):
        values["is_home"] = True  # the first institution is the home one
    institution = Institution(**values)
    db.session.add(institution)
    db.session.flush()
    _only_one_home(institution, actor)
    record_audit(actor, "institution.create", institution, institution_id=institution.id,
                 after=snapshot(institution))
    return institution


def update_institution(institution: Institution, data: InstitutionData, *, actor: Any
                       ) -> Institution:
    """Change an institution's details."""
    _require_admin(actor)
    values = clean_institution_data(data, institution.id)
    if institution.is_home and not values["is_home"]:
        raise ValidationFailed({"is_home": gettext(
            "Keep this ticked: one institution is the home one. To make another institution "
            "the home one, tick “Home institution” on that one.")})
    before = snapshot(institution)
    for key, value in values.items():
        setattr(institution, key, value)
    db.session.flush()
    _only_one_home(institution, actor)
    record_audit(actor, "institution.update", institution, institution_id=institution.id,
                 before=before, after=snapshot(institution))
    return institution


def _check_programme(data: ProgrammeData, institution: Institution, exclude_id: int | None
                     ) -> dict[str, Any]:
    errors: dict[str, str] = {}
    code = (data.code or "").strip().upper()
    if not CODE_RE.match(code):
        errors["code"] = gettext("Use letters, digits, dots, dashes or underscores (at most "
                                 "30).")
    else:
        stmt = select(Programme.id).where(Programme.institution_id == institution.id,
                                          func.upper(Programme.code) == code)
        if exclude_id:
            stmt = stmt.where(Programme.id != exclude_id)
        if db.session.scalar(stmt):
            errors["code"] = gettext("This institution already has a programme with this "
                                     "code: choose another.")
    if not (data.name or "").strip():
        errors["name"] = gettext("Fill in the name.")
    if data.level not in QUALIFICATION_LEVELS:
        errors["level"] = gettext("Choose one of: %(choices)s.",
                                  choices=", ".join(QUALIFICATION_LEVELS))
    if data.study_area not in STUDY_AREAS:
        errors["study_area"] = gettext("Choose one of: %(choices)s.",
                                       choices=", ".join(STUDY_AREAS))
    isced = (data.isced_code or "").strip() or None
    if isced and (problem := isced_problem(isced)):
        errors["isced_code"] = problem
    if data.duration_months is not None and not 1 <= int(data.duration_months) <= 120:
        errors["duration_months"] = gettext("Enter a duration of 1 to 120 months.")
    if errors:
        raise ValidationFailed(errors)
    return {"code": code, "name": data.name.strip(), "level": data.level,
            "study_area": data.study_area, "isced_code": isced,
            "duration_months": data.duration_months, "active": bool(data.active)}


def create_programme(data: ProgrammeData, *, institution: Institution, actor: Any) -> Programme:
    """Add a programme to an institution."""
    _require_admin(actor)
    values = _check_programme(data, institution, None)
    return add_with_audit(Programme(institution_id=institution.id, **values),
                          "programme.create", actor)


def update_programme(programme: Programme, data: ProgrammeData, *, actor: Any) -> Programme:
    """Change a programme's details."""
    _require_admin(actor)
    values = _check_programme(data, programme.institution, programme.id)
    return change_with_audit(programme, values, "programme.update", actor)


def institution_by_code(code: str) -> Institution | None:
    return db.session.scalar(
        select(Institution).where(func.upper(Institution.code) == (code or "").strip().upper())
    )

