"""The register's staff pages in every language: the list (filtered, empty, archived), a
record (claimed, with consent, a pending e-mail change, changes), the add and edit forms (with
errors), the correction requests (open and all), and the shared background-job page with the
words its script shows. An officer and quality staff open each page: no error, no English
text of the catalogue left, and known words in the language."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.alumni import privacy, services
from app.core.i18n import LANGUAGES
from app.core.jobs import Job
from app.extensions import db
from tests.conftest import sign_in
from tests.employment.test_language_crawl import _english_words, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show on the register's pages (glossary: alumni register, cohort)
EXPECTED = {
    "th": ("ทะเบียนศิษย์เก่า", "ทุกรุ่น", "ความยินยอมที่มีผลอยู่", "คำขอแก้ไขข้อมูลจากศิษย์เก่า"),
    "id": ("Daftar induk alumni", "Semua angkatan", "Persetujuan yang berlaku",
           "Permintaan koreksi dari alumni"),
    "ms": ("Daftar alumni", "Semua kohort", "Persetujuan yang berkuat kuasa",
           "Permintaan pembetulan daripada alumni"),
    "vi": ("Sổ cựu sinh viên", "Tất cả các khóa", "Sự đồng ý đang có hiệu lực",
           "Yêu cầu sửa thông tin từ cựu sinh viên"),
    "fil": ("Rehistro ng alumni", "Lahat ng batch", "Umiiral na pahintulot",
            "Mga kahilingan ng pagwawasto mula sa alumni"),
}
RUNNING = {"th": "กำลังทำงาน", "id": "Berjalan", "ms": "Sedang berjalan", "vi": "Đang chạy",
           "fil": "Tumatakbo"}


@pytest.fixture
def register_world(world):
    """A claimed record with consent, an award date, an edit in its history and a correction
    request open and one closed; an archived record; a running import job."""
    officer, alumnus = world.users["officer"], world.alumnus
    alumnus.award_date = date(2024, 8, 1)
    privacy.record_consent(alumnus, "contact", True, method="officer", actor=officer)
    privacy.record_consent(alumnus, "tracer", False, method="self_service", actor=officer)
    services.update_alumnus(alumnus, services.AlumnusData(
        student_number=alumnus.student_number, given_name=alumnus.given_name,
        family_name=alumnus.family_name, email=alumnus.email, city="Penang"),
        expected_version=None, actor=officer)
    user = world.users["alumnus"]
    privacy.request_correction(alumnus, "cohort_year", "My cohort is 2023, not 2024.",
                               actor=user)
    done = privacy.request_correction(alumnus, "given_name", "The name is spelt wrongly.",
                                      actor=user)
    privacy.resolve_correction(done, "Spelling corrected.", actor=officer)
    services.archive_alumnus(world.second_alumnus, actor=officer, archived=True)
    job = Job(kind="import", handler="app.imports.pipeline:run", status="running", done=1200,
              total=4900, institution_id=world.home.id, created_by_id=officer.id)
    db.session.add(job)
    db.session.commit()
    return job


def _pages(client, world, job) -> dict:
    alumnus = world.alumnus
    return {
        "register": client.get("/alumni/"),
        "register sorted": client.get("/alumni/?sort=cohort&dir=desc&status=active"),
        "register, nothing found": client.get("/alumni/?q=nobody-has-this-name"),
        "archived": client.get("/alumni/?archived=1"),
        "record": client.get(f"/alumni/{alumnus.id}"),
        "corrections": client.get("/alumni/corrections"),
        "all corrections": client.get("/alumni/corrections?show=all"),
        "job": client.get(f"/jobs/{job.id}"),
    }


def _without_other_panels(html: str) -> str:
    """A record's page without the panels other features add to it (contributions,
    mentoring, …: not translated yet, README "Languages"); the duplicates panel stays."""
    return re.sub(r'<section class="mt-4">(?:(?!</section>).)*</section>',
                  lambda m: m[0] if "/merge" in m[0] else "", html, flags=re.DOTALL)


def _check(pages: dict, language: str) -> str:
    english = _english_words(language)
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = _without_other_panels(page.get_data(as_text=True))
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
    return "".join(p.get_data(as_text=True) for p in pages.values())


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_register_pages_of_an_officer_leave_no_english(app, world, register_world,
                                                           language):
    officer = world.users["officer"]
    officer.language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, officer)
    pages = _pages(client, world, register_world)
    pages["add"] = client.get("/alumni/new")
    pages["add with errors"] = client.post("/alumni/new", data={
        "student_number": "bad number!", "given_name": "", "cohort_year": "20x4",
        "status": "active"})
    pages["edit"] = client.get(f"/alumni/{world.alumnus.id}/edit")
    pages["edit, number taken"] = client.post(f"/alumni/{world.alumnus.id}/edit", data={
        "student_number": world.second_alumnus.student_number,
        "given_name": world.alumnus.given_name, "email": world.alumnus.email,
        "status": "active"})
    shown = _check(pages, language)
    for word in EXPECTED[language]:
        assert word in shown, word
    record = pages["record"].get_data(as_text=True)
    for english in ("Consent in force", "Recent changes", "Profile claimed", "Send invitation",
                    ">Granted<", ">Withdrawn<", "Recorded by an officer"):
        assert english not in record, english
    errors = pages["add with errors"].get_data(as_text=True)
    assert "This field is required." not in errors
    assert "Another alumnus of this institution" not in pages["edit, number taken"].get_data(
        as_text=True)
    # the job page's script shows the words of the page's JSON, in the language
    state = client.get(f"/jobs/{register_world.id}.json").get_json()
    assert state["status_label"] == RUNNING[language]
    assert "1" in state["progress_text"] and "4" in state["progress_text"]
    assert " of " not in state["progress_text"]
    assert RUNNING[language] in pages["job"].get_data(as_text=True)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_register_pages_of_quality_staff_leave_no_english(app, world, register_world,
                                                              language):
    quality = world.users["quality"]
    quality.language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, quality)
    shown = _check(_pages(client, world, register_world), language)
    for word in EXPECTED[language]:
        assert word in shown, word
    assert "are not shown to quality staff" not in shown  # the withheld contacts' note


def test_the_register_speaks_english_by_default(app, world, register_world):
    """The source language still reads as before (the words the other tests look for)."""
    client = app.test_client()
    sign_in(client, world.users["officer"])
    record = client.get(f"/alumni/{world.alumnus.id}").get_data(as_text=True)
    assert "Consent in force" in record and "Recorded by an officer" in record
    assert ">Granted<" in record and ">Withdrawn<" in record
    state = client.get(f"/jobs/{register_world.id}.json").get_json()
    assert (state["status_label"], state["progress_text"]) == ("Running", "1,200 of 4,900")
    assert "Import" in client.get(f"/jobs/{register_world.id}").get_data(as_text=True)
