"""Job match and competencies: M6 horizontal match, M7 vertical match, M9 workplace level,
M10 competency gap."""

from __future__ import annotations

from sqlalchemy import select

from app.employment import codes
from app.employment.models import RATING_COLUMNS, SurveyResponse
from app.reports.indicators.cohort import (
    EMPLOYED,
    counted_responses,
    response_filter,
    status_in,
)
from app.reports.indicators.registry import indicator
from app.reports.indicators.result import (
    RATIO,
    SCALE_POINTS,
    Indicator,
    RecordList,
    Selection,
    ratio,
)
from app.reports.indicators.summary import competency_sums, outcome_counts, share_conditions


def _share(sel: Selection, code: str, variant: str, title: str, definition: str) -> Indicator:
    """Employed respondents meeting `chosen` / employed respondents who `answered` (the
    conditions of summary.share_conditions; the counts from the family's one aggregate)."""
    key = f"{code}.{variant}"
    answered, chosen = share_conditions(key)
    counts = outcome_counts(sel)
    part, whole = counts[f"{key}.chosen"], counts[f"{key}.answered"]
    return Indicator(code, variant, title, definition, RATIO, ratio(part, whole), part, whole,
                     counted=RecordList("response", counted_responses(
                         sel, status_in(EMPLOYED), chosen)),
                     base=RecordList("response", counted_responses(
                         sel, status_in(EMPLOYED), answered)))


@indicator("M6", "Horizontal match", ("high",))
def horizontal_match(sel: Selection, variant: str) -> Indicator:
    """M6: employed with relevance 4-5 / employed who answered relevance."""
    return _share(sel, "M6", variant, "Job related to the training",
                  "Employed respondents who rate their job's relation to the training 4 or 5 "
                  "(of 5) / employed respondents who answered.")


@indicator("M7", "Vertical match", tuple(codes.EDUCATION_LEVELS))
def vertical_match(sel: Selection, variant: str) -> Indicator:
    """M7: shares of the education level the job needs."""
    words = codes.EDUCATION_LEVELS[variant].lower()
    return _share(sel, "M7", variant, f"Job needs {words}",
                  f"Employed respondents whose job needs {words} / employed respondents who "
                  "answered the level their job needs.")


@indicator("M9", "Workplace level", tuple(codes.WORKPLACE_LEVELS))
def workplace_level(sel: Selection, variant: str) -> Indicator:
    """M9: local / national / multinational shares."""
    words = codes.WORKPLACE_LEVELS[variant].lower()
    return _share(sel, "M9", variant, f"Workplace: {words}",
                  f"Employed respondents working at a {words} workplace / employed "
                  "respondents who answered the workplace level.")


@indicator("M10", "Competency gap", tuple(codes.COMPETENCIES))
def competency_gap(sel: Selection, variant: str) -> Indicator:
    """M10: per competency, mean level required now - mean level at graduation."""
    total, n = competency_sums(sel).get(variant, (None, 0))
    rated = getattr(SurveyResponse, RATING_COLUMNS[variant][0]).is_not(None)
    records = RecordList(f"rating.{variant}", select(SurveyResponse)
                         .where(response_filter(sel), rated)
                         .order_by(SurveyResponse.alumnus_id))
    name = codes.COMPETENCIES[variant]
    return Indicator("M10", variant, f"Competency gap: {name}",
                     f"{name}: mean level required now - mean level at graduation (1-5), over "
                     "respondents who rated it; above 0 the job asks more than the training "
                     "gave. Numerator: the sum of the differences.", SCALE_POINTS,
                     ratio(total, n), float(total) if total is not None else 0.0, n,
                     counted=records, base=records)
