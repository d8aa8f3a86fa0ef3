"""Hostile uploads: each is refused quickly, in little memory, with a clear message.

    .venv/bin/python scripts/bench_upload_limits.py [--keep DIR]

Builds the files an attacker (or a careless export) sends, then reads each one the way an
upload is read (`app.imports.pipeline.read_table`, the app's default limits), each in a fresh
process so its peak memory is its own:

* a 1.6 KB workbook whose sheet declares the dimension A1:XFD1048576 and holds a value in
  its last cell (it once grew a worker to 2.66 GB);
* the same small workbook declaring the huge dimension with only its real rows (read as
  those rows, not padded to the dimension);
* a 300,000-row workbook (it once ran 174 s before the row limit refused it);
* a CSV with 100,000 columns (it once ran for minutes and made a 182 MB mapping page);
* a CSV with a 200 KB cell (once a server error).

Each must end within 5 s and under 300 MB. Prints the figures, then one line of JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECONDS_LIMIT = 5.0
MEGABYTES_LIMIT = 300.0

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Graduates" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def declared_dimension_workbook(*, value_in_last_cell: bool) -> bytes:
    """A tiny workbook whose sheet declares A1:XFD1048576; with `value_in_last_cell` it
    also holds a value in XFD1048576, so the declaration is true at its corner."""
    rows = [["Student number", "Given name", "Family name"], ["S1", "Ann", "Lee"],
            ["S2", "Bao", "Tran"]]
    xml = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<dimension ref="A1:XFD1048576"/><sheetData>']
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{'ABC'[i]}{number}", v) for i, v in enumerate(row))
        xml.append(f'<row r="{number}">{cells}</row>')
    if value_in_last_cell:
        xml.append(f'<row r="1048576">{_cell("XFD1048576", "x")}</row>')
    xml.append("</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(xml))
    return out.getvalue()


def long_workbook(rows: int) -> bytes:
    """A registrar-like workbook of `rows` rows (openpyxl's streaming writer)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Graduates")
    sheet.append(["Student number", "Given name", "Family name", "Email", "Cohort"])
    for i in range(rows):
        sheet.append([f"S{i:07d}", "Siriporn", "Jaidee", f"s{i}@example.org", 2024])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def wide_csv(columns: int, rows: int) -> bytes:
    header = ",".join(f"Column {i}" for i in range(columns))
    line = ",".join("x" for _ in range(columns))
    return ("\n".join([header, *[line] * rows]) + "\n").encode()


def long_cell_csv(size: int) -> bytes:
    return f"Student number,Given name,City\nS1,Ann,{'x' * size}\n".encode()


_READ_ONE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from app import create_app
from app.imports.pipeline import ImportRefused, read_table
app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
with app.app_context():
    data = open({path!r}, "rb").read()
    start = time.perf_counter()
    try:
        frame, _ = read_table(data, {name!r})
        outcome, message = "read", f"{{len(frame):,}} rows, {{len(frame.columns) - 1}} columns"
    except ImportRefused as exc:
        outcome, message = "refused", exc.message
    seconds = time.perf_counter() - start
print(json.dumps({{"outcome": outcome, "message": message, "seconds": round(seconds, 2),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                   1)}}))
"""


def read_in_fresh_process(path: str) -> dict:
    """Read one file as an upload is read, in a process of its own (its own peak memory)."""
    code = _READ_ONE.format(root=ROOT, path=path, name=os.path.basename(path))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, check=False)
    if done.returncode != 0:
        return {"outcome": "crashed", "message": done.stderr.strip()[-300:], "seconds": None,
                "peak_mb": None}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", default=None, help="keep the files in this folder")
    parser.add_argument("--rows", type=int, default=300_000,
                        help="rows of the long workbook (default 300,000)")
    args = parser.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="alumnet-hostile-")
    os.makedirs(folder, exist_ok=True)

    files = {
        "hostile-dimension.xlsx": ("refused", lambda: declared_dimension_workbook(
            value_in_last_cell=True)),
        "declared-dimension-only.xlsx": ("read", lambda: declared_dimension_workbook(
            value_in_last_cell=False)),
        f"{args.rows}-rows.xlsx": ("refused", lambda: long_workbook(args.rows)),
        "100000-columns.csv": ("refused", lambda: wide_csv(100_000, 20)),
        "200kb-cell.csv": ("refused", lambda: long_cell_csv(200 * 1024)),
    }
    results = {}
    ok = True
    # The app's empty baseline: what any read costs before the file.
    for name, (expected, build) in files.items():
        path = os.path.join(folder, name)
        started = time.perf_counter()
        with open(path, "wb") as fh:
            fh.write(build())
        built = time.perf_counter() - started
        result = read_in_fresh_process(path)
        result.update(expected=expected, file_kb=round(os.path.getsize(path) / 1024, 1),
                      built_seconds=round(built, 1))
        passed = (result["outcome"] == expected and result["seconds"] is not None
                  and result["seconds"] < SECONDS_LIMIT and result["peak_mb"] < MEGABYTES_LIMIT)
        result["within_limits"] = passed
        ok &= passed
        results[name] = result
        print(f"{name:32} {result['file_kb']:>10,.1f} KB  {result['outcome']:8} "
              f"{result['seconds']} s  peak {result['peak_mb']} MB  "
              f"{'ok' if passed else 'NOT OK'}\n    {result['message']}")
    print(json.dumps({"bench": "upload_limits", "seconds_limit": SECONDS_LIMIT,
                      "megabytes_limit": MEGABYTES_LIMIT, "all_within_limits": ok,
                      "files": results}, ensure_ascii=False))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
