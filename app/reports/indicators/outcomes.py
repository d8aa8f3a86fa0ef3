"""Outcome indicators M1-M5: response, employment, positive outcome, job within 6 / 12
months, waiting time. Each counts in the database (see cohort.py for whose outcome counts)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.alumni.models import Alumnus
from app.core.i18n import N_
from app.employment.models import SurveyResponse
from app.extensions import db
from app.reports.indicators.cohort import (
    EMPLOYED,
    FURTHER_STUDY,
    SEEKING,
    THAI_EXCLUDED,
    cohort_alumni,
    counted_responses,
    effective_months,
    in_cohort,
    response_filter,
    status_in,
    undeliverable_alumni,
    with_alumnus,
)
from app.reports.indicators.registry import indicator
from app.reports.indicators.result import (
    COUNT,
    MONTHS,
    RATIO,
    Indicator,
    RecordList,
    Said,
    Selection,
    Word,
    ratio,
)
from app.reports.indicators.shared import cohorts_of, once
from app.reports.indicators.summary import (
    BANDS,
    employed_known_months,
    in_band,
    outcome_counts,
    status_counts,
    within,
)


def cohort_size(sel: Selection) -> int:
    return once(("cohort_size", cohorts_of(sel)), lambda: db.session.scalar(
        select(func.count(Alumnus.id)).where(in_cohort(sel))) or 0)


def _responses(sel: Selection, *conditions) -> RecordList:
    return RecordList("response", counted_responses(sel, *conditions))


def _ratio(code: str, variant: str, title: str, definition: str, numerator: float,
           denominator: float, counted: RecordList, base: RecordList | None) -> Indicator:
    return Indicator(code, variant, title, definition, RATIO, ratio(numerator, denominator),
                     numerator, denominator, counted=counted, base=base)


# --- M1 response rate ----------------------------------------------------------------------


@indicator("M1", "Response rate", ("gross", "net"))
def response_rate(sel: Selection, variant: str) -> Indicator:
    """M1: gross R / N; net R / (N - undeliverable)."""
    n = cohort_size(sel)
    r = sum(status_counts(sel).values())
    counted = _responses(sel)
    if variant == "gross":
        return _ratio("M1", variant, N_("Response rate (gross)"),
                      N_("Respondents / graduates of the cohort (not archived)."),
                      r, n, counted, RecordList("alumnus", cohort_alumni(sel)))
    bounced = undeliverable_alumni(sel).subquery()
    u = db.session.scalar(select(func.count()).select_from(bounced)) or 0
    base = cohort_alumni(sel).where(Alumnus.id.not_in(select(bounced.c.id)))
    return _ratio("M1", variant, N_("Response rate (net)"),
                  N_("Respondents / (graduates of the cohort - those whose survey invitation "
                     "could not be delivered and who did not respond)."),
                  r, n - u, counted, RecordList("alumnus", base))


# --- M2 employment rate --------------------------------------------------------------------


@indicator("M2", "Employment rate", ("labour_force", "all_graduates"))
def employment_rate(sel: Selection, variant: str) -> Indicator:
    """M2: employed / labour force, or employed / all graduates."""
    counts = status_counts(sel)
    employed = sum(counts.get(s, 0) for s in EMPLOYED)
    counted = _responses(sel, status_in(EMPLOYED))
    if variant == "labour_force":
        seeking = sum(counts.get(s, 0) for s in SEEKING)
        return _ratio("M2", variant, N_("Employment rate (labour force)"),
                      N_("(Wage + self-employed) / (wage + self-employed + unemployed and "
                         "seeking) among respondents; further study and those not in or not "
                         "available for the labour force are outside it."),
                      employed, employed + seeking, counted,
                      _responses(sel, status_in(EMPLOYED + SEEKING)))
    return _ratio("M2", variant, N_("Employment rate (all graduates)"),
                  N_("(Wage + self-employed respondents) / graduates of the cohort."),
                  employed, cohort_size(sel), counted, RecordList("alumnus", cohort_alumni(sel)))


# --- M3 positive outcome -------------------------------------------------------------------


@indicator("M3", "Positive outcome", ("positive", "thai"))
def positive_outcome(sel: Selection, variant: str) -> Indicator:
    """M3: (employed + further study) / R; Thai C / (A - D)."""
    counts = status_counts(sel)
    respondents = sum(counts.values())
    employed = sum(counts.get(s, 0) for s in EMPLOYED)
    if variant == "positive":
        further = sum(counts.get(s, 0) for s in FURTHER_STUDY)
        return _ratio("M3", variant, N_("Positive outcome"),
                      N_("(Employed + in further study) / respondents."),
                      employed + further, respondents,
                      _responses(sel, status_in(EMPLOYED + FURTHER_STUDY)), _responses(sel))
    excluded = sum(counts.get(s, 0) for s in THAI_EXCLUDED)
    return _ratio("M3", variant, N_("Employed within a year (Thailand)"),
                  N_("C / (A - D): A respondents, C employed or self-employed, D in further "
                     "study, military or national service, or ordination."),
                  employed, respondents - excluded, _responses(sel, status_in(EMPLOYED)),
                  _responses(sel, ~status_in(THAI_EXCLUDED)))


# --- M4 employed within 6 / 12 months ------------------------------------------------------

M4_VARIANTS = ("within_6_of_respondents", "within_6_of_employed",
               "within_12_of_respondents", "within_12_of_employed")


@indicator("M4", "Employed within 6 / 12 months", M4_VARIANTS)
def employed_within(sel: Selection, variant: str) -> Indicator:
    """M4: first job at most 6 / 12 months after graduation, of respondents or employed."""
    limit = 6 if variant.startswith("within_6") else 12
    of_employed = variant.endswith("employed")
    fast = within(limit)
    counts = outcome_counts(sel)
    row = (counts[f"within_{limit}"], counts["employed"], counts["respondents"])
    counted = RecordList("response", with_alumnus(
        counted_responses(sel), sel).where(fast))
    base = _responses(sel, status_in(EMPLOYED)) if of_employed else _responses(sel)
    if of_employed:
        title = Said(N_("Employed within %(months)d months (of employed respondents)"),
                     months=limit)
        words = Said(N_("Respondents employed whose first job began at most %(months)d months "
                        "after graduation (a job begun before graduation counts as 0) / "
                        "employed respondents."), months=limit)
    else:
        title = Said(N_("Employed within %(months)d months (of respondents)"), months=limit)
        words = Said(N_("Respondents employed whose first job began at most %(months)d months "
                        "after graduation (a job begun before graduation counts as 0) / "
                        "respondents."), months=limit)
    return _ratio("M4", variant, title, words,
                  row[0], row[1] if of_employed else row[2], counted, base)


# --- M5 waiting time -----------------------------------------------------------------------

BAND_WORDS = {"band_lt3": N_("under 3 months"), "band_3_6": N_("3 to 6 months"),
              "band_gt6": N_("over 6 months"), "band_lt6": N_("under 6 months"),
              "band_6_18": N_("6 to 18 months"), "band_gt18": N_("over 18 months")}
AVERAGE_WORDS = {
    "mean": (N_("Waiting time (mean, months)"),
             N_("The mean of the months from graduation to the first job among employed "
                "respondents who gave it (a job begun before graduation counts as 0).")),
    "median": (N_("Waiting time (median, months)"),
               N_("The median of the months from graduation to the first job among employed "
                  "respondents who gave it (a job begun before graduation counts as 0).")),
}
M5_VARIANTS = ("mean", "median", *BANDS)


def median_of(column, stmt, n: int | None = None) -> tuple[float | None, int]:
    """The median of `column` over the rows of `stmt` (already filtered to non-null values),
    found in the database: count (unless the caller counted them: `n`), then read the middle
    one or two values in order."""
    if n is None:
        n = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    if not n:
        return None, 0
    inner = stmt.add_columns(column.label("v")).subquery()
    middle = list(db.session.scalars(
        select(inner.c.v).order_by(inner.c.v).offset((n - 1) // 2).limit(2 - n % 2)))
    return float(sum(middle)) / len(middle), n


@indicator("M5", "Waiting time for the first job", M5_VARIANTS)
def waiting_time(sel: Selection, variant: str) -> Indicator:
    """M5: months to the first job among employed respondents: mean, median, bands."""
    months = effective_months()
    known = employed_known_months()
    base = RecordList("response", with_alumnus(counted_responses(sel), sel).where(known))
    counts = outcome_counts(sel)
    if variant in ("mean", "median"):
        if variant == "mean":
            n = counts["known_months"]
            total = counts["months_sum"] if n else None
            value = float(total) / n if n else None
        else:
            stmt = with_alumnus(select(SurveyResponse.id).select_from(SurveyResponse),
                                sel).where(response_filter(sel), known)
            # how many there are is counted with the cohort's other figures already
            value, n = median_of(months, stmt, counts["known_months"])
            total = None
        return Indicator("M5", variant, *AVERAGE_WORDS[variant], MONTHS, value,
                         float(total) if total is not None else None, n,
                         counted=base, base=base)
    inside, n = counts[variant], counts["known_months"]
    counted = RecordList("response", with_alumnus(counted_responses(sel), sel).where(
        in_band(variant)))
    band = Word(BAND_WORDS[variant])
    return Indicator("M5", variant, Said(N_("Waited %(band)s"), band=band),
                     Said(N_("Employed respondents whose first job came %(band)s after "
                             "graduation (a count; the denominator is the employed who gave "
                             "the months)."), band=band),
                     COUNT, inside, inside, n, counted=counted, base=base)
