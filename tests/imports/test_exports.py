"""Register exports: filters applied, other institutions left out, formulas neutralised."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from app.alumni.services import RegisterFilters
from app.core.jobs import wait_for_idle
from app.imports.exports import export_csv, export_xlsx, neutralise


def test_neutralise():
    for value in ("=HYPERLINK(\"x\")", "+66 81", "-1+2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(value) == "'" + value
    assert neutralise("Ann") == "Ann"
    assert neutralise(2024) == 2024 and neutralise(None) is None


def _world_with_formulas(world, make_alumnus):
    make_alumnus(world.home, student_number="EVIL1", given_name="=cmd|'/c calc'!A1",
                 family_name="@SUM(1)", phone="+60123456789", programme_id=world.programme.id,
                 cohort_year=2021)
    make_alumnus(world.home, student_number="PLAIN1", given_name="Ann", cohort_year=2020)


def test_csv_export_with_filters(world, make_alumnus):
    _world_with_formulas(world, make_alumnus)
    officer = world.users["officer"]
    rows = list(csv.reader(io.StringIO(export_csv(RegisterFilters(), actor=officer)
                                       .decode("utf-8-sig"))))
    assert rows[0][:3] == ["Student number", "Given name", "Family name"]
    numbers = {r[0] for r in rows[1:]}
    assert {"EVIL1", "PLAIN1", world.alumnus.student_number} <= numbers
    assert world.other_alumnus.student_number not in numbers  # another institution's
    evil = next(r for r in rows if r[0] == "EVIL1")
    assert evil[1] == "'=cmd|'/c calc'!A1" and evil[2] == "'@SUM(1)"
    filtered = export_csv(RegisterFilters(cohort_year=2021), actor=officer).decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(filtered))][1:] == ["EVIL1"]


def test_xlsx_export(world, make_alumnus):
    _world_with_formulas(world, make_alumnus)
    data = export_xlsx(RegisterFilters(q="evil1"), actor=world.users["officer"])
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 2
    assert values[1][0] == "EVIL1"
    # A text cell with Excel's own leading apostrophe (the quote prefix): shown as written,
    # never run, and still text when the cell is edited.
    for column, value in ((2, "=cmd|'/c calc'!A1"), (3, "@SUM(1)"), (6, "+60123456789")):
        cell = sheet.cell(row=2, column=column)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    assert sheet.cell(row=2, column=1).quotePrefix is False


def test_export_pages(world, make_alumnus, as_role):
    _world_with_formulas(world, make_alumnus)
    client = as_role("quality")
    page = client.get("/imports/export?cohort=2021")
    assert page.status_code == 200 and b"1 alumnus matches" in page.data
    response = client.get("/imports/export.csv?cohort=2021")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('alumni-register.csv"')
    assert "EVIL1" in response.data.decode("utf-8-sig")
    assert "PLAIN1" not in response.data.decode("utf-8-sig")
    started = client.get("/imports/export.xlsx?cohort=2021")
    assert started.status_code == 302 and "/imports/export/jobs/" in started.headers["Location"]
    wait_for_idle()
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "It is ready" in page
    xlsx = client.get(started.headers["Location"] + "/alumni-register.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 2  # the header and the one alumnus of 2021
    # the workbook is for its institution's staff, not another institution's
    assert as_role("officer").get(started.headers["Location"]).status_code == 200
    other = as_role("other_officer").get(started.headers["Location"] + "/alumni-register.xlsx")
    assert other.status_code == 404
    assert client.get("/imports/export.pdf").status_code == 404
