"""What the pack's files hold: the PDF's text in any script, the workbook's sheets and
formats, the CSV zip's files, the charts with their n, links to the records."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from app.packs.services import file_path
from tests.packs.conftest import BURMESE, THAI, build


def _body(snapshot, fmt) -> bytes:
    return file_path(snapshot, next(f for f in snapshot.files if f.fmt == fmt)).read_bytes()


@pytest.fixture
def pack(pack_cohort):
    return build(pack_cohort)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_holds_thai_and_burmese_names_as_text(pack, tmp_path):
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(_body(pack, "pdf"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    # pdftotext may put a space inside a Burmese word, or read a wrapped name's words apart
    # in a table: each word of each name must be there, as text
    for word in (*THAI, *BURMESE):
        assert _squeeze(word) in _squeeze(text), word
    assert "Accreditation evidence pack" in text and "8.d.1" in text
    pages = text.split("\f")[:-1]
    assert len(pages) > 3
    as_of = f"As of {pack.as_of:%Y-%m-%d %H:%M} UTC"
    assert all(as_of in page for page in pages), "the as-of time is on every page"
    # record-level annexes stay out of the PDF: no student numbers of the register
    assert "Tracer responses counted" in text and "in the workbook" in text


def test_the_workbook_has_its_sheets_formats_and_a_known_figure(pack, pack_cohort):
    wb = load_workbook(io.BytesIO(_body(pack, "xlsx")))
    names = wb.sheetnames
    assert names[0] == "Cover" and names[1] == "Summary" and names[-1] == "Definitions"
    # the framework's tables in its annex order, names cut to Excel's 31 characters
    assert names[2:7] == ["8.d.1 Waiting time for the firs", "8.d.2 Field of work matches the",
                          "8.e.1 Workplace level", "8.e.2 Employer satisfaction (se",
                          "iku2 IKU 2 graduates with a goo"]
    assert "A1 Graduate register of the coh" in names
    assert "A2 Tracer response" in names
    response = wb["A2 Tracer response"]
    assert response.freeze_panes == "A2"
    header = [c.value for c in response[1]]
    assert header[:4] == ["Cohort", "Graduates (N)", "Responded (R)", "Response rate (gross)"]
    row_2024 = next(r for r in response.iter_rows(min_row=2) if r[0].value == 2024)
    assert row_2024[1].value == 12 and row_2024[2].value == 9
    assert row_2024[3].value == pytest.approx(0.75) and row_2024[3].number_format == "0.0%"
    income = wb["A6 Monthly income"]
    idr = next(r for r in income.iter_rows(min_row=2) if r[0].value == 2024 and
               r[1].value == "IDR")
    assert idr[3].value == pytest.approx(4_000_000)
    assert idr[3].number_format == '#,##0.00 "IDR"'
    register = wb["A1 Graduate register of the coh"]
    values = [c.value for row in register.iter_rows() for c in row]
    assert THAI[0] in values and BURMESE[0] in values
    assert not any(isinstance(v, str) and "@example.org" in v for v in values)  # no e-mail
    cover = {r[0].value: r[1].value for r in wb["Cover"].iter_rows(min_row=2)}
    assert cover["Cohorts (graduation years)"] == "2022, 2023, 2024"
    assert cover["Built by"] == "Quality Officer"
    definitions = [r[4].value for r in wb["Definitions"].iter_rows(min_row=2)]
    assert any("Respondents / graduates of the cohort" in (d or "") for d in definitions)
    ledger = wb["A22 Contributions ledger"]
    rows = [[c.value for c in r] for r in ledger.iter_rows(min_row=2)]
    assert any("Stipend paid" in r for r in rows)


def test_the_csv_zip_has_one_file_per_table_with_a_bom(pack):
    with zipfile.ZipFile(io.BytesIO(_body(pack, "csv"))) as zf:
        names = zf.namelist()
        assert names[:2] == ["00-cover.csv", "00-summary.csv"]
        assert "8.d.1-waiting-time-for-the-first-job-diploma-and-applied.csv" in names
        assert "A1-graduate-register-of-the-cohorts.csv" in names
        assert "A2-tracer-response.csv" in names and names[-1] == "99-definitions.csv"
        for name in names:
            assert zf.read(name).startswith(b"\xef\xbb\xbf"), name
        register = zf.read("A1-graduate-register-of-the-cohorts.csv").decode("utf-8-sig")
        assert THAI[0] in register and BURMESE[0] in register
        response = zf.read("A2-tracer-response.csv").decode("utf-8-sig").splitlines()
        assert response[0].startswith("Cohort,Graduates (N),Responded (R),Response rate")
        assert response[-1].startswith("2024,12,9,0.75,")


def test_every_chart_is_in_the_html_with_its_n(pack):
    html = _body(pack, "html").decode("utf-8")
    charts = re.findall(r'<figure class="chart" id="chart-(\w+)">\s*<img src="data:image/svg'
                        r'\+xml;base64,[A-Za-z0-9+/=]+" alt="([^"]+)">', html)
    keys = [k for k, _ in charts]
    assert keys == ["rates", "waiting", "match", "income", "gap", "satisfaction",
                    "engagement"]
    alts = dict(charts)
    # n: 13 graduates (12 of 2024, 1 of 2023); 5 employed who gave the months
    assert "n = 13" in alts["rates"] and "2024 75.0 %" in alts["rates"]
    assert "n = 5" in alts["waiting"]
    assert "n = 4" in alts["satisfaction"]
    assert "DIT 4,000,000 IDR" in alts["income"]
    for key, alt in charts:
        assert re.search(r"n = \d", alt), key


def test_each_figure_links_to_the_records_it_counted(pack, pack_cohort, as_role):
    html = _body(pack, "html").decode("utf-8")
    links = re.findall(r'href="(http://[^"]*/outcomes/records\?[^"]+)"', html)
    assert len(links) > 50
    m2 = next(link for link in links if "code=M2" in link and "cohort=2024" in link
              and "which=counted" in link)
    path = "/" + m2.replace("&amp;", "&").split("/", 3)[3]
    page = as_role("quality").get(path)
    assert page.status_code == 200
    assert pack_cohort.alumni["a3"].student_number in page.get_data(as_text=True)
