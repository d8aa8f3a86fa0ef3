"""Job match and competencies: M6 horizontal match, M7 vertical match, M9 workplace level,
M10 competency gap."""

from __future__ import annotations

from sqlalchemy import select

from app.core.i18n import N_
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
    Said,
    Selection,
    Word,
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
    return _share(sel, "M6", variant, N_("Job related to the training"),
                  N_("Employed respondents who rate their job's relation to the training 4 or "
                     "5 (of 5) / employed respondents who answered."))


# Each variant's title and definition as whole sentences (the English as before).
M7_WORDS = {
    "higher": (N_("Job needs a higher level than mine"),
               N_("Employed respondents whose job needs a higher level than mine / employed "
                  "respondents who answered the level their job needs.")),
    "same": (N_("Job needs the same level as mine"),
             N_("Employed respondents whose job needs the same level as mine / employed "
                "respondents who answered the level their job needs.")),
    "lower": (N_("Job needs a lower level than mine"),
              N_("Employed respondents whose job needs a lower level than mine / employed "
                 "respondents who answered the level their job needs.")),
    "none": (N_("Job needs no particular level"),
             N_("Employed respondents whose job needs no particular level / employed "
                "respondents who answered the level their job needs.")),
}
M9_WORDS = {
    "local": (N_("Workplace: local"),
              N_("Employed respondents working at a local workplace / employed respondents "
                 "who answered the workplace level.")),
    "national": (N_("Workplace: national"),
                 N_("Employed respondents working at a national workplace / employed "
                    "respondents who answered the workplace level.")),
    "multinational": (N_("Workplace: multinational / international"),
                      N_("Employed respondents working at a multinational / international "
                         "workplace / employed respondents who answered the workplace "
                         "level.")),
}


@indicator("M7", "Vertical match", tuple(codes.EDUCATION_LEVELS))
def vertical_match(sel: Selection, variant: str) -> Indicator:
    """M7: shares of the education level the job needs."""
    return _share(sel, "M7", variant, *M7_WORDS[variant])


@indicator("M9", "Workplace level", tuple(codes.WORKPLACE_LEVELS))
def workplace_level(sel: Selection, variant: str) -> Indicator:
    """M9: local / national / multinational shares."""
    return _share(sel, "M9", variant, *M9_WORDS[variant])


@indicator("M10", "Competency gap", tuple(codes.COMPETENCIES))
def competency_gap(sel: Selection, variant: str) -> Indicator:
    """M10: per competency, mean level required now - mean level at graduation."""
    total, n = competency_sums(sel).get(variant, (None, 0))
    rated = getattr(SurveyResponse, RATING_COLUMNS[variant][0]).is_not(None)
    records = RecordList(f"rating.{variant}", select(SurveyResponse)
                         .where(response_filter(sel), rated)
                         .order_by(SurveyResponse.alumnus_id))
    name = Word(codes.COMPETENCIES[variant])
    return Indicator("M10", variant, Said(N_("Competency gap: %(competency)s"), competency=name),
                     Said(N_("%(competency)s: mean level required now - mean level at "
                             "graduation (1-5), over respondents who rated it; above 0 the job "
                             "asks more than the training gave. Numerator: the sum of the "
                             "differences."), competency=name), SCALE_POINTS,
                     ratio(total, n), float(total) if total is not None else 0.0, n,
                     counted=records, base=records)
