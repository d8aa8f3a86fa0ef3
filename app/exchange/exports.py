"""The exchange figures (X1–X5) and the exchange alumni as tables to download (CSV or XLSX
through app.core.spreadsheet), with the same numbers the pages show."""

from __future__ import annotations

from typing import Any

from app.alumni.models import Alumnus
from app.core.labels import label_for
from app.exchange.figures import ExchangeReport
from app.exchange.models import PARTICIPATION_STATUSES, ExchangeParticipation

FIGURES_HEADER = ["Code", "Figure", "Part", "Count or numerator", "Denominator", "Rate (%)",
                  "Definition"]
ALUMNI_HEADER = ["Student number", "Name", "Programme", "Cohort", "Exchanges"]


X5_HEADER = ["Student number", "Name", "Cohort", "Latest employment status",
             "Exchange alumnus"]


def figures_rows(report: ExchangeReport) -> list[list[Any]]:
    """One row per figure (its breakdown, one row per part), then X5 per cohort."""
    rows: list[list[Any]] = []
    for f in report.figures:
        if f.denominator is not None:
            rows.append([f.code, f.title, None, f.numerator, f.denominator, f.rate,
                         f.definition])
            continue
        rows.append([f.code, f.title, "All", f.numerator, None, None, f.definition])
        rows += [[f.code, f.title, part, n, None, None, None] for part, n in f.breakdown.items()]
    e = report.employment
    if e.available:
        for c in e.cohorts:
            rows.append([e.code, e.title, f"Cohort {c.cohort}: exchange alumni",
                         c.exchange_employed, c.exchange_labour_force, c.exchange_rate,
                         e.definition])
            rows.append([e.code, e.title, f"Cohort {c.cohort}: other alumni",
                         c.others_employed, c.others_labour_force, c.others_rate, None])
    return rows


def alumni_rows(alumni: list[Alumnus],
                exchanges: dict[int, list[ExchangeParticipation]]) -> list[list[Any]]:
    """Each exchange alumnus with their exchanges (year, partner, status)."""
    return [[a.student_number, a.display_name, a.programme.code if a.programme else None,
             a.cohort_year, "; ".join(
                 f"{p.batch.year} {p.partner_institution.code} "
                 f"({label_for(p.status, PARTICIPATION_STATUSES).lower()})"
                 for p in exchanges.get(a.id, []))]
            for a in alumni]
