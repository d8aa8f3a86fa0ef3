"""End to end in a real browser, at phone and desk width: an office's Excel file of a past
tracer study (a title row, Indonesian national headers and f-codes, blanks, a graduate not in
the register, a code not in the list) through the wizard into a tracer survey, and the survey's
answers out again in the national layout."""

from __future__ import annotations

import io
import os
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from app.employment.models import SurveyInvitation, SurveyResponse, TracerSurvey
from app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in_page

SHOTS = os.environ.get("ALUMNET_SCREENSHOTS")


@pytest.fixture
def live_settings(tmp_path):
    return {"IMPORT_FOLDER": str(tmp_path / "imports")}


def messy_workbook(numbers: list[str]) -> bytes:
    """As an office keeps it: a merged title row, a blank row, the national headers, numbers
    typed as numbers, blanks, a student number not in the register and an f8 code of 7."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "TS 2023"
    sheet.append(["TRACER STUDY LULUSAN 2023 — POLITEKNIK NEGERI CONTOH"])
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append(["Kode Pt", "Kode Prodi", "Nomor Mhs", "Nama", "Tahun Lulus", "NIK", "f8",
                  "f502", "f505", "f5b", "f5d", "f14", "f15", "f1761", "f1762", "f18b"])
    a, b, c, d = numbers
    sheet.append(["001023", "57401", a, "Budi Santoso", 2023, "3201010101010001", 1, 3,
                  5500000, "PT Telkom Indonesia", 2, 1, 2, 4, 5, None])
    sheet.append(["001023", "57401", b, "Dewi Lestari", 2022, None, 3, 0, None, None, 1, 2,
                  2, None, None, None])
    sheet.append(["001023", "57401", c, "Siti Rahayu", 2023, None, 4, None, None, None, None,
                  None, None, None, None, "Universitas Gadjah Mada"])
    sheet.append(["001023", "57401", "0999999", "Tidak Ada", 2023, None, 1, 2, 4000000,
                  "CV Maju", 1, 2, 2, 3, 3, None])
    sheet.append(["001023", "57401", d, "Rizal Pratama", 2023, None, 7, None, None, None,
                  None, None, None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("width", [390, 1280])
def test_officer_brings_in_a_past_study_from_excel(live_server, browser, world, make_alumnus,
                                                   width):
    world.home.country = "ID"
    db.session.commit()
    people = [make_alumnus(world.home, programme_id=world.programme.id, cohort_year=2023,
                           student_number=f"0{2300 + n}", graduation_date=date(2023, 8, 20))
              for n in range(5)]
    numbers = [p.student_number for p in people[:4]]
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in_page(page, live_server, world.users["officer"].email, PASSWORD)
    page.goto(f"{live_server}/tracer/")
    page.get_by_role("link", name="Bring in a past study").click()
    assert page.input_value("select[name=kind]") == "tracer"
    page.set_input_files("input[type=file]", files=[{
        "name": "TS 2023 final (2).xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": messy_workbook(numbers)}])
    page.click("button:has-text('Upload and map columns')")
    assert "5 rows" in page.inner_text("main")
    assert page.input_value("#map-2") == "student_number"  # Nomor Mhs
    assert page.input_value("#map-6") == "status"  # f8
    assert page.input_value("#map-5") == ""  # NIK is never read
    _shot(page, f"tracer-mapping-{width}")
    page.click("button:has-text('Preview the import')")
    assert "Choose the reference point" in page.inner_text("main")
    page.select_option("#option-reference_months", "12")
    page.fill("#option-survey_title", "Tracer Study 2023 (from the 2024 spreadsheet)")
    page.click("button:has-text('Preview the import')")

    assert page.inner_text("#count-create") == "3"
    assert page.inner_text("#count-reject") == "2"
    text = page.inner_text("main")
    assert "not in the register" in text and "f8 code 1-5" in text
    assert "The register says 2023" in text  # Dewi's Tahun Lulus 2022: a warning
    assert "the one other graduate of these cohorts counts as not responded" in text
    assert page.locator("tr", has_text="no Response column").locator("td").first.inner_text(
        ) == "3"  # the header's row, under the title and a blank row
    _shot(page, f"tracer-preview-{width}")
    page.get_by_role("button", name="Import").first.click()
    assert "Created 3, updated 0, left 0 unchanged, rejected 2." in page.inner_text("main")
    _shot(page, f"tracer-done-{width}")

    db.session.expire_all()
    survey = db.session.scalar(select(TracerSurvey))
    assert survey.reference_months == 12
    assert db.session.scalar(select(func.count(SurveyResponse.id))) == 3
    # The fifth graduate was not listed: not responded. Rizal's row was rejected (his
    # invitation waits for the corrected row); the world's two graduates of 2024 are in
    # another cohort.
    assert db.session.scalar(select(func.count(SurveyInvitation.id))) == 4
    page.goto(f"{live_server}/tracer/{survey.id}")
    assert "3 responses" in page.inner_text("main")
    _shot(page, f"tracer-survey-{width}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    with open(download.value.path(), "rb") as fh:
        book = openpyxl.load_workbook(io.BytesIO(fh.read()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kode Pt", "Kode Prodi", "Nomor Mhs") and len(rows) == 4
    assert {r[2] for r in rows[1:]} == set(numbers[:3])
    page.close()


def _shot(page, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
