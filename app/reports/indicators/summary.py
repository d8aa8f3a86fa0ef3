"""One aggregate query per indicator family, shared by the indicators of one computation.

Inside `shared_queries()` (shared.py: all_indicators, the framework tables and the campaign
page open one) each aggregate below runs once per selection's cohorts, and every variant
reads its numbers from it: the respondents' counts by status; the outcome counts of M4, M5,
M6, M7 and M9 in one row; M10's sums per competency. Outside it every call runs its query,
so a single indicator asked alone still costs one query. The listing queries of the results
are untouched: only the numbers come from here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from app.employment import codes
from app.employment.models import RATING_COLUMNS, SurveyResponse
from app.extensions import db
from app.reports.indicators.cohort import (
    EMPLOYED,
    count_where,
    effective_months,
    response_filter,
    status_in,
    with_alumnus,
)
from app.reports.indicators.result import Selection
from app.reports.indicators.shared import cohorts_of, once

# Months bands of M5, both ends included; None = open.
BANDS = {"band_lt3": (None, 2), "band_3_6": (3, 6), "band_gt6": (7, None),
         "band_lt6": (None, 5), "band_6_18": (6, 18), "band_gt18": (19, None)}


def employed_known_months():
    """SQL condition: employed, with months to the first job (as counted)."""
    return status_in(EMPLOYED) & effective_months().is_not(None)


def within(limit: int):
    """SQL condition: employed, first job at most `limit` months after graduation."""
    return status_in(EMPLOYED) & (effective_months() <= limit)


def in_band(variant: str):
    low, high = BANDS[variant]
    months = effective_months()
    condition = employed_known_months()
    if low is not None:
        condition = condition & (months >= low)
    if high is not None:
        condition = condition & (months <= high)
    return condition


def _shares() -> dict[str, Any]:
    """(answered, chosen) conditions of M6, M7 and M9 (employed respondents)."""
    r, edu, work = (SurveyResponse.relevance, SurveyResponse.education_level,
                    SurveyResponse.workplace_level)
    out: dict[str, Any] = {"M6.high": (r.is_not(None), r >= 4)}
    for level in codes.EDUCATION_LEVELS:
        out[f"M7.{level}"] = (edu.in_(tuple(codes.EDUCATION_LEVELS)), edu == level)
    for level in codes.WORKPLACE_LEVELS:
        out[f"M9.{level}"] = (work.in_(tuple(codes.WORKPLACE_LEVELS)), work == level)
    return out


def share_conditions(key: str):
    """(answered, chosen) of one M6 / M7 / M9 variant, e.g. "M7.same"."""
    return _shares()[key]


def outcome_counts(sel: Selection) -> dict[str, float]:
    """One row of counts over the respondents' counted responses: `respondents`,
    `employed`, `within_6`, `within_12`, `known_months`, `months_sum`, each M5 band, and
    each M6 / M7 / M9 share's `KEY.answered` and `KEY.chosen` among the employed."""
    def run() -> dict[str, float]:
        months = effective_months()
        known = employed_known_months()
        columns: dict[str, Any] = {
            "respondents": func.count(SurveyResponse.id),
            "employed": count_where(status_in(EMPLOYED)),
            "within_6": count_where(within(6)), "within_12": count_where(within(12)),
            "known_months": count_where(known),
            "months_sum": func.sum(case((known, months))),
        }
        for band in BANDS:
            columns[band] = count_where(in_band(band))
        for key, (answered, chosen) in _shares().items():
            columns[f"{key}.answered"] = count_where(status_in(EMPLOYED) & answered)
            columns[f"{key}.chosen"] = count_where(status_in(EMPLOYED) & chosen)
        row = db.session.execute(with_alumnus(
            select(*(c.label(f"c{i}") for i, c in enumerate(columns.values())))
            .select_from(SurveyResponse), sel).where(response_filter(sel))).one()
        return {k: (v or 0) for k, v in zip(columns, row, strict=True)}
    return once(("outcome_counts", cohorts_of(sel)), run)


def status_counts(sel: Selection) -> dict[str, int]:
    """Respondents per status (one aggregate over the counted responses)."""
    def run() -> dict[str, int]:
        rows = db.session.execute(
            select(SurveyResponse.status, func.count(SurveyResponse.id))
            .where(response_filter(sel)).group_by(SurveyResponse.status))
        return {status: n for status, n in rows}
    return once(("status_counts", cohorts_of(sel)), run)


def competency_sums(sel: Selection) -> dict[str, tuple[float | None, int]]:
    """M10: per competency, (sum of required now - at graduation, answers rating it), from
    one aggregate over the counted responses' rating columns."""
    def run() -> dict[str, tuple[float | None, int]]:
        columns = []
        for grad, now in RATING_COLUMNS.values():
            at_graduation = getattr(SurveyResponse, grad)
            columns += [func.sum(getattr(SurveyResponse, now) - at_graduation),
                        func.count(at_graduation)]
        row = db.session.execute(select(*columns).where(response_filter(sel))).one()
        return {key: (row[2 * i], row[2 * i + 1] or 0) for i, key in enumerate(RATING_COLUMNS)}
    return once(("competency_sums", cohorts_of(sel)), run)
