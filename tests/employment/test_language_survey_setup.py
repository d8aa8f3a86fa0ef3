"""Setting up a tracer survey and its "Texts and languages" page in every language: the new
survey form (labels, the reference point's choices, the form's errors, the routes' and the
service's refusals, "The survey is set up"), and the texts page (with the questions, with the
form's errors, refused over someone else's save, saved, and once people have answered); opened
by an officer. No English text of the catalogue is left on them (the fixed pieces of messages
with placeholders too); the survey's own words stay as entered."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.core.db import utcnow
from app.core.i18n import LANGUAGES
from app.employment.models import SurveyInvitation, TracerSurvey
from app.extensions import db
from tests.conftest import sign_in
from tests.core.test_mail_languages import _english, _left
from tests.employment.test_own_words import _link

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show: a label, the reference point's choice, the button, an error
EXPECTED = {
    "th": ("ปิดวันที่", "12 เดือนหลังสำเร็จการศึกษา", "สร้างแบบสำรวจ",
           "วันที่ปิดต้องตรงกับหรือหลังวันที่เปิด", "ระบุปี เช่น 2023, 2024"),
    "id": ("Ditutup pada", "12 bulan setelah lulus", "Buat survei",
           "Tanggal penutupan harus sama dengan", "Isi tahun seperti 2023, 2024."),
    "ms": ("Ditutup pada", "12 bulan selepas tamat pengajian", "Cipta tinjauan",
           "Tarikh tutup mestilah pada atau selepas", "Berikan tahun seperti 2023, 2024."),
    "vi": ("Đóng vào ngày", "12 tháng sau khi tốt nghiệp", "Tạo khảo sát",
           "Ngày đóng phải trùng hoặc sau ngày mở.", "Hãy nhập năm, ví dụ 2023, 2024."),
    "fil": ("Magsasara sa", "12 buwan matapos magtapos", "Gumawa ng survey",
            "Dapat kapareho o kasunod", "Maglagay ng mga taon gaya ng 2023, 2024."),
}
# the texts page's words: the question's label, the button, the saved message
WORDS = {
    "th": ("คำถามที่ 1", "บันทึกข้อความ", "บันทึกข้อความของแบบสำรวจแล้ว"),
    "id": ("Pertanyaan 1", "Simpan teks", "Teks survei telah disimpan."),
    "ms": ("Soalan 1", "Simpan teks", "Teks tinjauan telah disimpan."),
    "vi": ("Câu hỏi 1", "Lưu văn bản", "Đã lưu văn bản của khảo sát."),
    "fil": ("Tanong 1", "I-save ang mga teksto", "Na-save na ang mga teksto ng survey."),
}
# short English the catalogue check leaves out (12 characters or fewer)
SHORT = ("Opens on", "Closes on", "Title", "Programmes", "Question 1", "Cancel",
         "Save the texts", "Graduation years")
TITLE = "Graduates 2024 at 12 months"


def _form(world, **extra) -> dict:
    data = {"title": TITLE, "reference_months": "12",
            "programme_ids": [str(world.programme.id)], "cohort_years": "2024",
            "opens_on": (date.today() - timedelta(days=1)).isoformat(),
            "closes_on": (date.today() + timedelta(days=30)).isoformat(),
            "introduction": "This survey helps the college improve its programmes."}
    data.update(extra)
    return data


def _check(pages: dict, language: str) -> str:
    english = _english(language)
    shown = []
    for name, (page, status) in pages.items():
        html = page.get_data(as_text=True)
        assert page.status_code == status, (name, page.status_code)
        assert f'<html lang="{language}">' in html, name
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
        chunks = {chunk.strip() for chunk in re.split(r"<[^>]*>", html)}
        for word in SHORT:
            assert word not in chunks, (name, word)
        assert "months after graduation" not in html, name
        shown.append(re.sub(r"<[^>]+>", " ", html))
    return "".join(shown)


def _officer_in(app, world, language: str):
    user = world.users["officer"]
    user.language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    return client


def _stamp(page) -> str:
    return re.search(r'name="stamp" type="hidden" value="([^"]*)"',
                     page.get_data(as_text=True)).group(1)


@pytest.mark.parametrize("language", TRANSLATED)
def test_setting_up_a_survey_leaves_no_english(app, world, language):
    client = _officer_in(app, world, language)
    today = date.today()
    pages = {
        "new": (client.get("/tracer/new"), 200),
        # the form's own checks: nothing given
        "nothing given": (client.post("/tracer/new", data={}), 200),
        # the form's length check of a translation; the route's: years it cannot read
        "translation too long": (client.post("/tracer/new", data=_form(
            world, title_vi="x" * 201)), 200),
        "years unread": (client.post("/tracer/new", data=_form(world, cohort_years="twenty")),
                         200),
        # the service's: closing before opening, a year out of range
        "refused by the service": (client.post("/tracer/new", data=_form(
            world, cohort_years="1900", opens_on=today.isoformat(),
            closes_on=(today - timedelta(days=3)).isoformat())), 200),
        "set up": (client.post("/tracer/new", data=_form(world), follow_redirects=True), 200),
    }
    shown = _check(pages, language)
    for word in EXPECTED[language]:
        assert word in shown, word
    assert "1950" in shown  # "Give graduation years from 1950 to …" in the language
    assert db.session.scalar(select(TracerSurvey.title)) == TITLE


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_texts_page_leaves_no_english(app, world, language):
    client = _officer_in(app, world, language)
    client.post("/tracer/new", data=_form(world))
    survey = db.session.scalar(select(TracerSurvey))
    client.post(f"/tracer/{survey.id}/questions", data={"label": "Which shift?",
                                                        "kind": "text"})
    db.session.expire_all()
    question = db.session.get(TracerSurvey, survey.id).questions[0]
    url = f"/tracer/{survey.id}/words"
    opened = client.get(url)
    stamp = _stamp(opened)
    name = f"q{question.id}_label"
    pages = {
        "texts": (opened, 200),
        # the form's checks: no title, a question too long in a language
        "with errors": (client.post(url, data={"title": "", name: "Which shift?",
                                               f"{name}_th": "ก" * 301, "stamp": stamp}), 200),
        "saved": (client.post(url, data={"title": TITLE, name: "Which shift?", "stamp": stamp},
                              follow_redirects=True), 200),
        # a form opened before that save is refused, and shows the saved texts
        "someone else saved": (client.post(url, data={"title": "Another", name: "Which?",
                                                      "stamp": stamp}), 409),
    }
    _link(db.session.get(TracerSurvey, survey.id), world.alumnus)
    db.session.scalar(select(SurveyInvitation)).responded_at = utcnow()
    db.session.commit()
    pages["answered"] = (client.get(url), 200)
    shown = _check(pages, language)
    for word in WORDS[language]:
        assert word in shown, word
    assert "Which shift?" in shown and TITLE in shown  # the survey's own words as entered
    answered = pages["answered"][0].get_data(as_text=True)
    assert name not in answered


def test_the_setup_pages_speak_english_by_default(app, world):
    client = _officer_in(app, world, "en")
    page = client.get("/tracer/new").get_data(as_text=True)
    assert "12 months after graduation" in page and "Create survey" in page
    refused = client.post("/tracer/new", data=_form(
        world, opens_on=date.today().isoformat(),
        closes_on=(date.today() - timedelta(days=3)).isoformat())).get_data(as_text=True)
    assert "The closing date must be on or after the opening date." in refused
    client.post("/tracer/new", data=_form(world))
    survey = db.session.scalar(select(TracerSurvey))
    saved = client.post(f"/tracer/{survey.id}/words", data={
        "title": TITLE, "stamp": _stamp(client.get(f"/tracer/{survey.id}/words"))},
        follow_redirects=True)
    assert "The survey&#39;s texts are saved." in saved.get_data(as_text=True)
