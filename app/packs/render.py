"""One gathered pack written four ways: an HTML document (its own styles inline, charts as SVG
images inside it, so the file stands alone), a PDF made by WeasyPrint from that same HTML, a
workbook through app.core.spreadsheet (cover, summary, a sheet per table and annex,
definitions), and a zip of CSV files (UTF-8 with a byte-order mark), one per table.

The writers run in the pack's language (services.build_snapshot forces it): the HTML, PDF and
workbook say the fixed text (headings, cover, notes, the `Said` texts of the annexes and the
figures' names) in it; the CSV files keep every word English (`english=True`), so scripts
that read them keep working whatever language a pack was built in. A framework's own words
(its title, its tables' titles, columns and notes) are said through the catalogue too
(`framework_text`; app/reports/frameworks/extract.py puts them there); the CSV files keep them
as the framework's file writes them."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from typing import Any

from flask import render_template
from flask_babel import gettext
from markupsafe import Markup

from app.core import spreadsheet
from app.core.i18n import DEFAULT_LANGUAGE, N_, current_language, format_datetime
from app.packs.content import Annex, Figure, Link, PackContent
from app.reports.frameworks import framework_word
from app.reports.indicators.result import Said
from app.reports.listing import say
from app.reports.tables import FilledTable


def _translating(english: bool = False) -> bool:
    return not english and current_language() != DEFAULT_LANGUAGE


def said(value: Any, english: bool = False) -> Any:
    """A `Said` of the pack in the pack's language (its placeholders that are `Said` too);
    anything else, and everything in English or in the CSV files, as it is."""
    if not isinstance(value, Said) or not _translating(english):
        return value
    if value.args:
        value = Said(value.message, **{k: said(v) if isinstance(v, Said) else v
                                       for k, v in value.args.items()})
    return say(value)


def figure_text(text: Any, english: bool = False) -> Any:
    """An indicator's title or definition (a `Said` or a text marked N_) in the pack's
    language; English as the indicator gives it."""
    return say(text) if _translating(english) and text else text


def framework_text(text: str, english: bool = False) -> str:
    """A framework's own word (its title, a table's title, a column's label, a note) in the
    pack's language; as the framework's file writes it in English and in the CSV files."""
    return framework_word(text) if _translating(english) else text


def as_of_text(content: PackContent, english: bool = False) -> str:
    """The pack's as-of time: "2026-12-06 16:40 UTC" in English, else as the language writes
    it (Thai with the institution's Buddhist Era setting)."""
    if not _translating(english):
        return f"{content.as_of:%Y-%m-%d %H:%M} UTC"
    return format_datetime(content.as_of)


def cover_items(content: PackContent, english: bool = False) -> list[tuple[str, str]]:
    inst = content.institution
    items = [
        (Said(N_("Institution")), f"{inst.name} ({inst.code}, {inst.country})"),
        (Said(N_("Framework")), framework_text(content.framework.title, english)),
        (Said(N_("Framework file")), f"{content.framework.name}.toml, SHA-256 "
                                     f"{content.framework_sha256}"),
        (Said(N_("Programmes")), content.programme_label or Said(N_("none"))),
        (Said(N_("Cohorts (graduation years)")), content.years_label),
        (Said(N_("Reference point")), Said(N_("%(months)s months after graduation"),
                                           months=content.reference_months)),
        (Said(N_("As of")), as_of_text(content, english)),
        (Said(N_("Built by")), content.built_by),
    ]
    return [(str(said(k, english)), str(said(v, english))) for k, v in items]


def table_figures(content: PackContent, filled: FilledTable) -> list[list[Any]]:
    """A framework table's rows as cells: the row label, then a Figure per column."""
    rows = []
    for label, year, cells in filled.rows:
        out: list[Any] = [label if str(label) == str(year) else f"{label} ({year})"]
        for cell in cells:
            result = cell.indicator
            href = None
            if result is not None and result.counted is not None and cell.kind != "score":
                href = content.records_href(result, [year])
            out.append(Figure(cell.text, cell.kind, result.currency if result else None, href))
        rows.append(out)
    return rows


def table_header(content: PackContent, filled: FilledTable, english: bool = False) -> list[str]:
    first = Said(N_("Year")) if content.framework.rows == "ts" else Said(N_("Cohort"))
    return [str(said(first, english)),
            *(framework_text(c.label, english) for c in filled.table.columns)]


def css_text(text: str) -> Markup:
    """Text as a CSS string (the PDF's page margins: "As of …")."""
    return Markup('"{}"').format(Markup(str(text).replace("\\", "\\\\").replace('"', '\\"')
                                        .replace("<", "\\3c ")))


def page_of_pages() -> Markup:
    """ "Page 3 of 12" in the pack's language, as CSS content with the page counters."""
    words = gettext("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    parts = re.split("(\x00|\x01)", words)
    return Markup(" ").join(
        Markup("counter(page)") if p == "\x00" else Markup("counter(pages)") if p == "\x01"
        else css_text(p) for p in parts if p)


def _img(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def html_document(content: PackContent) -> str:
    """The pack as one HTML document (also the source of the PDF)."""
    tables = [(t, table_header(content, t), table_figures(content, t))
              for t in content.tables]
    return render_template(
        "packs/pack.html", c=content, cover=cover_items(content), tables=tables,
        summary_annexes=[a for a in content.annexes if not a.record_level],
        record_annexes=[a for a in content.annexes if a.record_level], img=_img,
        sheet_name=lambda number, title: sheet_name(number, str(said(title))),
        csv_name=csv_name, said=said, figure_text=figure_text, framework_text=framework_text,
        as_of=as_of_text(content), language=current_language(), css_text=css_text,
        page_of_pages=page_of_pages)


def pdf_bytes(html: str) -> bytes:
    """The HTML pack printed by WeasyPrint (A4; the as-of time in every page's margin)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


# --- workbook and CSV --------------------------------------------------------------------


def _cell(value: Any, english: bool = False) -> Any:
    """A pack cell for a spreadsheet: a Figure becomes a number in its format, a Link the
    address of its record, a Said its words (English in the CSV files)."""
    if isinstance(value, Link):
        return value.href
    if isinstance(value, Said):
        return str(said(value, english))
    if not isinstance(value, Figure):
        return value
    if value.value is None:
        return None
    if value.unit in ("ratio", "minimum"):
        return spreadsheet.percent(value.value)
    if value.unit == "money":
        return spreadsheet.money(value.value, value.currency)
    if value.unit == "scale_points":
        return spreadsheet.Formatted(value.value, "+0.00;-0.00;0.00")
    if value.unit == "months":
        return spreadsheet.Formatted(value.value, "0.0")
    return spreadsheet.count(value.value)


def sheet_name(number: str, title: str) -> str:
    """A sheet's name: number and title without the characters Excel refuses, 31 at most."""
    return re.sub(r"\s+", " ", re.sub(r"[:\\/?*\[\]]", " ", f"{number} {title}"))[:31].strip()


def csv_name(number: str, title: str) -> str:
    """A CSV file's name in the zip: from the English title, whatever the pack's language."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50]
    return f"{number}-{slug}.csv"


def _tables(content: PackContent, english: bool = False
            ) -> list[tuple[str, str, str, list[str], list[list[Any]]]]:
    """Every table of the pack as (number, title, English title, header, rows): the
    framework's tables in its annex order, then the annexes."""
    out = [(t.table.id, framework_text(t.table.title, english), t.table.title,
            table_header(content, t, english),
            table_figures(content, t)) for t in content.tables]
    out += [(a.number, str(said(a.title, english)), str(a.title),
             [str(said(h, english)) for h in a.header], a.rows) for a in content.annexes]
    return out


def _words(english: bool, *messages: str) -> list[str]:
    return [str(said(Said(m), english)) for m in messages]


def _summary(content: PackContent, english: bool = False) -> tuple[list[str], list[list[Any]]]:
    code, variant, figure, currency, trend = _words(
        english, N_("Code"), N_("Variant"), N_("Figure"), N_("Currency"), N_("Trend"))
    header = [code, variant, figure, currency, *map(str, content.years), trend]
    rows = [[r.code, r.variant, figure_text(r.title, english), r.currency, *r.figures,
             r.trend] for r in content.summary]
    return header, rows


def _definitions(content: PackContent, english: bool = False
                 ) -> tuple[list[str], list[list[Any]]]:
    seen, rows = set(), []
    for r in content.summary:
        if (r.code, r.variant) not in seen:
            seen.add((r.code, r.variant))
            rows.append([r.code, r.variant, figure_text(r.title, english), r.unit,
                         figure_text(r.definition, english)])
    table = str(said(Said(N_("table")), english))
    for a in content.annexes:
        source = str(said(Said(N_("From: %(source)s."), source=a.source), english))
        rows.append([a.number, "", str(said(a.title, english)), table,
                     f"{source} {said(a.note, english)}".strip()])
    return _words(english, N_("Code"), N_("Variant"), N_("Figure"), N_("Unit"),
                  N_("How it is counted")), rows


def xlsx_bytes(content: PackContent) -> bytes:
    """The workbook: cover, summary, one sheet per table and annex, definitions (the fixed
    text in the pack's language)."""
    evidence, as_of = (gettext("Evidence pack"),
                       gettext("As of %(time)s", time=as_of_text(content)))
    if not _translating():
        evidence, as_of = "Evidence pack", f"As of {as_of_text(content)}"
    cover, summary, definitions = _words(False, N_("Cover"), N_("Summary"), N_("Definitions"))
    sheets = [spreadsheet.Sheet(cover, [evidence, as_of],
                                [list(item) for item in cover_items(content)], (28, 90))]
    header, rows = _summary(content)
    sheets.append(spreadsheet.Sheet(summary, header, [[_cell(v) for v in row]
                                                      for row in rows], (7, 24, 44, 9)))
    for number, title, _english, header, rows in _tables(content):
        sheets.append(spreadsheet.Sheet(sheet_name(number, title), header,
                                        ([_cell(v) for v in row] for row in rows),
                                        tuple(max(12, min(40, len(h) + 2)) for h in header)))
    header, rows = _definitions(content)
    sheets.append(spreadsheet.Sheet(definitions, header, rows, (8, 26, 40, 10, 100)))
    return spreadsheet.workbook_bytes(sheets)


def csv_zip_bytes(content: PackContent) -> bytes:
    """A zip with one CSV per table (UTF-8 with a BOM), the summary and the definitions; every
    word English, whatever the pack's language (headers stay stable for scripts)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        cover = [list(item) for item in cover_items(content, english=True)]
        zf.writestr("00-cover.csv", spreadsheet.csv_text(["Item", "Value"], cover))
        header, rows = _summary(content, english=True)
        zf.writestr("00-summary.csv", spreadsheet.csv_text(
            header, ([_cell(v, english=True) for v in row] for row in rows)))
        for number, _title, english_title, header, rows in _tables(content, english=True):
            zf.writestr(csv_name(number, english_title), spreadsheet.csv_text(
                header, ([_cell(v, english=True) for v in row] for row in rows)))
        header, rows = _definitions(content, english=True)
        zf.writestr("99-definitions.csv", spreadsheet.csv_text(header, rows))
    return out.getvalue()


def annex_link_count(annex: Annex) -> int:
    return len(annex.rows)


WRITERS = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "csv": "zip"}  # format -> extension


def write_formats(content: PackContent, formats: tuple[str, ...], step=None
                  ) -> dict[str, bytes]:
    """The pack's files by format (the PDF from the HTML); `step(format)` after each."""
    files: dict[str, bytes] = {}
    html = None
    for fmt in formats:
        if fmt in ("html", "pdf") and html is None:
            html = html_document(content)
        if fmt == "html":
            files[fmt] = html.encode("utf-8")
        elif fmt == "pdf":
            files[fmt] = pdf_bytes(html)
        elif fmt == "xlsx":
            files[fmt] = xlsx_bytes(content)
        elif fmt == "csv":
            files[fmt] = csv_zip_bytes(content)
        if step:
            step(fmt)
    return files
