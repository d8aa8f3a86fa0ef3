"""The tracer survey staff pages in every language: the survey list, a campaign's page (its
figures, the sending buttons, the outcome figures), the sending page of invitations and of
reminders, a refused sending, the responses and a response in full; opened by an officer and
by quality staff, with invitations sent and a response in. No English text of the catalogue
is left on them (the fixed pieces of messages with placeholders too). The campaign page's list
of the survey's own questions and its question editor are not translated yet (README
"Languages"): the check stops before it."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from app.core.i18n import LANGUAGES
from app.core.jobs import wait_for_idle
from app.employment.employer_survey import invite_employers
from app.extensions import db
from tests.conftest import sign_in, user_in
from tests.core.test_mail_languages import _english, _left
from tests.employment.conftest import good_answers, link_in
from tests.employment.test_employer_satisfaction import _employers, _link, _ratings, _send
from tests.employment.test_language_crawl import ROOT

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show: the campaign's figures, the sending page
EXPECTED = {
    "th": ("อัตราการตอบกลับ (รวม)", "ส่งถึงแล้ว", "ส่งคำเชิญสำหรับ", "ตัวเลขผลลัพธ์ของรุ่น"),
    "id": ("tingkat respons (bruto)", "terkirim", "Undangan untuk",
           "Angka capaian lulusan angkatan ini"),
    "ms": ("kadar maklum balas (kasar)", "berjaya dihantar", "Jemputan untuk",
           "Angka keberhasilan graduan kohort ini"),
    "vi": ("tỷ lệ phản hồi (gộp)", "đã đến nơi", "Thư mời cho", "Số liệu kết quả đầu ra của khóa"),
    "fil": ("antas ng pagtugon (gross)", "naihatid", "Naipadala na ang mga imbitasyon",
            "Mga numero ng kinalabasan ng batch"),
}
# the response page's words: the tracer core's labels and a code list's answer
RESPONSE = {
    "th": ("สถานภาพหลัก", "คำถามหลักของการติดตามผู้สำเร็จการศึกษา"),
    "id": ("Status utama", "Pertanyaan inti tracer study"),
    "ms": ("Aktiviti utama", "Soalan teras kajian pengesanan"),
    "vi": ("Hoạt động chính", "Phần câu hỏi chung của khảo sát"),
    "fil": ("Pangunahing gawain", "Mga pangunahing tanong ng tracer study"),
}
# short English words the catalogue check leaves out (12 characters or fewer), checked as a
# cell's whole text where the language's word differs ("Gross" stays in Filipino)
SHORT = ("invited", "delivered", "responded", "Gross", "Net", "Invited", "Delivered",
         "Responded", "12 months")


@pytest.fixture
def sent_campaign(app, world, campaign, smtp_server):
    """The campaign's invitations sent (one address refused) and one alumnus's answers in;
    returns (survey id, the sending job's page)."""
    officer = app.test_client()
    sign_in(officer, world.users["officer"])
    survey_id = campaign.survey.id
    job_page = officer.post(f"/tracer/{survey_id}/send").headers["Location"]
    wait_for_idle()
    path = link_in(smtp_server, smtp_server.to(world.second_alumnus.email)[0])
    question = campaign.survey.questions[0].field_name
    done = app.test_client().post(path, data=good_answers(**{question: "yes"}))
    assert done.status_code == 200
    return survey_id, job_page


def _response_id(survey_id: int) -> int:
    from sqlalchemy import select

    from app.employment.models import SurveyResponse

    return db.session.scalar(select(SurveyResponse.id).where(
        SurveyResponse.survey_id == survey_id))


def _own_questions_cut(html: str) -> str:
    """The campaign page without its list of the survey's own questions and their editor
    (from the last section heading on: not translated yet)."""
    at = html.rfind('<h2 class="h5 mt-4">')
    return html[:at] if at > 0 else html


def _short_words(language: str) -> list[str]:
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    out = []
    for word in SHORT:
        entry = catalogue.get(word) or catalogue.get(("%(num)d month", "%(num)d months"))
        said = entry.string if isinstance(entry.string, str) else entry.string[-1]
        if said.replace("%(num)d", "12") != word:
            out.append(f">{word}<")
    return [*out, " sent, "]


def _check(pages: dict, language: str, kept: tuple[str, ...] = ()) -> str:
    """Each page in `language` with no English of the catalogue left; `kept`: English the
    page says on purpose (a CSV file's column names), taken out first."""
    english = _english(language)
    short = _short_words(language)
    shown = []
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        html = _own_questions_cut(html)
        for text in kept:
            html = html.replace(text, "")
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
        for word in short:
            assert word not in html, (name, word)
        shown.append(re.sub(r"<[^>]+>", " ", html))
    return "".join(shown)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_campaign_pages_of_an_officer_leave_no_english(app, world, sent_campaign,
                                                           language):
    survey_id, job_page = sent_campaign
    client = app.test_client()
    sign_in(client, user_in(world, "officer", language))
    pages = {
        "surveys": client.get("/tracer/"),
        "campaign": client.get(f"/tracer/{survey_id}"),
        "invitations sent": client.get(job_page),
        # everyone is invited already: the refusal comes back as a message on the campaign
        "sending refused": client.post(f"/tracer/{survey_id}/send", follow_redirects=True),
    }
    reminders = client.post(f"/tracer/{survey_id}/send?mode=remind")
    assert "/jobs/" in reminders.headers["Location"]
    pages["reminders going out"] = client.get(reminders.headers["Location"])
    wait_for_idle()
    pages["reminders sent"] = client.get(reminders.headers["Location"])
    pages["responses"] = client.get(f"/tracer/{survey_id}/responses")
    pages["response"] = client.get(f"/tracer/responses/{_response_id(survey_id)}")
    shown = _check(pages, language)
    for word in EXPECTED[language] + RESPONSE[language]:
        assert word in shown, word
    # the CSV keeps the product's English header and code words (README "Languages")
    csv = client.get(f"/tracer/{survey_id}/responses.csv").get_data(as_text=True)
    assert "Main activity" in csv and "Wage employed" in csv
    refused = pages["sending refused"].get_data(as_text=True)
    assert "Nobody is waiting for an invitation" not in refused
    assert 'class="alert alert-warning' in refused  # the refusal is shown, translated


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_campaign_pages_of_quality_staff_leave_no_english(app, world, sent_campaign,
                                                              language):
    survey_id, job_page = sent_campaign
    client = app.test_client()
    sign_in(client, user_in(world, "quality", language))
    shown = _check({"surveys": client.get("/tracer/"),
                    "campaign": client.get(f"/tracer/{survey_id}"),
                    "invitations sent": client.get(job_page),
                    "responses": client.get(f"/tracer/{survey_id}/responses"),
                    "response": client.get(f"/tracer/responses/{_response_id(survey_id)}")},
                   language)
    for word in EXPECTED[language] + RESPONSE[language]:
        assert word in shown, word


def test_the_campaign_pages_speak_english_by_default(app, world, sent_campaign):
    """The source language reads as before (the words the other tests look for)."""
    survey_id, job_page = sent_campaign
    client = app.test_client()
    sign_in(client, world.users["officer"])
    page = client.get(f"/tracer/{survey_id}").get_data(as_text=True)
    assert ">response rate (gross)<" in page and "Outcome figures of the cohort" in page
    assert "Read the 1 response<" in page and "12 months after graduation" in page
    sending = client.get(job_page).get_data(as_text=True)
    assert "are sent: 6 sent, 1 undeliverable." in sending
    refused = client.post(f"/tracer/{survey_id}/send", follow_redirects=True)
    assert "Nobody is waiting for an invitation" in refused.get_data(as_text=True)
    response = client.get(f"/tracer/responses/{_response_id(survey_id)}").get_data(as_text=True)
    assert "Main activity" in response and "Wage employed" in response
    assert "E-mailed link" in response


# the employer pages' words: the satisfaction figure, a size, a country, the office's record
EMPLOYERS = {
    "th": ("ความพึงพอใจของนายจ้าง", "กลาง (50–249 คน)", "ไทย", "บันทึกผลการประเมินความพึงพอใจ"),
    "id": ("Kepuasan pengguna lulusan", "Menengah (50–249 orang)", "Thailand",
           "Catat penilaian kepuasan"),
    "ms": ("Kepuasan majikan", "Sederhana (50–249)", "Thailand", "Rekodkan penilaian kepuasan"),
    "vi": ("Mức độ hài lòng của nhà tuyển dụng", "Vừa (50–249 người)", "Thái Lan",
           "Ghi nhận đánh giá mức độ hài lòng"),
    "fil": ("Kasiyahan ng mga employer", "Katamtaman (50–249)", "Thailand",
            "Itala ang mga rating ng kasiyahan"),
}


@pytest.fixture
def rated_employers(app, world, smtp_server):
    """Two employers of the programme's alumni asked by e-mail for 2025: Siam Robotics (in
    Thailand, medium-sized) answered by its link after the office had recorded its ratings
    by phone (kept as history), Chao Phraya Motors's ratings recorded by the office with a
    comment."""
    siam, motors = _employers(world)
    siam.country, siam.size, siam.city = "TH", "medium", "Bangkok"
    db.session.commit()
    officer = app.test_client()
    sign_in(officer, world.users["officer"])
    for employer, comment in ((siam, ""), (motors, "Good at teamwork.")):
        page = officer.post(f"/employers/{employer.id}/satisfaction/record", data=_ratings(
            "fair", programme_id=world.programme.id, year=2025, comments=comment))
        assert page.status_code == 302
    _send(invite_employers(world.programme, 2025, actor=world.users["officer"],
                                           ask_again=True))
    answered = app.test_client().post(_link(smtp_server, "hr@siam.example"),
                                      data=_ratings("very_good"))
    assert answered.status_code == 200
    db.session.commit()
    return siam


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_employer_pages_of_an_officer_leave_no_english(app, world, rated_employers,
                                                           language):
    siam = rated_employers
    client = app.test_client()
    sign_in(client, user_in(world, "officer", language))
    programme = world.programme.id
    pages = {
        "employers": client.get("/employers/"),
        "employers, nothing found": client.get("/employers/?q=nobody-has-this-name"),
        "employer": client.get(f"/employers/{siam.id}"),
        "edit": client.get(f"/employers/{siam.id}/edit"),
        "edit with errors": client.post(f"/employers/{siam.id}/edit", data={
            "name": "Chao Phraya Motors", "contact_email": "hr@siam.example"}),
        "edit, bad e-mail": client.post(f"/employers/{siam.id}/edit", data={
            "name": "Siam Robotics", "contact_email": "not-an-address@x"}),
        "add": client.get("/employers/new"),
        "add, name taken": client.post("/employers/new", data={"name": "Siam Robotics"}),
        "add, no name": client.post("/employers/new", data={"name": ""}),
        "saved": client.post(f"/employers/{siam.id}/edit", data={
            "name": "Siam Robotics", "country": "TH", "size": "medium"},
            follow_redirects=True),
        "added": client.post("/employers/new", data={"name": "Mekong Foods"},
                             follow_redirects=True),
        "record ratings": client.get(f"/employers/{siam.id}/satisfaction/record"),
        "record with errors": client.post(f"/employers/{siam.id}/satisfaction/record", data={
            "programme_id": programme, "year": "1999", "graduates_employed": "many"}),
        "recorded": client.post(f"/employers/{siam.id}/satisfaction/record", data=_ratings(
            "good", programme_id=programme, year=2024), follow_redirects=True),
        "satisfaction": client.get("/employers/satisfaction"),
        "invite without a programme": client.post("/employers/satisfaction/invite", data={
            "year": "2025"}, follow_redirects=True),
        "invite, everyone asked": client.post("/employers/satisfaction/invite", data={
            "programme_id": programme, "year": "2025"}, follow_redirects=True),
    }
    shown = _check(pages, language)
    for word in EMPLOYERS[language]:
        assert word in shown, word
    for name in ("edit with errors", "edit, bad e-mail", "add, name taken", "add, no name",
                 "record with errors"):
        assert "is-invalid" in pages[name].get_data(as_text=True), name
    for name in ("recorded", "invite without a programme", "invite, everyone asked",
                 "saved", "added"):
        assert 'class="alert alert-' in pages[name].get_data(as_text=True), name


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_employer_pages_of_quality_staff_leave_no_english(app, world, rated_employers,
                                                              language):
    siam = rated_employers
    client = app.test_client()
    sign_in(client, user_in(world, "quality", language))
    shown = _check({"employers": client.get("/employers/"),
                    "employer": client.get(f"/employers/{siam.id}"),
                    "satisfaction": client.get("/employers/satisfaction")}, language)
    for word in EMPLOYERS[language][:3]:
        assert word in shown, word


def test_the_employer_pages_speak_english_by_default(app, world, rated_employers):
    client = app.test_client()
    sign_in(client, world.users["officer"])
    page = client.get("/employers/satisfaction").get_data(as_text=True)
    assert "2 of 2 employers answered (1 recorded by the office without an e-mailed link)." \
        in page
    assert "1 earlier answer kept in the history, not counted." in page
    assert "Siam Robotics: answered" in page and ", by link" in page
    employer = client.get(f"/employers/{rated_employers.id}").get_data(as_text=True)
    assert "Medium (50–249)" in employer and "Thailand" in employer
    # the download keeps the product's English header
    download = client.get("/employers/satisfaction.csv").get_data(as_text=True)
    assert "Employers asked" in download


MINIMUM_WAGES = {"th": ("ค่าจ้างขั้นต่ำ", "ทั้งประเทศ", "แถว 3:"),
                 "id": ("Upah minimum", "Seluruh negara", "Baris 3:"),
                 "ms": ("Gaji minimum", "Seluruh negara", "Baris 3:"),
                 "vi": ("Lương tối thiểu", "Cả nước", "Dòng 3:"),
                 "fil": ("Minimum na sahod", "Buong bansa", "Row 3:")}


def _csv(client, text: str):
    import io

    return client.post("/admin/minimum-wages", data={
        "csv-file": (io.BytesIO(text.encode("utf-8-sig")), "wages.csv")},
        content_type="multipart/form-data", follow_redirects=True)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_minimum_wages_page_leaves_no_english(app, world, language):
    """The administrator's minimum wages (the income figure's reference): the list, a wage
    saved, the form with every error, a CSV without its columns and one with wrong rows."""
    client = app.test_client()
    sign_in(client, user_in(world, "admin", language))
    pages = {
        "empty": client.get("/admin/minimum-wages"),
        "saved": client.post("/admin/minimum-wages", data={
            "one-country": "TH", "one-year": "2025", "one-monthly_amount": "11000",
            "one-currency": "THB", "one-source": "Decree"}, follow_redirects=True),
        "form errors": client.post("/admin/minimum-wages", data={
            "one-country": "Narnia", "one-year": "1800", "one-monthly_amount": "-5",
            "one-currency": "XYZ"}),
        "form, nothing given": client.post("/admin/minimum-wages", data={"one-country": ""}),
        "no file": client.post("/admin/minimum-wages", data={},
                               content_type="multipart/form-data"),
        "csv without columns": _csv(client, "Land,Jahr\nTH,2025\n"),
        "csv with wrong rows": _csv(client, "Country,Region,Year,Monthly amount,Currency\n"
                                            "ID,Jakarta,2025,5000000,IDR\n"
                                            "Narnia,,2025,-5,XXX\n"),
    }
    # the CSV's columns are named in English in every language
    shown = _check(pages, language, kept=(
        "Country, Region, Year, Monthly amount, Currency, Source",
        "Country, Region, Year, Monthly amount, Currency"))
    for word in MINIMUM_WAGES[language]:
        assert word in shown, word
    errors = pages["form errors"].get_data(as_text=True)
    assert "is-invalid" in errors and "ISO 4217" in errors and "Narnia" in errors
    for english in ("is not a country this register knows", "write the country's name",
                    "is not an ISO 4217 currency code"):
        assert english not in shown, english
