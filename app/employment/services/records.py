"""Employment records: an alumnus's history of jobs and other status spells, who may change
it, and the engagement source for jobs alumni reported themselves."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, case, exists, func, select

from app.alumni.models import Alumnus
from app.core.audit import record_audit, snapshot
from app.core.errors import NotFound, PermissionDenied, ValidationFailed
from app.core.panels import read_once
from app.core.permissions import ALUMNUS, require_self_or_writer
from app.employment import codes
from app.employment.models import Employment
from app.employment.services.cleaning import EmploymentData, clean_employment_data
from app.employment.services.employers import match_or_create_employer
from app.engagement.services import day_window, latest_activity
from app.extensions import db


def _check_may_edit(alumnus: Alumnus, actor: Any) -> None:
    """Officers edit any record of their institution; an alumnus edits their own history."""
    require_self_or_writer(alumnus, actor, self_message="You can change your own job history only.")


def apply_values(employment: Employment, values: dict[str, Any]) -> None:
    """Set cleaned values on a record; the employer named is matched or added to the list."""
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


def refuse_if_verified(employment: Employment) -> None:
    """An alumnus asks the office to change a record it verified (a correction request)."""
    if employment.verified:
        raise PermissionDenied(gettext("The office verified this record; ask them to change it."))


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
    apply_values(employment, values)
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
        refuse_if_verified(employment)
        values["verified"] = False
    before = snapshot(employment, _AUDIT_FIELDS)
    apply_values(employment, values)
    db.session.flush()
    if (actor.role == ALUMNUS and employment.source == "tracer"
            and snapshot(employment, _AUDIT_FIELDS) != before):
        # The record now says what the alumnus reports, no longer what they answered; the
        # stored answer keeps the values the tracer indicators count.
        employment.source = "self"
        db.session.flush()
    record_audit(actor, "employment.update", employment, before=before,
                 after=snapshot(employment, _AUDIT_FIELDS))
    return employment


def delete_employment(employment: Employment, *, actor: Any) -> None:
    """Remove a record entered by mistake (tracer answers stay: they are evidence)."""
    _check_may_edit(employment.alumnus, actor)
    if actor.role == ALUMNUS:
        refuse_if_verified(employment)
        if employment.source == "tracer" or employment.survey_id is not None:
            raise PermissionDenied(
                gettext("Records from your survey answers are kept; add a new job."))
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
    """An alumnus's records, current first, newest start first (read once for a page's
    panels and timeline)."""
    return read_once("employment_history", alumnus, lambda: list(db.session.scalars(
        select(Employment).where(Employment.alumnus_id == alumnus.id)
        .order_by(Employment.end_date.is_not(None), Employment.start_date.desc(),
                  Employment.id.desc()))))


def own_employment(alumnus: Alumnus, employment_id: int) -> Employment:
    """One record of the alumnus's own history, or NotFound."""
    employment = db.session.get(Employment, employment_id)
    if employment is None or employment.alumnus_id != alumnus.id:
        raise NotFound(gettext("No such record in your job history."))
    return employment


def data_from(employment: Employment) -> EmploymentData:
    values = {f.name: getattr(employment, f.name, None) for f in fields(EmploymentData)}
    if employment.employer is not None:
        values["employer_name"] = employment.employer.name
        values["employer_type"] = employment.employer.employer_type
        values["isic_section"] = employment.employer.isic_section
    return EmploymentData(**values)


def reporting_activity(institution_id: int, since: date, until: date, alumnus: Any = None
                       ) -> list[Select]:
    """Engagement source (SQL): (alumnus id, when) of jobs alumni reported or updated
    themselves in the window (see app.engagement.services.ActivityQuery)."""
    start, end = day_window(since, until)
    stmt = select(Employment.alumnus_id, Employment.updated_at).where(
        Employment.institution_id == institution_id, Employment.source == "self",
        Employment.updated_at >= start, Employment.updated_at < end)
    return [stmt if alumnus is None else stmt.where(Employment.alumnus_id == alumnus)]


def engaged_reporting(institution_id: int, since: date, until: date
                      ) -> list[tuple[int, date]]:
    """(alumnus id, latest date) of jobs alumni reported or updated themselves."""
    return latest_activity(reporting_activity(institution_id, since, until))


def latest_employment_status_rows(alumni: Select) -> Select:
    """(alumnus_id, status): each alumnus's latest employment status, for the alumni whose ids
    `alumni` (a select of one id column) gives: the open spell begun last, else the one that
    ended last (ties: the later start, then the later record). A select to run, or to join in
    an aggregate (one window function, in the database)."""
    open_first = case((Employment.end_date.is_(None), 1), else_=0)
    last_day = func.coalesce(Employment.end_date, Employment.start_date)
    rank = func.row_number().over(
        partition_by=Employment.alumnus_id,
        order_by=(open_first.desc(), last_day.is_(None), last_day.desc(),
                  Employment.start_date.is_(None), Employment.start_date.desc(),
                  Employment.id.desc()))
    ranked = (select(Employment.alumnus_id, Employment.status, rank.label("rank"))
              .where(Employment.alumnus_id.in_(alumni))
              .subquery())
    return select(ranked.c.alumnus_id, ranked.c.status).where(ranked.c.rank == 1)


def has_employment_record():
    """SQL condition on Alumnus: at least one employment record (so a latest status)."""
    return exists().where(Employment.alumnus_id == Alumnus.id)


def latest_employment_statuses(alumni: Select) -> dict[int, str]:
    """{alumnus id: latest employment status} (see latest_employment_status_rows)."""
    return dict(db.session.execute(latest_employment_status_rows(alumni)).all())


def current_employers() -> Select:
    """(alumnus_id, employer name, ISIC section) of every job still held (no end date): what
    the alumni directory shows and searches for those who chose to show it."""
    from app.employment.models import Employer

    return (select(Employment.alumnus_id, Employer.name.label("employer"),
                   Employer.isic_section.label("industry"))
            .join(Employer, Employer.id == Employment.employer_id)
            .where(Employment.end_date.is_(None)))
