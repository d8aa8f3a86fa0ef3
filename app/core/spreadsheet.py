"""Files meant for a spreadsheet: CSV that Excel reads in any script, cells never run.

Excel opens a CSV without a byte-order mark in the computer's legacy code page, so Thai,
Khmer and Burmese names come out garbled: the text starts with a UTF-8 BOM. A cell that a
spreadsheet would read as a formula (it starts with =, +, -, @, a tab or a carriage return)
gets a leading apostrophe, so opening an export never runs one (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made plain; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: empty for None, ISO dates, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return neutralise(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The header and rows as CSV text that starts with a byte-order mark (send it as UTF-8)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
