"""End to end in a real browser: upload a registrar file, map, preview and import it, with the
progress bar of the background job updating on the page until the work is done."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from app.alumni.models import Alumnus
from app.extensions import db
from app.imports.models import ImportBatch
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in_page

SHOTS = os.environ.get("ALUMNET_SCREENSHOTS")
CSV = ("Matric No,First Name,Surname,E-mail,Programme,Date Graduated\n"
       "E1,Ann,Lee,ann@example.org,DIT,30/06/2021\n"
       "E2,Bob,Tan,bob@,DIT,2021-06-30\n"
       "E3,Chai,Ng,chai@example.org,DIT,30-Jun-2021\n"
       "E4,Dara,Sok,dara@example.org,DIT,31/02/2021\n")


@pytest.fixture
def live_settings(tmp_path):
    # Every file goes through the background job, so the page shows the live progress bar.
    return {"IMPORT_FOLDER": str(tmp_path / "imports"), "IMPORT_JOB_THRESHOLD": 1}


def test_officer_imports_a_file_with_a_live_progress_bar(live_server, browser, world):
    before = db.session.scalar(select(func.count(Alumnus.id)))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())  # the "are you sure" of the commit
    sign_in_page(page, live_server, world.users["officer"].email, PASSWORD)
    page.goto(f"{live_server}/imports/new")
    # The registrar's list is what the page offers first.
    assert page.input_value("select[name=kind]") == "alumni"
    page.set_input_files("input[type=file]", files=[{
        "name": "registrar-2021.csv", "mimeType": "text/csv", "buffer": CSV.encode()}])
    page.click("button:has-text('Upload and map columns')")

    # The usual header names are recognised.
    assert "4 rows" in page.inner_text("main")
    assert page.input_value("#map-0") == "student_number"
    assert page.input_value("#map-3") == "email"
    assert page.input_value("#map-5") == "graduation_date"
    page.click("button:has-text('Preview the import')")

    # The preview runs as a job: the bar reaches 100% and the page offers the preview.
    page.get_by_role("link", name="Open the preview").click(timeout=15_000)
    assert page.inner_text("#count-create") == "2"
    assert page.inner_text("#count-reject") == "2"
    text = page.inner_text("main")
    assert "Preview: nothing has been written yet." in text
    assert "31/02/2021" in text  # the unreadable date, next to its row and field
    assert db.session.scalar(select(func.count(Alumnus.id))) == before

    page.click("button:has-text('Import 2 records')")
    assert "/progress" in page.url
    page.get_by_role("link", name="Open the import").wait_for(timeout=15_000)
    assert page.get_attribute("[role=progressbar]", "aria-valuenow") == "100"
    assert page.inner_text("#job-status").startswith("Done — 2 of 2 — Imported")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "import-done.png"), full_page=True)
    page.get_by_role("link", name="Open the import").click()
    assert "Created 2" in page.inner_text("#result")

    db.session.expire_all()
    assert db.session.scalar(select(func.count(Alumnus.id))) == before + 2
    assert db.session.scalar(select(ImportBatch.status)) == "committed"


def _within_the_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_duplicates_and_the_merge_screen_fit_a_phone(live_server, phone, world, make_alumnus):
    long_email = "nurul.aisyah.binti.abdul.rahman.2021@students.example.edu.my"
    make_alumnus(world.home, student_number="P1", given_name="Nurul Aisyah",
                 family_name="binti Abdul Rahman", email=long_email, cohort_year=2021)
    make_alumnus(world.home, student_number="P2", given_name="Nurul Aisyah",
                 family_name="Abdul Rahman", email=long_email, city="Ipoh", cohort_year=2021)
    phone.on("dialog", lambda dialog: dialog.accept())
    sign_in_page(phone, live_server, world.users["officer"].email, PASSWORD)
    phone.goto(f"{live_server}/duplicates/")
    # Wait for the page and its style sheet, which hides the wide-screen copy of the buttons.
    with phone.expect_navigation(url="**/duplicates/", wait_until="load"):
        phone.click("button:has-text('Look for duplicates now')")
    merge = phone.get_by_role("link", name="Compare and merge")
    assert _within_the_screen(merge)
    assert _within_the_screen(phone.get_by_role("button", name="Not a duplicate"))
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, "duplicates-phone.png"), full_page=True)
    merge.click()
    phone.wait_for_url("**/merge")
    # Both records side by side on the screen, the long address wrapped; the fields where
    # the records differ are marked.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert _within_the_screen(phone.locator("label[for=f-city-2]"))
    assert _within_the_screen(phone.locator("label[for=f-email-2]"))
    differing = phone.locator("tr.merge-differs th").all_inner_texts()
    assert differing == ["Student number", "Family name", "City"]
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, "merge-phone.png"), full_page=True)


def test_the_import_log_shows_status_and_counts_on_a_phone(live_server, phone, world):
    db.session.add(ImportBatch(
        institution_id=world.home.id, kind="alumni", checksum="0" * 64,
        file_name="registrar-2025-second-semester-final.xlsx", status="committed",
        rows_read=1200, created=1150, updated=30, unchanged=0, rejected=20,
        created_by_id=world.users["officer"].id))
    db.session.commit()
    sign_in_page(phone, live_server, world.users["officer"].email, PASSWORD)
    phone.goto(f"{live_server}/imports/")
    row = phone.locator("tbody tr").first
    for text in ("registrar-2025-second-semester-final.xlsx", "Committed",
                 "1,150 created · 30 updated · 20 rejected"):
        assert _within_the_screen(row.get_by_text(text)), text
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, "import-log-phone.png"), full_page=True)
