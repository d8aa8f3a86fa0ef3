"""The register's rules on the cohort and the dates of a record, and their messages, in one
place: the register's check of one record (`app.alumni.services.clean_alumnus_data`, behind
the pages and the API) and the registrar import's check of a whole column of rows
(`app.imports.alumni_plan`) both call these.

The tests come in two shapes that read the same: on plain values for one record, and on
pandas columns for a file (the comparisons and `&`/`|` work on both). Messages are built with
`+` for the same reason: give them text (one record) or columns of text (a file).
tests/alumni/test_rule_parity.py runs one table of cases through the register form and the
import and fails when the two answer differently.
"""

from __future__ import annotations

from typing import Any, TypeVar

from app.core.db import today

FIRST_COHORT = 1950
YEARS_AHEAD = 6  # a cohort (or a graduation) may be planned this many years ahead
BUDDHIST_ERA_OFFSET = 543  # Thai offices write the Buddhist Era year: 2566 is 2023

T = TypeVar("T")  # a plain value, or a pandas column of them

NOT_A_YEAR = "The cohort is a year, such as 2024."
AWARD_BEFORE_GRADUATION = "Enter an award date on or after the graduation date."
BIRTH_IN_FUTURE = "Enter a birth date in the past."
BIRTH_NOT_BEFORE_GRADUATION = "Enter a birth date before the graduation date."
DATED_FIELDS = ("graduation_date", "award_date")  # the dates the Buddhist Era guard reads


def latest_year() -> int:
    """The last year a cohort or a graduation may have (this year and six more)."""
    return today().year + YEARS_AHEAD


def cohort_in_range(year: T) -> T:
    """Whether a cohort year is from 1950 to `latest_year()`."""
    return (year >= FIRST_COHORT) & (year <= latest_year())


def cohort_range_message() -> str:
    return f"Enter a cohort year from {FIRST_COHORT} to {latest_year()}."


def beyond_common_era(year: T) -> T:
    """A date whose year is past `latest_year()`: a Buddhist Era year typed as it stands,
    typically; the register refuses it rather than keep a graduation centuries ahead."""
    return year > latest_year()


def buddhist_era_message(year: Any) -> Any:
    """The message for `beyond_common_era`; `year` as a number (or a column of numbers)."""
    return (f"Enter a date in the common era, up to {latest_year()} (a Buddhist Era year such "
            "as " + _text(year) + " is " + _text(year - BUDDHIST_ERA_OFFSET) + ").")


def award_before_graduation(graduation: T, award: T) -> T:
    return award < graduation


def birth_in_future(born: T) -> T:
    return born > _today_as(born)


def birth_not_before_graduation(born: T, graduation: T) -> T:
    return born >= graduation


def cohort_after_graduation(cohort: T, graduation_year: T) -> T:
    """A stated cohort later than the graduation year: refused (an earlier one may be the
    intake year, see `cohort_not_graduation_message`)."""
    return cohort > graduation_year


def cohort_after_graduation_message(cohort: Any, graduation_year: Any) -> Any:
    year = _text(graduation_year)
    return ("The cohort (" + _text(cohort) + ") is later than the graduation year (" + year
            + "): correct it, or leave it empty to use " + year + ".")


def cohort_not_graduation_message(cohort: Any, graduation_year: Any) -> Any:
    """A warning, not an error: some offices count the intake year, but the register's lists
    and figures read the cohort as the graduation year."""
    return ("The cohort (" + _text(cohort) + ") is not the graduation year ("
            + _text(graduation_year) + "): the register takes the cohort as the graduation "
            "year unless stated, so check it is meant.")


def check_cohort_and_dates(out: dict[str, Any], errors: dict[str, str]) -> None:
    """The rules on the cohort and the dates of one record's cleaned values `out` (the
    register's check, `clean_alumnus_data`): messages go into `errors` by field; a cohort
    left empty becomes the graduation year."""
    year = out.get("cohort_year")
    if year is not None:
        try:
            year = int(year)
        except (TypeError, ValueError):
            errors["cohort_year"] = NOT_A_YEAR
        else:
            if not cohort_in_range(year):
                errors["cohort_year"] = cohort_range_message()
            out["cohort_year"] = year
    grad, award, born = out.get("graduation_date"), out.get("award_date"), out.get("birth_date")
    for name in DATED_FIELDS:
        when = out.get(name)
        if when is not None and beyond_common_era(when.year):
            errors[name] = buddhist_era_message(when.year)
    if "graduation_date" in errors:
        grad = None
    if grad and award and award_before_graduation(grad, award):
        errors["award_date"] = AWARD_BEFORE_GRADUATION
    if born and birth_in_future(born):
        errors["birth_date"] = BIRTH_IN_FUTURE
    if grad and born and birth_not_before_graduation(born, grad):
        errors["birth_date"] = BIRTH_NOT_BEFORE_GRADUATION
    if "cohort_year" in out and out.get("cohort_year") is None and grad is not None:
        out["cohort_year"] = grad.year  # the cohort is the graduation year unless stated
    cohort = out.get("cohort_year")
    if (grad is not None and isinstance(cohort, int) and "cohort_year" not in errors
            and cohort_after_graduation(cohort, grad.year)):
        errors["cohort_year"] = cohort_after_graduation_message(cohort, grad.year)


def _today_as(other: Any) -> Any:
    """Today as a date, or as a pandas time stamp to compare with a column of them."""
    if hasattr(other, "dt"):
        import pandas as pd

        return pd.Timestamp(today())
    return today()


def _text(value: Any) -> Any:
    """A number as text, or a column of numbers as a column of text (whole numbers)."""
    if hasattr(value, "astype"):
        return value.astype("Int64").astype(str)
    return str(value)
