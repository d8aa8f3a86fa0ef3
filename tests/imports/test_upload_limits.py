"""Hostile and oversized uploads are refused early with a clear message, never a 500
(issue 10, items 4 and 14). scripts/bench_upload_limits.py measures the time and memory."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.extensions import db
from app.imports import pipeline as P
from app.imports.models import ImportBatch

HEADER_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
PACKAGE = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships"><sheets><sheet name="Graduates" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
}


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook_xml(sheet_xml: str) -> bytes:
    """A workbook package written by hand, so its sheet can say anything."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PACKAGE.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return out.getvalue()


def rows_xml(rows: list[list[str]], start: int = 1) -> str:
    return "".join(
        f'<row r="{n}">' + "".join(_cell(f"{'ABCDE'[i]}{n}", v) for i, v in enumerate(row))
        + "</row>" for n, row in enumerate(rows, start=start))


REGISTER = [["Student number", "Given name"], ["S1", "Ann"], ["S2", "Bao"]]


def test_a_huge_declared_dimension_is_not_trusted(app):
    """A 1.6 KB workbook declaring A1:XFD1048576 once grew a worker to 2.66 GB."""
    data = workbook_xml(HEADER_XML + '<dimension ref="A1:XFD1048576"/><sheetData>'
                        + rows_xml(REGISTER) + "</sheetData></worksheet>")
    assert len(data) < 2_000
    frame, _ = P.read_table(data, "graduates.xlsx")
    assert frame["Student number"].tolist() == ["S1", "S2"]
    assert list(frame.columns) == ["Student number", "Given name", "_row"]


def test_a_value_past_the_column_limit_refuses_the_workbook(app):
    far = f'<row r="2000">{_cell("ALL2000", "x")}</row>'  # column 1,000
    data = workbook_xml(HEADER_XML + '<dimension ref="A1:ALL2000"/><sheetData>'
                        + rows_xml(REGISTER) + far + "</sheetData></worksheet>")
    with pytest.raises(P.ImportRefused, match=r"column ALL \(row 2000\).*the limit is 200"):
        P.read_table(data, "graduates.xlsx")


def test_a_long_workbook_is_refused_before_its_rows_are_read(app, import_folder):
    """The rows are counted first: a sheet whose XML breaks after the limit is refused for
    its length, not read up to the break."""
    app.config["IMPORT_MAX_ROWS"] = 50
    rows = [["Student number", "Given name"], *[[f"S{i}", "Ann"] for i in range(100)]]
    broken = HEADER_XML + "<sheetData>" + rows_xml(rows) + '<row r="102"><c r="A102"><v>1'
    with pytest.raises(P.ImportRefused, match="more than 50 rows"):
        P.read_table(workbook_xml(broken), "graduates.xlsx")


def test_a_workbook_at_the_row_limit_is_read(app, import_folder):
    app.config["IMPORT_MAX_ROWS"] = 50
    book = Workbook()
    sheet = book.active
    sheet.append(["Graduates 2025"])  # a title row above the header does not count
    sheet.append(["Student number", "Given name"])
    for i in range(50):
        sheet.append([f"S{i}", "Ann"])
    out = io.BytesIO()
    book.save(out)
    frame, _ = P.read_table(out.getvalue(), "graduates.xlsx")
    assert len(frame) == 50 and frame["_row"].tolist()[0] == 3
    sheet.append(["S99", "Bob"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(P.ImportRefused, match="51 rows; the limit is 50"):
        P.read_table(out.getvalue(), "graduates.xlsx")


def test_a_workbook_that_unpacks_to_too_much_is_refused(app, import_folder):
    app.config["IMPORT_MAX_UNPACKED_BYTES"] = 100_000
    padding = "<!--" + " " * 200_000 + "-->"  # compresses to almost nothing
    data = workbook_xml(HEADER_XML + padding + "<sheetData>" + rows_xml(REGISTER)
                        + "</sheetData></worksheet>")
    assert len(data) < 5_000
    with pytest.raises(P.ImportRefused, match="unpacks to"):
        P.read_table(data, "graduates.xlsx")
    app.config.pop("IMPORT_MAX_UNPACKED_BYTES")


@pytest.mark.parametrize("columns", [201, 100_000])
def test_a_csv_with_too_many_columns_is_refused(app, columns):
    header = ",".join(f"Column {i}" for i in range(columns))
    data = (header + "\n" + ",".join("x" * columns) + "\n").encode()
    with pytest.raises(P.ImportRefused, match=f"{columns:,} columns; the limit is 200"):
        P.read_table(data, "wide.csv")


def test_a_csv_row_wider_than_the_limit_further_down_is_refused(app):
    rows = "".join(f"S{i},Ann\n" for i in range(20)) + ",".join(["x"] * 300) + "\n"
    with pytest.raises(P.ImportRefused):
        P.read_table(("Student number,Given name\n" + rows).encode(), "wide.csv")


@pytest.mark.parametrize("position", ["top", "below"])
def test_a_csv_cell_over_128_kb_gets_a_clear_message(app, position):
    big = "x" * (130 * 1024)
    rows = ["S1,Ann,Ipoh"] * 20
    rows[0 if position == "top" else 15] = f"S1,Ann,{big}"
    data = ("Student number,Given name,City\n" + "\n".join(rows) + "\n").encode()
    with pytest.raises(P.ImportRefused, match="longer than 32,767 characters") as refused:
        P.read_table(data, "list.csv")
    if position == "below":
        assert "column “City”, row 17" in refused.value.message


def test_the_upload_page_shows_the_refusal_next_to_the_file(world, as_role, import_folder):
    data = ("Student number,Given name,City\nS1,Ann," + "x" * (200 * 1024) + "\n").encode()
    page = as_role("officer").post("/imports/new", data={
        "kind": "alumni", "institution": str(world.home.id),
        "file": (io.BytesIO(data), "list.csv")}, content_type="multipart/form-data")
    assert page.status_code == 200
    assert "longer than 32,767 characters" in page.data.decode()
    assert db.session.scalar(select(ImportBatch)) is None


def test_every_request_has_a_body_limit_and_the_import_upload_a_larger_one(
        app, world, as_role, import_folder):
    """Above MAX_CONTENT_LENGTH a page answers 413 with a page that says the limit; the
    import upload takes files up to IMPORT_MAX_BYTES instead."""
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.config["IMPORT_MAX_BYTES"] = 3 * 1024 * 1024
    try:
        client = as_role("officer")
        body = {"q": "x" * (100 * 1024)}
        refused = client.post(f"/alumni/{world.alumnus.id}/edit", data=body)
        assert refused.status_code == 413
        assert "The file is too large" in refused.data.decode()
        assert "at most 0.1 MB" in refused.data.decode()
        rows = "".join(f"S{i:06d},Ann Example,Lee\n" for i in range(5_000))  # about 100 KB
        taken = client.post("/imports/new", data={
            "kind": "alumni", "institution": str(world.home.id),
            "file": (io.BytesIO(("Student number,Given name,Family name\n" + rows).encode()),
                     "list.csv")}, content_type="multipart/form-data")
        assert taken.status_code == 302
        too_big = client.post("/imports/new", data={
            "kind": "alumni", "institution": str(world.home.id),
            "file": (io.BytesIO(b"x" * (5 * 1024 * 1024)), "list.csv")},
            content_type="multipart/form-data")
        assert too_big.status_code == 413 and "at most 4 MB" in too_big.data.decode()
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
