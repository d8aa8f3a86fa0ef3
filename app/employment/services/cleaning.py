"""Plain values of an employment record and the checks every way in shares (officers' and
alumni's pages, tracer survey answers, imports)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext

from app.core.countries import normalise_country
from app.core.currencies import normalise_currency
from app.core.db import today
from app.core.errors import ValidationFailed
from app.core.i18n import format_number
from app.core.numbers import largest_in, round_to_column
from app.employment import codes

INCOME_COLUMN = (14, 2)  # Numeric(14, 2): Employment.income_amount, SurveyResponse.income_amount


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


def is_blank(value: Any) -> bool:
    """None or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def check_choice(out: dict, errors: dict, name: str, choices: dict, required: bool = False
                 ) -> None:
    """Check `out[name]` against a code list (int codes converted); errors go in `errors`."""
    value = out.get(name)
    if value is None:
        if required:
            errors[name] = gettext("Choose one of the listed options.")
        return
    if isinstance(next(iter(choices)), int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            errors[name] = gettext("Choose one of the listed options.")
            return
    if value not in choices:
        errors[name] = gettext("Choose one of the listed options.")
    out[name] = value


def clean_employment_data(data: EmploymentData) -> dict[str, Any]:
    """Check and normalise an employment record; raise ValidationFailed with field errors."""
    out: dict[str, Any] = {}
    for f in fields(EmploymentData):
        value = getattr(data, f.name)
        out[f.name] = None if is_blank(value) else (value.strip() if isinstance(value, str)
                                                  else value)
    errors: dict[str, str] = {}
    check_choice(out, errors, "status", codes.EMPLOYMENT_STATUSES, required=True)
    for name, choices in (("employer_type", codes.EMPLOYER_TYPES),
                          ("isic_section", codes.ISIC_SECTIONS), ("hours", codes.HOURS),
                          ("contract", codes.CONTRACTS), ("isco_group", codes.ISCO_GROUPS),
                          ("how_found", codes.HOW_FOUND), ("relevance", codes.RELEVANCE),
                          ("education_level", codes.EDUCATION_LEVELS),
                          ("workplace_level", codes.WORKPLACE_LEVELS)):
        check_choice(out, errors, name, choices)
    months = out.get("months_to_find")
    if months is not None:
        try:
            months = int(months)
        except (TypeError, ValueError):
            errors["months_to_find"] = gettext("Give a whole number of months.")
        else:
            if not 0 <= months <= 240:
                errors["months_to_find"] = gettext("Give a number of months between 0 and 240.")
            out["months_to_find"] = months
    amount = out.get("income_amount")
    if amount is not None:
        try:
            amount = Decimal(str(amount).replace(",", ""))
        except InvalidOperation:
            errors["income_amount"] = gettext("Give the monthly income as a number.")
        else:
            rounded = round_to_column(amount, *INCOME_COLUMN)
            if not amount.is_finite() or amount < 0:
                errors["income_amount"] = gettext("Give the monthly income as a positive number.")
            elif rounded is None:
                errors["income_amount"] = gettext(
                    "Enter a monthly income of at most %(amount)s.",
                    amount=format_number(largest_in(*INCOME_COLUMN)))
            out["income_amount"] = rounded
    currency = out.get("income_currency")
    if currency is not None:
        try:
            out["income_currency"] = normalise_currency(currency)
        except ValueError:
            errors["income_currency"] = gettext("Use the three-letter ISO 4217 code, e.g. THB.")
            out["income_currency"] = currency.upper()
    if out.get("income_amount") is not None and out.get("income_currency") is None:
        errors["income_currency"] = gettext("Say which currency the income is in.")
    try:
        out["work_country"] = normalise_country(out.get("work_country"))
    except ValueError as exc:
        errors["work_country"] = str(exc)
    start, end = out.get("start_date"), out.get("end_date")
    if start and start > today():
        errors["start_date"] = gettext("Enter a start date of today or earlier.")
    if start and end and end < start:
        errors["end_date"] = gettext("Enter an end date on or after the start date.")
    if out.get("status") in codes.WITH_JOB:
        if out.get("status") == "wage_employed" and out.get("employer_name") is None:
            errors["employer_name"] = gettext("Name the employer.")
    else:
        # No employer, job or income for people without a job.
        for name in ("employer_name", "employer_type", "isic_section", "hours", "contract",
                     "job_title", "isco_group", "income_amount", "income_currency",
                     "relevance", "education_level", "workplace_level"):
            out[name] = None
    if out.get("employer_name") and len(out["employer_name"]) > 200:
        errors["employer_name"] = gettext("At most 200 characters.")
    if out.get("job_title") and len(out["job_title"]) > 200:
        errors["job_title"] = gettext("At most 200 characters.")
    if errors:
        raise ValidationFailed(errors)
    out["verified"] = bool(out.get("verified"))
    return out
