"""Every indicator of DESIGN, defined once: M1-M11 (outcomes), E1-E5 (engagement), X1-X4
(exchange). Import from here:

    from app.reports import indicators
    result = indicators.employment_rate(institution, [programme], [2024], 12, "labour_force")
    everything = indicators.all_indicators(selection)

`result.py` holds the result type (`Indicator`) and the signature every function shares;
`registry.py` the table of codes and variants; `cohort.py` whose outcome counts.
"""

from __future__ import annotations

from app.reports.indicators.employers import employer_satisfaction
from app.reports.indicators.engagement import (
    contributions,
    curriculum_involvement,
    engagement_rate,
    linkages,
    mentoring,
    money_currencies,
)
from app.reports.indicators.exchange import completion, evaluation, participants, recognition
from app.reports.indicators.income import home_currency, income, income_currencies
from app.reports.indicators.match import (
    competency_gap,
    horizontal_match,
    vertical_match,
    workplace_level,
)
from app.reports.indicators.outcomes import (
    cohort_size,
    employed_within,
    employment_rate,
    positive_outcome,
    response_rate,
    status_counts,
    waiting_time,
)
from app.reports.indicators.registry import (
    ENGAGEMENT,
    EXCHANGE,
    OUTCOME,
    REGISTRY,
    Definition,
    compute,
    definition,
)
from app.reports.indicators.result import (
    COUNT,
    MONEY,
    MONTHS,
    RATIO,
    SCALE_POINTS,
    Indicator,
    Params,
    RecordList,
    Selection,
    UnknownVariant,
    make_selection,
)
from app.reports.indicators.shared import shared_queries

__all__ = [
    "COUNT", "Definition", "ENGAGEMENT", "EXCHANGE", "Indicator", "MONEY", "MONTHS", "OUTCOME",
    "Params", "RATIO", "REGISTRY", "RecordList", "SCALE_POINTS", "Selection", "UnknownVariant",
    "all_indicators", "cohort_size", "competency_gap", "completion", "compute", "contributions",
    "curriculum_involvement", "definition", "employed_within", "employer_satisfaction",
    "employment_rate", "engagement_rate", "evaluation", "home_currency", "horizontal_match",
    "income", "income_currencies", "linkages", "make_selection", "mentoring", "money_currencies",
    "participants", "positive_outcome", "recognition", "response_rate", "shared_queries",
    "status_counts",
    "vertical_match", "waiting_time", "workplace_level",
]


def _order(code: str) -> tuple[int, int]:
    return ("MEX".index(code[0]), int(code[1:]))


def all_indicators(sel: Selection, *, codes: tuple[str, ...] | None = None
                   ) -> list[Indicator]:
    """Every variant of every indicator (or of `codes`) for one selection; M8's medians once
    per currency the cohort was paid in (the institution's own currency when none); each
    family's aggregate runs once (shared.shared_queries)."""
    with shared_queries():
        return _all(sel, codes)


def _all(sel: Selection, codes: tuple[str, ...] | None) -> list[Indicator]:
    from dataclasses import replace

    out: list[Indicator] = []
    for code, d in sorted(REGISTRY.items(), key=lambda i: _order(i[0])):
        if codes is not None and code not in codes:
            continue
        for variant in d.variants:
            per_currency = (code == "M8" and variant != "share_above_min_wage") or (
                code == "E4" and variant == "money")
            if per_currency and sel.params.currency is None:
                found = income_currencies(sel) if code == "M8" else money_currencies(sel)
                for currency in found or [home_currency(sel.institution_id)]:
                    out.append(compute(code, replace(
                        sel, params=replace(sel.params, currency=currency)), variant))
                continue
            out.append(compute(code, sel, variant))
    return out
