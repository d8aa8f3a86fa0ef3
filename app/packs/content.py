"""What an evidence pack holds, gathered once and written to every format: the cover, the
summary of every indicator over the cohort years, the framework's tables in its annex order,
the annexes and the charts. Every figure comes from an indicator function of app.reports
(or one query named in its annex) and carries the address of the records it counted."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.alumni.models import Institution, Programme
from app.core.i18n import DEFAULT_LANGUAGE, N_, current_language
from app.core.urls import external_url
from app.extensions import db
from app.reports.frameworks import FOLDER, Framework, get_framework
from app.reports.indicators import Indicator, Selection, all_indicators, make_selection
from app.reports.indicators.result import Said
from app.reports.listing import format_value, page_value
from app.reports.tables import FilledTable, fill_tables


@dataclass(frozen=True)
class PackRequest:
    """What to build: the institution, framework, programmes (none = all), cohort years."""

    institution_id: int
    framework: str
    programme_ids: tuple[int, ...]
    years: tuple[int, ...]
    reference_months: int | None = None  # None: the framework's
    language: str = DEFAULT_LANGUAGE  # the language of the pack's fixed text

    def as_dict(self) -> dict[str, Any]:
        return {"institution_id": self.institution_id, "framework": self.framework,
                "programme_ids": list(self.programme_ids), "years": list(self.years),
                "reference_months": self.reference_months, "language": self.language}


def words(*messages: str) -> list[Said]:
    """Fixed texts of a pack (each marked N_): English as they are, said in the pack's
    language where the HTML, PDF or workbook shows them (render.said)."""
    return [Said(m) for m in messages]


class Coded(Said):
    """A stored code's cell: the English the exports always wrote ("in kind"), said as its
    code list's label (marked N_ there) where the pack's language is not English."""

    def __new__(cls, english: str, message: str, /) -> Coded:
        coded = str.__new__(cls, english)
        coded.message, coded.args = message, {}
        return coded


def coded(value: str, labels: dict[str, str], english: str | None = None) -> Any:
    """`value` as a cell: `english` (default: the value as it is) in the CSV and English
    packs, its label of `labels` in the pack's language; an unknown code as it is."""
    shown = english if english is not None else value
    return Coded(shown, labels[value]) if value in labels else shown


@dataclass
class Figure:
    """One number of the pack: its value as people read it, and where its records are."""

    value: float | None
    unit: str
    currency: str | None = None
    href: str | None = None  # the list of records it counted (a page of the app)
    code: str | None = None  # "M1.gross"

    @property
    def text(self) -> str:
        """As the pack's language writes it (English: the exports' own form, "72.5 %")."""
        if current_language() == DEFAULT_LANGUAGE:
            return format_value(self.value, self.unit, self.currency)
        return page_value(self.value, self.unit, self.currency)


@dataclass
class Link:
    """A cell that names a record and links to its page (the workbook and CSV show the
    address itself, so a printed row can be traced too)."""

    text: str
    href: str


@dataclass
class Chart:
    """A drawn chart (SVG markup) with its title, the n it stands on and a text equivalent."""

    key: str
    title: str
    svg: str
    n: int
    description: str  # the text equivalent: every value the chart shows, in words


@dataclass
class Annex:
    """A table of the pack. Record-level annexes (one row per record) go to the workbook
    and the CSV zip only; summary annexes go everywhere."""

    key: str
    title: str  # a Said (English, said in the pack's language where it is shown)
    header: list[str]  # Said too; the CSV files keep them English
    rows: list[list[Any]]  # cells: plain values, Said or Figure
    source: str  # which indicator functions or query made it
    record_level: bool = False
    note: str = ""
    number: str = ""  # set when the pack is put together
    charts: list[Chart] = field(default_factory=list)


@dataclass
class SummaryRow:
    code: str
    variant: str
    title: str
    definition: str
    unit: str
    currency: str | None
    figures: list[Figure | None]  # one per year, oldest first

    @property
    def trend(self) -> str:
        """Up, down or level from the first year with a value to the last."""
        values = [f.value for f in self.figures if f is not None and f.value is not None]
        if len(values) < 2:
            return "—"
        first, last = values[0], values[-1]
        if abs(last - first) < 1e-9:
            return Said(N_("level"))
        return Said(N_("up")) if last > first else Said(N_("down"))


@dataclass
class PackContent:
    request: PackRequest
    institution: Institution
    framework: Framework
    framework_sha256: str
    programmes: list[Programme]
    years: list[int]
    reference_months: int
    as_of: datetime
    built_by: str
    selection: Selection
    per_year: dict[int, dict[str, Indicator]]
    summary: list[SummaryRow] = field(default_factory=list)
    tables: list[FilledTable] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    base_url: str | None = None

    @property
    def programme_label(self) -> str:
        return ", ".join(f"{p.code} {p.name}" for p in self.programmes)

    @property
    def years_label(self) -> str:
        return ", ".join(str(y) for y in self.years)

    def year_selection(self, year: int) -> Selection:
        return replace(self.selection, cohort_years=(year,))

    def records_href(self, result: Indicator, years: list[int] | None = None,
                     which: str = "counted") -> str | None:
        """The address of the page listing the records behind `result` (sign-in needed)."""
        records = result.counted if which == "counted" else result.base
        if records is None:
            return None
        args: dict[str, Any] = {
            "code": result.code, "variant": result.variant, "which": which,
            "programme": [p.id for p in self.programmes],
            "cohort": years or self.years, "months": self.reference_months,
            "framework": self.framework.name, "institution": self.institution.id}
        if result.currency:
            args["currency"] = result.currency
        if result.as_of is not None:  # the figure's own day, not the day the link is opened
            args["as_of"] = result.as_of.isoformat()
        return external_url("reports.records", base_url=self.base_url, **args)

    def figure(self, result: Indicator | None, *, part: str = "value",
               years: list[int] | None = None) -> Figure | None:
        """A figure from an indicator result: its value (or numerator or denominator)."""
        if result is None:
            return None
        value = getattr(result, part)
        unit = result.unit if part == "value" else "count"
        which = "base" if part == "denominator" and result.base is not None else "counted"
        return Figure(value, unit, result.currency if part == "value" else None,
                      self.records_href(result, years, which), f"{result.code}.{result.variant}")

    def get(self, year: int, key: str) -> Indicator | None:
        """The indicator `key` ("M1.gross", "M8.median_all.IDR") of one cohort year."""
        return self.per_year.get(year, {}).get(key)


def framework_checksum(framework: Framework) -> str:
    """SHA-256 of the framework file the pack was built from."""
    return hashlib.sha256((FOLDER / f"{framework.name}.toml").read_bytes()).hexdigest()


def programmes_for(institution_id: int, programme_ids: tuple[int, ...]) -> list[Programme]:
    """The institution's programmes asked for (all of them when none are named)."""
    stmt = select(Programme).where(Programme.institution_id == institution_id)
    if programme_ids:
        stmt = stmt.where(Programme.id.in_(programme_ids))
    return list(db.session.scalars(stmt.order_by(Programme.code)))


# The formats that show the charts (the workbook and the CSV files carry the tables only).
CHART_FORMATS = frozenset({"html", "pdf"})


def gather_steps(years: Sequence[int], formats: Sequence[str]) -> int:
    """How many times `gather` reports progress for these years and formats."""
    return len(set(years)) + 2 + (1 if CHART_FORMATS & set(formats) else 0)


def gather(request: PackRequest, *, built_by: str, as_of: datetime | None = None,
           base_url: str | None = None, charts: bool = True,
           progress: Callable[[str], None] | None = None) -> PackContent:
    """Compute everything the pack shows; `progress(step)` is told as each part is done.
    `charts=False` leaves the charts undrawn (a pack of XLSX or CSV only shows none)."""
    from app.core.db import utcnow
    from app.packs import annexes
    from app.packs.charts import draw_charts

    step = progress or (lambda _message: None)
    institution = db.session.get(Institution, request.institution_id)
    framework = get_framework(request.framework)
    programmes = programmes_for(request.institution_id, request.programme_ids)
    years = sorted(set(request.years))
    months = request.reference_months or framework.reference_months
    as_of = as_of or utcnow()
    params = replace(framework.params, as_of=min(as_of.date(), date(max(years), 12, 31)))
    sel = make_selection(institution, programmes, years, months, params)
    content = PackContent(request, institution, framework, framework_checksum(framework),
                          programmes, years, months, as_of, built_by, sel, {},
                          base_url=base_url)
    for year in years:
        year_params = replace(params, as_of=min(as_of.date(), date(year, 12, 31)))
        results = all_indicators(replace(sel, cohort_years=(year,), params=year_params))
        content.per_year[year] = {r.key: r for r in results}
        step(f"Figures of {year} counted")
    content.summary = summary_rows(content)
    content.tables = fill_tables(framework, sel, max(years))
    step("Framework tables filled")
    content.annexes = annexes.build_annexes(content)
    step("Annexes listed")
    if charts:
        content.charts = draw_charts(content)
        step("Charts drawn")
    return content


def summary_rows(content: PackContent) -> list[SummaryRow]:
    """Every indicator (each variant, M8 and E4 per currency) with a figure per year."""
    keys: dict[str, Indicator] = {}
    for year in content.years:
        for key, result in content.per_year[year].items():
            keys.setdefault(key, result)
    rows = []
    for key, first in keys.items():
        figures = [content.figure(content.get(y, key), years=[y]) for y in content.years]
        rows.append(SummaryRow(first.code, first.variant, first.title, first.definition,
                               first.unit, first.currency, figures))
    return rows
