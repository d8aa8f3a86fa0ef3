"""A tracer campaign's page with the list of the survey's own questions and the question editor,
in every language: the list (kinds, "required", a question's texts in other languages), adding
a question (its flash message), the form's errors and the service's (a list with one option, a
translation too long), and the refusal once people have answered; opened by an officer and by
quality staff. No English text of the catalogue is left on the whole page (the fixed pieces of
messages with placeholders too); the questions' texts and options stay as entered."""

from __future__ import annotations

import re

import pytest

from app.core.i18n import LANGUAGES
from tests.conftest import sign_in, user_in
from tests.core.test_mail_languages import _english, _left
from tests.employment.conftest import campaign  # noqa: F401 - fixture
from tests.employment.test_language_tracer_staff import sent_campaign  # noqa: F401 - fixture

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show: a kind of answer, "required", the editor's button
EXPECTED = {
    "th": ("เลือกหนึ่งข้อจากรายการ", "จำเป็น", "เพิ่มคำถาม"),
    "id": ("Salah satu dari daftar", "wajib", "Tambah pertanyaan"),
    "ms": ("Satu daripada senarai", "wajib", "Tambah soalan"),
    "vi": ("Một lựa chọn trong danh sách", "bắt buộc", "Thêm câu hỏi"),
    "fil": ("Isa sa listahan", "kailangan", "Magdagdag ng tanong"),
}
QUESTION = {"label": "Which campus did you study at?", "kind": "choice",
            "choices": "North campus\nSouth campus", "required": "y",
            "label_th": "คุณเรียนที่วิทยาเขตใด"}


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
        for word in (", required)", ">Add question<", "None: the form asks"):
            assert word not in html, (name, word)
        shown.append(re.sub(r"<[^>]+>", " ", html))
    return "".join(shown)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_own_questions_and_their_editor_leave_no_english(app, world, campaign,  # noqa: F811
                                                            language):
    survey_id = campaign.survey.id
    client = app.test_client()
    sign_in(client, user_in(world, "officer", language))
    url = f"/tracer/{survey_id}/questions"
    pages = {
        "campaign": (client.get(f"/tracer/{survey_id}"), 200),
        "question added": (client.post(url, data=QUESTION, follow_redirects=True), 200),
        # the form's own check: no text
        "question without a text": (client.post(url, data={"kind": "text"}), 422),
        # the service's: a list with one option; a translation longer than the field
        "a list with one option": (client.post(url, data={
            "label": "Which?", "kind": "choice", "choices": "Only one"}), 422),
        "a translation too long": (client.post(url, data={
            "label": "Which?", "kind": "text", "label_vi": "x" * 301}), 422),
    }
    shown = _check(pages, language)
    for word in EXPECTED[language]:
        assert word in shown, word
    assert "North campus / South campus" in shown and "คุณเรียนที่วิทยาเขตใด" in shown
    added = pages["question added"][0].get_data(as_text=True)
    assert 'class="alert alert-success' in added
    for name in ("question without a text", "a list with one option", "a translation too long"):
        assert "invalid-feedback" in pages[name][0].get_data(as_text=True), name


@pytest.mark.parametrize("language", TRANSLATED)
def test_once_answered_the_questions_are_fixed_in_the_language(app, world,
                                                                sent_campaign,  # noqa: F811
                                                                language):
    survey_id, _job_page = sent_campaign
    officer = app.test_client()
    sign_in(officer, user_in(world, "officer", language))
    quality = app.test_client()
    sign_in(quality, user_in(world, "quality", language))
    pages = {
        "answered, no editor": (officer.get(f"/tracer/{survey_id}"), 200),
        "a question refused": (officer.post(f"/tracer/{survey_id}/questions",
                                            data=QUESTION), 422),
        "quality staff": (quality.get(f"/tracer/{survey_id}"), 200),
    }
    _check(pages, language)
    refused = pages["a question refused"][0].get_data(as_text=True)
    assert 'class="alert alert-warning" role="alert"' in refused
    assert "People have answered" not in refused
    for name in ("answered, no editor", "quality staff"):
        assert f"/tracer/{survey_id}/questions" not in pages[name][0].get_data(as_text=True)
