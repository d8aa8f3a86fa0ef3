"""The rejected-rows file never runs a formula when opened (issue 11, item 8)."""

from __future__ import annotations

import csv
import io

from app.imports import pipeline as P

HEADER = "Student number,Given name,Family name,Email,City\n"


def test_rejected_rows_file_neutralises_formulas_and_reads_back(world, run_plan, tmp_path):
    text = (HEADER
            + 'N1,=HYPERLINK("http://evil.example"),Lee,bad@,@SUM(A1)\n'
            + "N2,+Ann,-Lee,ann@,\t=1+1\n")
    raw, _ = P.read_table(text.encode(), "x.csv")
    plan = run_plan(text)
    assert plan.reject == 2
    path = P.write_rejected(raw, plan, str(tmp_path / "rejected.csv"))
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read())))
    cells = [v for row in rows for v in row.values() if v]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), cells
    assert rows[0]["Given name"] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[1]["Family name"] == "'-Lee"
    # Read back for fixing, the apostrophes come off again.
    with open(path, "rb") as fh:
        again, _ = P.read_table(fh.read(), "rejected.csv")
    assert again.loc[0, "Given name"] == '=HYPERLINK("http://evil.example")'
    assert again.loc[1, "Given name"] == "+Ann"
