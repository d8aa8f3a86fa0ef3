"""The employment panel of a record's staff page in every language: its heading, columns, the
jobs' statuses and sources in words, "verified", an open spell's "now", the add and edit links
of an officer, and the panel of a record without jobs; opened by an officer and by quality
staff. No English text of the catalogue is left on the record's page; employers' names and
job titles stay as entered."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.messages.pofile import read_po

from app.core.i18n import LANGUAGES
from app.employment.services import EmploymentData, record_employment
from app.extensions import db
from tests.conftest import sign_in
from tests.core.test_mail_languages import _english, _left
from tests.employment.test_language_crawl import ROOT

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# the panel's words: its heading, a status, a source, "verified", the empty panel
EXPECTED = {
    "th": ("ประวัติการทำงาน", "ทำงานเป็นลูกจ้าง", "ตรวจสอบแล้ว", "ยังไม่มีประวัติการทำงานที่บันทึกไว้"),
    "id": ("Riwayat pekerjaan", "terverifikasi", "Belum ada pekerjaan yang dicatat."),
    "ms": ("Sejarah pekerjaan", "disahkan", "Tiada pekerjaan direkodkan."),
    "vi": ("Quá trình làm việc", "đã xác minh", "Chưa ghi nhận việc làm nào."),
    "fil": ("Kasaysayan ng trabaho", "beripikado", "Wala pang naitalang trabaho."),
}
# short English the catalogue check leaves out (12 characters or fewer), as a cell's text
SHORT = ("Status", "Source", "Edit", "verified", "now", "Add a record", "Import",
         "Tracer survey")


@pytest.fixture
def jobs(world):
    officer = world.users["officer"]
    record_employment(world.alumnus, EmploymentData(
        status="wage_employed", employer_name="Siam Motors", job_title="Technician",
        start_date=date(2024, 7, 1), verified=True), actor=officer)
    record_employment(world.alumnus, EmploymentData(
        status="further_study", start_date=date(2023, 6, 1), end_date=date(2024, 5, 31)),
        actor=world.users["alumnus"])
    record_employment(world.alumnus, EmploymentData(
        status="unemployed_seeking", start_date=date(2023, 1, 1), end_date=date(2023, 5, 31)),
        actor=officer, source="import")
    db.session.commit()


def _in(app, world, role: str, language: str):
    user = world.users[role]
    user.language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    return client


def _differing(language: str) -> list[str]:
    """The SHORT words whose translation in `language` is another word."""
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    return [word for word in SHORT if catalogue.get(word) is None
            or catalogue.get(word).string != word]


def _check(html: str, language: str, english: set[str]) -> str:
    assert f'<html lang="{language}">' in html
    left = _left(html, english)
    at = html.find(left[0]) if left else 0
    assert not left, f"{language} still says: {left}\n{html[at - 300:at + 100]}"
    chunks = {chunk.strip() for chunk in re.split(r"<[^>]*>", html)}
    for word in _differing(language):
        assert word not in chunks, word
    assert "– now" not in html
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("role", ["officer", "quality"])
def test_the_employment_panel_leaves_no_english(app, world, jobs, role, language):
    client = _in(app, world, role, language)
    english = _english(language)
    full = client.get(f"/alumni/{world.alumnus.id}")
    empty = client.get(f"/alumni/{world.second_alumnus.id}")
    assert full.status_code == empty.status_code == 200
    shown = _check(full.get_data(as_text=True), language, english) + _check(
        empty.get_data(as_text=True), language, english)
    for word in EXPECTED[language]:
        assert word in shown, word
    assert "Siam Motors" in shown and "Technician" in shown  # as entered
    if role == "officer":
        assert f"/alumni/{world.alumnus.id}/jobs/new" in full.get_data(as_text=True)


def test_the_employment_panel_speaks_english_by_default(app, world, jobs):
    html = _in(app, world, "officer", "en").get(f"/alumni/{world.alumnus.id}").get_data(
        as_text=True)
    assert "Employment history" in html and "Wage employed" in html and ">verified<" in html
    assert "Recorded by an officer" in html and "Reported by the alumnus" in html
