"""A framework's tables filled from the indicator functions, and Indonesia's IKU 2."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import and_, case, func, literal, select

from app.employment.models import SurveyResponse
from app.extensions import db
from app.reports.frameworks import Framework, Table
from app.reports.indicators import Indicator, RecordList, Selection, compute, shared_queries
from app.reports.indicators.cohort import (
    EMPLOYED,
    counted_responses,
    effective_months,
    response_filter,
)
from app.reports.indicators.income import minimum_wage_join
from app.reports.indicators.result import ratio


@dataclass
class Cell:
    text: Any  # the number shown (None: no data)
    kind: str  # "ratio", "count", "money", "months", "minimum", "score", ...
    indicator: Indicator | None = None
    below_minimum: bool = False


@dataclass
class FilledTable:
    table: Table
    rows: list[tuple[str, int, list[Cell]]] = field(default_factory=list)  # label, year, cells


def iku2(sel: Selection, framework: Framework) -> Indicator:
    """IKU 2: the weighted share of respondents with a good start (the framework's weights:
    a job within N months paying above k x the minimum wage, or further study)."""
    rule = framework.iku2 or {}
    k = rule.get("min_wage_factor", 1.0)
    join, wage, wage_currency = minimum_wage_join(sel)
    months = effective_months()
    above = and_(SurveyResponse.income_amount.is_not(None), wage.is_not(None),
                 SurveyResponse.income_currency == wage_currency,
                 SurveyResponse.income_amount > wage * literal(k))
    whens = []
    for w in rule.get("weights", []):
        if "status" in w:
            whens.append((SurveyResponse.status == w["status"], literal(w["weight"])))
        else:
            cond = and_(SurveyResponse.status.in_(EMPLOYED), months <= w["within_months"])
            cond = and_(cond, above) if w["above_min_wage"] else and_(cond, ~above)
            whens.append((cond, literal(w["weight"])))
    weight = case(*whens, else_=literal(0.0)) if whens else literal(0.0)
    total, n = db.session.execute(join(
        select(func.sum(weight), func.count(SurveyResponse.id)).select_from(SurveyResponse))
        .where(response_filter(sel))).one()
    records = RecordList("response", counted_responses(sel))
    return Indicator("IKU2", "weighted", "IKU 2",
                     "Sum of the respondents' weights (" + "; ".join(
                         (f"{w['status'].replace('_', ' ')} {w['weight']}" if "status" in w else
                          f"a job within {w['within_months']} months "
                          f"{'above' if w['above_min_wage'] else 'at or below'} {k:g} x the "
                          f"minimum wage {w['weight']}") for w in rule.get("weights", []))
                     + ") / respondents.", "ratio", ratio(float(total or 0), n),
                     float(total or 0), n, counted=records, base=records)


def fill_tables(framework: Framework, sel: Selection, last_year: int) -> list[FilledTable]:
    """Every table of the framework, rows per cohort year ending with `last_year` (each
    family's aggregate once per year: shared_queries)."""
    with shared_queries():
        return _fill(framework, sel, last_year)


def _fill(framework: Framework, sel: Selection, last_year: int) -> list[FilledTable]:
    years = list(range(last_year - framework.years + 1, last_year + 1))
    cache: dict[tuple[int, str], Indicator] = {}

    def get(year: int, ref: str) -> Indicator:
        if (year, ref) not in cache:
            code, variant = ref.split(".", 1)
            cache[(year, ref)] = compute(code, replace(sel, cohort_years=(year,)), variant)
        return cache[(year, ref)]

    out = []
    for table in framework.ordered_tables():
        filled = FilledTable(table)
        for year in years:
            cells = []
            for col in table.columns:
                if col.show == "minimum_response_rate":
                    graduates = get(year, "M1.gross").denominator or 0
                    cells.append(Cell(framework.minimum_response(int(graduates)), "minimum"))
                    continue
                if col.show == "iku2":
                    result = iku2(replace(sel, cohort_years=(year,)), framework)
                    cells.append(Cell(result.value, "ratio", result))
                    continue
                result = get(year, col.indicator)
                if col.show == "band":
                    cells.append(Cell(framework.score(result.value), "score", result))
                    continue
                value = getattr(result, col.show)
                kind = result.unit if col.show == "value" else "count"
                cell = Cell(value, kind, result)
                if col.indicator == "M1.gross" and col.show == "value" and \
                        framework.minimum_response_rate and value is not None:
                    cell.below_minimum = value < (framework.minimum_response(
                        int(result.denominator or 0)) or 0)
                cells.append(cell)
            filled.rows.append((framework.row_label(year, last_year), year, cells))
        out.append(filled)
    return out
