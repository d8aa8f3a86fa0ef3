"""CSV for spreadsheets: a byte-order mark so Excel reads any script, no cell run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import date

from app.core.spreadsheet import csv_text, neutralise


def test_neutralise_makes_formula_starts_plain_text():
    for value in ("=1+1", "+66 81 234 5678", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(value) == "'" + value
    assert neutralise("plain") == "plain" and neutralise(5) == 5 and neutralise(None) is None


def test_csv_text_starts_with_a_bom_and_writes_plain_cells():
    text = csv_text(["Name", "Joined", "Note", "Count"],
                    [["สมชาย ใจดี", date(2026, 3, 1), "=HYPERLINK(\"http://x\")", 3],
                     ["សុភា", None, "fine", 0]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows == [["Name", "Joined", "Note", "Count"],
                    ["สมชาย ใจดี", "2026-03-01", "'=HYPERLINK(\"http://x\")", "3"],
                    ["សុភា", "", "fine", "0"]]
