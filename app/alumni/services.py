"""Register services: find, create, edit and archive alumni; consent; correction requests.

The importer, the API and the pages all call these, so the same rules hold everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.alumni import rules
from app.alumni.lookup import find_by_student_number  # noqa: F401 - used by other features
from app.alumni.models import (
    ALUMNUS_STATUSES,
    GENDERS,
    Alumnus,
    Institution,
    Programme,
)
from app.alumni.register import (  # noqa: F401 - the register list, used by pages and features
    SEARCH_MATCHERS,
    SORTS,
    RegisterFilters,
    add_search_matcher,
    cohort_years,
    register_counts,
    register_counts_key,
    register_page,
    search_alumni,
)
from app.alumni.rule_words import say
from app.alumni.written import alumni_written
from app.core.audit import record_audit, snapshot
from app.core.countries import normalise_country, normalise_phone
from app.core.db import utcnow
from app.core.email_words import address_problem
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.permissions import (
    ADMIN,
    require_own_institution,
    require_self,
    require_writer_in_scope,
    scope,
)
from app.extensions import db

STUDENT_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$")
# Fields an alumnus keeps current; the rest are the office's.
SELF_SERVICE_FIELDS = ("preferred_name", "email", "phone", "country", "city")
OFFICE_FIELDS = ("student_number", "given_name", "family_name", "programme_id",
                 "graduation_date", "award_date", "cohort_year", "birth_date")


@dataclass
class AlumnusData:
    """Plain values for an alumnus record, as a form, an import row or the API gives them."""

    student_number: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    preferred_name: str | None = None
    email: str | None = None
    phone: str | None = None
    country: str | None = None
    city: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    programme_id: int | None = None
    graduation_date: date | None = None
    award_date: date | None = None
    cohort_year: int | None = None
    status: str | None = None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_alumnus_data(
    data: AlumnusData, institution: Institution, *, only: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """Check and normalise the given fields; return them as a dict or raise ValidationFailed.

    Blank values come back as None. `only` limits the check to those fields.
    """
    names = only or tuple(f.name for f in fields(AlumnusData))
    raw = {n: getattr(data, n) for n in names}
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        out[name] = None if _blank(value) else (value.strip() if isinstance(value, str) else value)

    if "student_number" in out:
        sn = out["student_number"]
        if sn is None:
            errors["student_number"] = gettext("Fill in the student number.")
        elif not STUDENT_NUMBER_RE.match(sn):
            errors["student_number"] = gettext(
                "Use letters and digits (dots, dashes and slashes inside), at most 40.")
    if "given_name" in out and out["given_name"] is None:
        errors["given_name"] = gettext("Fill in the given name.")
    if out.get("email") is not None:
        try:
            # One case for every address, so matching never depends on how it was typed.
            out["email"] = validate_email(out["email"],
                                          check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            errors["email"] = gettext("That e-mail address is not valid: %(reason)s",
                                      reason=address_problem(exc))
    if "country" in out:
        try:
            out["country"] = normalise_country(out["country"])
        except ValueError as exc:
            errors["country"] = str(exc)
    if "phone" in out and "phone" not in errors:
        try:
            out["phone"] = normalise_phone(out["phone"], out.get("country") or institution.country)
        except ValueError as exc:
            errors["phone"] = str(exc)
    if out.get("gender") is not None and out["gender"] not in GENDERS:
        errors["gender"] = gettext("Choose one of the listed options.")
    if out.get("status") is not None and out["status"] not in ALUMNUS_STATUSES:
        errors["status"] = gettext("Choose one of: %(choices)s.",
                                   choices=", ".join(ALUMNUS_STATUSES))
    if out.get("programme_id") is not None:
        programme = db.session.get(Programme, out["programme_id"])
        if programme is None or programme.institution_id != institution.id:
            errors["programme_id"] = gettext("Choose a programme of this institution.")
    rule_errors: dict[str, str] = {}
    rules.check_cohort_and_dates(out, rule_errors)
    # The rules speak English (an import keeps them so); a form says them in its language.
    errors.update({name: say(message) for name, message in rule_errors.items()})
    if errors:
        raise ValidationFailed(errors)
    return out


def cohort_warning(alumnus: Alumnus) -> str | None:
    """A note when a stated cohort is not the graduation year: allowed (some offices count
    the intake year), but the register's lists and figures read it as the graduation year."""
    grad, cohort = alumnus.graduation_date, alumnus.cohort_year
    if grad is None or cohort is None or cohort == grad.year:
        return None
    return say(rules.cohort_not_graduation_message(cohort, grad.year))


def _check_unique_student_number(institution_id: int, number: str, exclude_id: int | None) -> None:
    stmt = select(Alumnus.id).where(
        Alumnus.institution_id == institution_id,
        func.lower(Alumnus.student_number) == number.lower(),
    )
    if exclude_id is not None:
        stmt = stmt.where(Alumnus.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise ValidationFailed(
            {"student_number": gettext(
                "Another alumnus of this institution has this student number.")}
        )


def create_alumnus(data: AlumnusData, *, institution: Institution, actor: Any) -> Alumnus:
    """Add an alumnus to the register."""
    require_own_institution(
        actor, institution.id, gettext("You can add alumni to your own institution only."))
    values = clean_alumnus_data(data, institution)
    _check_unique_student_number(institution.id, values["student_number"], None)
    values["status"] = values.get("status") or "active"
    alumnus = Alumnus(institution_id=institution.id, **values)
    alumnus.refresh_search_text()
    db.session.add(alumnus)
    db.session.flush()
    record_audit(actor, "alumnus.create", alumnus, after=snapshot(alumnus))
    alumni_written(institution.id, [alumnus.student_number], actor=actor)
    return alumnus


def _apply(alumnus: Alumnus, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(alumnus, name, value)
    alumnus.refresh_search_text()


def check_version(alumnus: Alumnus, expected_version: int | str | None) -> None:
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = -1
    if expected != alumnus.version:
        raise Conflict(gettext(
            "Someone else saved changes to this record while you were editing. "
            "The form now shows the current values; make your changes again."
        ))


def flush_or_conflict() -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:  # another transaction updated the row after we read it
        raise Conflict(gettext(
            "Someone else saved changes to this record at the same moment. Reload and retry."
        )) from exc


def update_alumnus(
    alumnus: Alumnus, data: AlumnusData, *, expected_version: int | None, actor: Any
) -> Alumnus:
    """Officers edit a record; the save is refused if someone saved it since it was read."""
    require_writer_in_scope(actor, alumnus, message="No such alumnus.")
    check_version(alumnus, expected_version)
    values = clean_alumnus_data(data, alumnus.institution)
    _check_unique_student_number(alumnus.institution_id, values["student_number"], alumnus.id)
    if alumnus.user_id and (values.get("email") or "").lower() != (alumnus.email or "").lower():
        raise ValidationFailed({"email": gettext(
            "This alumnus signs in with their e-mail: they change it under Update my details, "
            "and it changes once they confirm it from the new address.")})
    values["status"] = values.get("status") or alumnus.status
    before = snapshot(alumnus)
    _apply(alumnus, values)
    flush_or_conflict()
    record_audit(actor, "alumnus.update", alumnus, before=before, after=snapshot(alumnus))
    if alumnus.student_number != before["student_number"]:
        alumni_written(alumnus.institution_id, [alumnus.student_number], actor=actor)
    return alumnus


def update_own_contact(
    alumnus: Alumnus, data: AlumnusData, *, expected_version: int | None, actor: Any
) -> Alumnus:
    """An alumnus keeps their own contact details current (never another's record)."""
    require_self(alumnus, actor, gettext("You can change your own details only."))
    check_version(alumnus, expected_version)
    values = clean_alumnus_data(data, alumnus.institution, only=SELF_SERVICE_FIELDS)
    before = snapshot(alumnus, list(SELF_SERVICE_FIELDS))
    _apply(alumnus, values)
    flush_or_conflict()
    record_audit(actor, "alumnus.self_update", alumnus, before=before,
                 after=snapshot(alumnus, list(SELF_SERVICE_FIELDS)))
    return alumnus


def archive_alumnus(alumnus: Alumnus, *, actor: Any, archived: bool = True) -> Alumnus:
    """Archive (or restore) a record: it leaves the register lists but keeps its history."""
    require_writer_in_scope(actor, alumnus, message="No such alumnus.")
    before = {"archived_at": alumnus.archived_at.isoformat() if alumnus.archived_at else None}
    alumnus.archived_at = utcnow() if archived else None
    flush_or_conflict()
    after = {"archived_at": alumnus.archived_at.isoformat() if alumnus.archived_at else None}
    record_audit(actor, "alumnus.archive" if archived else "alumnus.restore", alumnus,
                 before=before, after=after)
    return alumnus


def own_alumnus(actor: Any) -> Alumnus:
    """The alumnus record linked to a signed-in alumnus account."""
    alumnus = db.session.scalar(select(Alumnus).where(Alumnus.user_id == actor.id))
    if alumnus is None:
        raise NotFound("No alumnus record is linked to this account.")
    return alumnus


def home_institution() -> Institution | None:
    """The institution this deployment belongs to (the one marked home), if set."""
    return db.session.scalar(select(Institution).where(Institution.is_home.is_(True)))


def working_institution(actor: Any, chosen_id: int | None = None) -> Institution:
    """The institution a staff page works in: where a new record goes, whose figures it shows.

    Officers and quality staff work in their own institution (a choice is ignored); an
    administrator works in the chosen one, else the home institution. NotFound when that
    institution does not exist.
    """
    if actor.role == ADMIN:
        institution = db.session.get(Institution, chosen_id) if chosen_id else home_institution()
    else:
        institution = db.session.get(Institution, actor.institution_id)
    if institution is None:
        raise NotFound("No such institution.")
    return institution


def programmes_for(actor: Any) -> list[Programme]:
    return list(db.session.scalars(scope(select(Programme), Programme, actor)
                                   .order_by(Programme.code)))


def data_from(alumnus: Alumnus) -> AlumnusData:
    return AlumnusData(**{f.name: getattr(alumnus, f.name) for f in fields(AlumnusData)})
