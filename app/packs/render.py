"""One gathered pack written four ways: an HTML document (its own styles inline, charts as SVG
images inside it, so the file stands alone), a PDF made by WeasyPrint from that same HTML, a
workbook through app.core.spreadsheet (cover, summary, a sheet per table and annex,
definitions), and a zip of CSV files (UTF-8 with a byte-order mark), one per table."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from typing import Any

from flask import render_template

from app.core import spreadsheet
from app.packs.content import Annex, Figure, Link, PackContent
from app.reports.tables import FilledTable


def cover_items(content: PackContent) -> list[tuple[str, str]]:
    inst = content.institution
    return [
        ("Institution", f"{inst.name} ({inst.code}, {inst.country})"),
        ("Framework", content.framework.title),
        ("Framework file", f"{content.framework.name}.toml, SHA-256 "
                           f"{content.framework_sha256}"),
        ("Programmes", content.programme_label or "none"),
        ("Cohorts (graduation years)", content.years_label),
        ("Reference point", f"{content.reference_months} months after graduation"),
        ("As of", f"{content.as_of:%Y-%m-%d %H:%M} UTC"),
        ("Built by", content.built_by),
    ]


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


def table_header(content: PackContent, filled: FilledTable) -> list[str]:
    first = "Year" if content.framework.rows == "ts" else "Cohort"
    return [first, *(c.label for c in filled.table.columns)]


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
        sheet_name=sheet_name, csv_name=csv_name)


def pdf_bytes(html: str) -> bytes:
    """The HTML pack printed by WeasyPrint (A4; the as-of time in every page's margin)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


# --- workbook and CSV --------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A pack cell for a spreadsheet: a Figure becomes a number in its format, a Link the
    address of its record."""
    if isinstance(value, Link):
        return value.href
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
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50]
    return f"{number}-{slug}.csv"


def _tables(content: PackContent) -> list[tuple[str, str, list[str], list[list[Any]]]]:
    """Every table of the pack as (number, title, header, rows): the framework's tables in its
    annex order, then the annexes."""
    out = [(t.table.id, t.table.title, table_header(content, t), table_figures(content, t))
           for t in content.tables]
    out += [(a.number, a.title, a.header, a.rows) for a in content.annexes]
    return out


def _summary(content: PackContent) -> tuple[list[str], list[list[Any]]]:
    header = ["Code", "Variant", "Figure", "Currency", *map(str, content.years), "Trend"]
    rows = [[r.code, r.variant, r.title, r.currency, *r.figures, r.trend]
            for r in content.summary]
    return header, rows


def _definitions(content: PackContent) -> tuple[list[str], list[list[Any]]]:
    seen, rows = set(), []
    for r in content.summary:
        if (r.code, r.variant) not in seen:
            seen.add((r.code, r.variant))
            rows.append([r.code, r.variant, r.title, r.unit, r.definition])
    for a in content.annexes:
        rows.append([a.number, "", a.title, "table", f"From: {a.source}. {a.note}".strip()])
    return ["Code", "Variant", "Figure", "Unit", "How it is counted"], rows


def xlsx_bytes(content: PackContent) -> bytes:
    """The workbook: cover, summary, one sheet per table and annex, definitions."""
    as_of = f"As of {content.as_of:%Y-%m-%d %H:%M} UTC"
    sheets = [spreadsheet.Sheet("Cover", ["Evidence pack", as_of],
                                [list(item) for item in cover_items(content)], (28, 90))]
    header, rows = _summary(content)
    sheets.append(spreadsheet.Sheet("Summary", header, [[_cell(v) for v in row]
                                                        for row in rows], (7, 24, 44, 9)))
    for number, title, header, rows in _tables(content):
        sheets.append(spreadsheet.Sheet(sheet_name(number, title), header,
                                        ([_cell(v) for v in row] for row in rows),
                                        tuple(max(12, min(40, len(h) + 2)) for h in header)))
    header, rows = _definitions(content)
    sheets.append(spreadsheet.Sheet("Definitions", header, rows, (8, 26, 40, 10, 100)))
    return spreadsheet.workbook_bytes(sheets)


def csv_zip_bytes(content: PackContent) -> bytes:
    """A zip with one CSV per table (UTF-8 with a BOM), the summary and the definitions."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        cover = [list(item) for item in cover_items(content)]
        zf.writestr("00-cover.csv", spreadsheet.csv_text(["Item", "Value"], cover))
        header, rows = _summary(content)
        zf.writestr("00-summary.csv", spreadsheet.csv_text(
            header, ([_cell(v) for v in row] for row in rows)))
        for number, title, header, rows in _tables(content):
            zf.writestr(csv_name(number, title), spreadsheet.csv_text(
                header, ([_cell(v) for v in row] for row in rows)))
        header, rows = _definitions(content)
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
