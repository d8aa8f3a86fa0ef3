"""Employers and employment history: the rules shared by officers' pages, self-service,
tracer survey answers and imports.

`cleaning` holds the plain values of a record and their checks, `employers` the institution's
employer list, `records` an alumnus's employment history. Callers import from here
(`from app.employment import services`)."""

from app.employment.codes import COMPETENCIES, ISIC_SECTIONS
from app.employment.services.cleaning import EmploymentData, clean_employment_data
from app.employment.services.employers import (
    EmployerData,
    create_employer,
    employer_list,
    find_employer,
    match_or_create_employer,
    normalise_employer_name,
    update_employer,
)
from app.employment.services.records import (
    current_employers,
    data_from,
    day_window,
    delete_employment,
    employment_history,
    engaged_reporting,
    has_employment_record,
    latest_employment_status_rows,
    latest_employment_statuses,
    own_employment,
    record_employment,
    refuse_if_verified,
    update_employment,
)

__all__ = [
    "COMPETENCIES",
    "ISIC_SECTIONS",
    "current_employers",
    "refuse_if_verified",
    "EmployerData",
    "EmploymentData",
    "clean_employment_data",
    "create_employer",
    "data_from",
    "day_window",
    "delete_employment",
    "employer_list",
    "employment_history",
    "engaged_reporting",
    "has_employment_record",
    "latest_employment_status_rows",
    "latest_employment_statuses",
    "find_employer",
    "match_or_create_employer",
    "normalise_employer_name",
    "own_employment",
    "record_employment",
    "update_employment",
    "update_employer",
]
