"""The SEAMEO TVET student exchange staff pages in every language: the batches, a batch with
its agreements and participants, the figures X1-X5 with the records behind each, the
participants (a list, each kind of participation, the status moves and credit recognition
with every refusal), partner institutions, agreements with their document, the credit rule and
the exchange alumni, with the forms new, edited and with the forms' and the services' errors;
opened by an officer and, where allowed, by quality staff. No English text of the catalogue is
left on them (the fixed pieces of messages with placeholders too); batch, partner and
programme names stay as typed, and the downloads keep English."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest

from app.core.i18n import LANGUAGES
from app.exchange import services
from app.extensions import db
from tests.conftest import sign_in, user_in
from tests.core.test_mail_languages import _english, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show: the exchange batch, the figures' titles, the credit rule,
# a service's refusal
EXPECTED = {
    "th": ("รุ่นของโครงการแลกเปลี่ยน", "ผู้เข้าร่วมแยกตามประเทศของคู่ความร่วมมือ",
           "เกณฑ์การเทียบโอนหน่วยกิต", "ปิดการแลกเปลี่ยนก่อนบันทึกหน่วยกิต"),
    "id": ("Angkatan pertukaran", "Peserta per negara mitra", "Aturan SKS",
           "Selesaikan pertukaran sebelum mencatat SKS."),
    "ms": ("Kumpulan pertukaran", "Peserta mengikut negara rakan kongsi", "Peraturan kredit",
           "Tamatkan pertukaran sebelum merekodkan kredit."),
    "vi": ("Các đợt trao đổi", "Người tham gia theo quốc gia đối tác",
           "Quy tắc quy đổi tín chỉ", "Hãy hoàn thành chương trình trao đổi trước khi ghi"),
    "fil": ("Mga batch ng palitan", "Mga kalahok ayon sa bansa ng katuwang",
            "Tuntunin sa credits", "Tapusin ang palitan bago itala ang credits."),
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def exchange(xw, add_participation, make_alumnus):
    """A batch with a signed agreement and its document, a credit rule, participants of every
    kind (credits recognised and not, withdrawn, incoming, nominated, one starting later),
    exchange alumni with employment records (X5), and an empty second batch."""
    from app.employment.models import Employment

    officer, home = xw.officer, xw.world.home
    agreement = services.create_agreement(xw.batch, services.AgreementData(
        first_institution_id=home.id, second_institution_id=xw.partner_th.id, duration_days=30,
        hours_per_day="4.5", places_first_to_second=5, places_second_to_first=3,
        status="signed", signed_date=date(2022, 4, 1)), actor=officer)
    services.attach_agreement_document(agreement, "mou.pdf", "application/pdf", PDF,
                                       actor=officer)
    services.set_credit_rule(home.id, services.CreditRuleData(
        hours_per_credit="30", rounding="nearest", max_credits="3", min_hours="10"),
        actor=officer)
    db.session.commit()
    other = make_alumnus(home, student_number="EX-2", cohort_year=2024)
    make_alumnus(home, student_number="OT-1", cohort_year=2024)
    recognised = add_participation(xw.world.alumnus.student_number, "completed",
                                   evaluation_submitted=True, performance_result="very_good",
                                   start_date=date(2022, 5, 16), end_date=date(2022, 6, 24))
    refused = add_participation("EX-2", "completed", partner=xw.partner_vn,
                                study_area="business", level="diploma")
    waiting = add_participation("EX-3", "completed")
    withdrawn = add_participation("EX-4", "withdrawn", withdrawn_from="in_progress",
                                  study_area="health")
    incoming = add_participation("IN-1", "in_progress", incoming=True, partner=xw.partner_vn)
    nominated = add_participation("EX-5", "nominated")
    later = add_participation("EX-6", "accepted", start_date=date.today() + timedelta(days=30),
                              end_date=date.today() + timedelta(days=60))
    services.record_recognition(recognised, True, "2", date(2022, 7, 1), actor=officer)
    services.record_recognition(refused, False, None, date(2022, 7, 1), actor=officer)
    for alumnus, status in ((xw.world.alumnus, "wage_employed"),
                            (other, "unemployed_seeking")):
        db.session.add(Employment(institution_id=home.id, alumnus_id=alumnus.id,
                                  status=status, start_date=date(2024, 8, 1), source="officer"))
    empty = services.create_batch(services.BatchData(
        name="SEAMEO TVET Exchange", year=2023, batch_number=2, mode="blended"), actor=officer)
    db.session.commit()
    return {"agreement": agreement, "recognised": recognised, "refused": refused,
            "waiting": waiting, "withdrawn": withdrawn, "incoming": incoming,
            "nominated": nominated, "later": later, "empty": empty}


def _check(pages: dict, language: str) -> str:
    english = _english(language)
    shown = []
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
        shown.append(re.sub(r"<[^>]+>", " ", html))
    return "".join(shown)


def _read_pages(client, xw, ex) -> dict:
    batch = xw.batch
    pages = {
        "batches": client.get("/exchange/"),
        "batch": client.get(f"/exchange/batches/{batch.id}"),
        "empty batch": client.get(f"/exchange/batches/{ex['empty'].id}"),
        "figures": client.get("/exchange/figures"),
        "figures of a batch": client.get(f"/exchange/figures?batch={batch.id}"),
        "participants": client.get("/exchange/participations/"),
        "participants filtered": client.get(
            f"/exchange/participations/?batch={batch.id}&status=completed&direction=outgoing"
            "&q=EX"),
        "nobody found": client.get("/exchange/participations/?q=nobody-at-all"),
        "partners": client.get("/exchange/partners"),
        "credit rule": client.get("/exchange/credit-rule"),
        "exchange alumni": client.get("/exchange/alumni"),
        "exchange alumni found": client.get("/exchange/alumni?q=EX-2"),
        "no exchange alumni found": client.get("/exchange/alumni?q=nobody-at-all"),
    }
    for code in ("X1a", "X1b", "X1c", "X1d", "X2", "X3", "X4", "X5"):
        pages[f"records of {code}"] = client.get(f"/exchange/figures?show={code}")
    for name in ("recognised", "refused", "waiting", "withdrawn", "incoming", "nominated",
                 "later"):
        pages[f"participation {name}"] = client.get(
            f"/exchange/participations/{ex[name].id}")
    return pages


def _officer_pages(client, xw, ex) -> dict:
    batch, home = xw.batch, xw.world.home
    pdf, p = ex["agreement"], ex
    pages = _read_pages(client, xw, ex)
    pages.update({
        "new batch": client.get("/exchange/batches/new"),
        # the form's checks: no name, a year out of range, a batch number out of range
        "new batch with errors": client.post("/exchange/batches/new", data={
            "name": "", "year": "1990", "batch_number": "120", "mode": "virtual"}),
        # the service's: the window ends before it starts; a batch number already taken
        "new batch ending first": client.post("/exchange/batches/new", data={
            "name": "Later", "year": "2022", "batch_number": "5", "mode": "virtual",
            "window_start": "2022-06-01", "window_end": "2022-05-01"}),
        "batch number taken": client.post("/exchange/batches/new", data={
            "name": "Again", "year": "2022", "batch_number": "1", "mode": "virtual"}),
        "batch added": client.post("/exchange/batches/new", data={
            "name": "SEAMEO TVET Exchange", "year": "2024", "batch_number": "1",
            "mode": "physical"}, follow_redirects=True),
        "edit batch": client.get(f"/exchange/batches/{batch.id}/edit"),
        "batch saved": client.post(f"/exchange/batches/{batch.id}/edit", data={
            "name": batch.name, "year": "2022", "batch_number": "1", "mode": "virtual",
            "coordinator": "Dr. Somchai"}, follow_redirects=True),
        "no certificates": client.get(f"/exchange/batches/{ex['empty'].id}/certificates.pdf",
                                      follow_redirects=True),
        "no certificate": client.get(
            f"/exchange/participations/{p['nominated'].id}/certificate.pdf",
            follow_redirects=True),
        # participants
        "new participant": client.get(f"/exchange/batches/{batch.id}/participations/new"),
        "new participant with errors": client.post(
            f"/exchange/batches/{batch.id}/participations/new", data={
                "student_number": "", "given_name": "", "study_area": "it",
                "hours": "5000"}),
        "new participant refused": client.post(
            f"/exchange/batches/{batch.id}/participations/new", data={
                "student_number": "bad number!", "given_name": "Anan", "study_area": "it",
                "email": "anan@", "sending_institution_id": str(home.id),
                "receiving_institution_id": str(home.id), "start_date": "2022-06-01",
                "end_date": "2022-05-01"}),
        "participant of neither side": client.post(
            f"/exchange/batches/{batch.id}/participations/new", data={
                "student_number": "EX-9", "given_name": "Anan", "study_area": "it",
                "sending_institution_id": str(xw.partner_th.id),
                "receiving_institution_id": str(xw.partner_vn.id)}),
        "participant twice": client.post(
            f"/exchange/batches/{batch.id}/participations/new", data={
                "student_number": "EX-3", "given_name": "Anan", "study_area": "it",
                "sending_institution_id": str(home.id),
                "receiving_institution_id": str(xw.partner_th.id),
                "certificate_number": p["recognised"].certificate_number}),
        "participant nominated": client.post(
            f"/exchange/batches/{batch.id}/participations/new", data={
                "student_number": "EX-10", "given_name": "Anan", "study_area": "it",
                "sending_institution_id": str(home.id),
                "receiving_institution_id": str(xw.partner_th.id)}, follow_redirects=True),
        "edit participant": client.get(f"/exchange/participations/{p['waiting'].id}/edit"),
        "participant saved": client.post(
            f"/exchange/participations/{p['nominated'].id}/edit", data={
                "student_number": "EX-5", "given_name": "Given", "study_area": "it",
                "sending_institution_id": str(home.id),
                "receiving_institution_id": str(xw.partner_th.id)}, follow_redirects=True),
        # status moves: out of order, before the start, accepted
        "status out of order": client.post(
            f"/exchange/participations/{p['nominated'].id}/status",
            data={"status": "completed"}, follow_redirects=True),
        "status too early": client.post(
            f"/exchange/participations/{p['later'].id}/status",
            data={"status": "in_progress"}, follow_redirects=True),
        "status moved": client.post(
            f"/exchange/participations/{p['nominated'].id}/status",
            data={"status": "accepted"}, follow_redirects=True),
        # credit recognition: no date, not completed, too many credits, recorded
        "recognition without date": client.post(
            f"/exchange/participations/{p['waiting'].id}/recognition",
            data={"recognised": "yes"}, follow_redirects=True),
        "recognition too early": client.post(
            f"/exchange/participations/{p['later'].id}/recognition",
            data={"recognised": "yes", "decision_date": "2022-07-01"},
            follow_redirects=True),
        "recognition of an incoming student": client.post(
            f"/exchange/participations/{p['incoming'].id}/recognition",
            data={"recognised": "yes", "decision_date": "2022-07-01"},
            follow_redirects=True),
        "too many credits": client.post(
            f"/exchange/participations/{p['waiting'].id}/recognition",
            data={"recognised": "yes", "credits": "9", "decision_date": "2022-07-01"},
            follow_redirects=True),
        "credits with two decimals": client.post(
            f"/exchange/participations/{p['waiting'].id}/recognition",
            data={"recognised": "yes", "credits": "2.25", "decision_date": "2022-07-01"},
            follow_redirects=True),
        "recognition recorded": client.post(
            f"/exchange/participations/{p['waiting'].id}/recognition",
            data={"recognised": "yes", "decision_date": "2022-07-01"},
            follow_redirects=True),
        # partners
        "new partner": client.get("/exchange/partners/new"),
        "new partner with errors": client.post("/exchange/partners/new", data={
            "code": "", "name": "", "country": "", "kind": "college"}),
        "partner added": client.post("/exchange/partners/new", data={
            "code": "PNJ-ID", "name": "Politeknik Negeri Jakarta", "country": "ID",
            "kind": "polytechnic"}, follow_redirects=True),
        # agreements and their document
        "new agreement": client.get(f"/exchange/batches/{batch.id}/agreements/new"),
        "new agreement refused": client.post(
            f"/exchange/batches/{batch.id}/agreements/new", data={
                "first_institution_id": str(home.id), "second_institution_id": str(home.id),
                "duration_days": "400", "hours_per_day": "30", "status": "signed"}),
        "agreement of others": client.post(
            f"/exchange/batches/{batch.id}/agreements/new", data={
                "first_institution_id": str(xw.partner_th.id),
                "second_institution_id": str(xw.partner_vn.id), "status": "draft",
                "signed_date": (date.today() + timedelta(days=3)).isoformat()}),
        "agreement added": client.post(
            f"/exchange/batches/{batch.id}/agreements/new", data={
                "first_institution_id": str(home.id),
                "second_institution_id": str(xw.partner_vn.id), "status": "draft"},
            follow_redirects=True),
        "edit agreement": client.get(f"/exchange/agreements/{pdf.id}/edit"),
        "agreement with errors": client.post(f"/exchange/agreements/{pdf.id}/edit", data={
            "first_institution_id": "", "second_institution_id": "", "status": "signed",
            "duration_days": "0"}),
        "no file": client.post(f"/exchange/agreements/{pdf.id}/document", data={},
                               follow_redirects=True),
        "wrong type": client.post(f"/exchange/agreements/{pdf.id}/document", data={
            "document": (BytesIO(b"<html></html>"), "mou.html", "text/html")},
            content_type="multipart/form-data", follow_redirects=True),
        "wrong content": client.post(f"/exchange/agreements/{pdf.id}/document", data={
            "document": (BytesIO(b"not a pdf"), "mou.pdf", "application/pdf")},
            content_type="multipart/form-data", follow_redirects=True),
        "wrong name": client.post(f"/exchange/agreements/{pdf.id}/document", data={
            "document": (BytesIO(PDF), "mou.html", "application/pdf")},
            content_type="multipart/form-data", follow_redirects=True),
        "document attached": client.post(f"/exchange/agreements/{pdf.id}/document", data={
            "document": (BytesIO(PDF), "mou-signed.pdf", "application/pdf")},
            content_type="multipart/form-data", follow_redirects=True),
        "agreement saved": client.post(f"/exchange/agreements/{pdf.id}/edit", data={
            "first_institution_id": str(home.id),
            "second_institution_id": str(xw.partner_th.id), "status": "signed",
            "signed_date": "2022-04-01", "duration_days": "30"}, follow_redirects=True),
        # the credit rule: the form's and the service's errors, saved
        "credit rule with errors": client.post("/exchange/credit-rule", data={
            "hours_per_credit": "", "rounding": "up", "max_credits": "-1"}),
        "credit rule of zero hours": client.post("/exchange/credit-rule", data={
            "hours_per_credit": "0", "rounding": "up"}),
        "credit rule saved": client.post("/exchange/credit-rule", data={
            "hours_per_credit": "30", "rounding": "half_down", "max_credits": "3"},
            follow_redirects=True),
    })
    return pages


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_exchange_pages_of_an_officer_leave_no_english(app, xw, exchange, language):
    client = app.test_client()
    sign_in(client, user_in(xw.world, "officer", language))
    text = _check(_officer_pages(client, xw, exchange), language)
    for word in EXPECTED[language]:
        assert word in text, word
    # names stay as typed; numbers and dates by Babel
    assert "SEAMEO TVET Virtual Exchange" in text and "Bangkok Polytechnic" in text


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_exchange_pages_of_quality_staff_leave_no_english(app, xw, exchange, language):
    client = app.test_client()
    sign_in(client, user_in(xw.world, "quality", language))
    text = _check(_read_pages(client, xw, exchange), language)
    assert EXPECTED[language][1] in text
    assert "mou.pdf" in text


def test_the_downloads_keep_english(app, xw, exchange):
    client = app.test_client()
    sign_in(client, user_in(xw.world, "officer", "th"))
    figures = client.get("/exchange/figures.csv").get_data(as_text=True).lstrip("\ufeff")
    assert figures.startswith("Code,Figure,Part") and "Participants by partner country" in figures
    assert "Outgoing" in figures and "Completion rate" in figures
    alumni = client.get("/exchange/alumni.csv").get_data(as_text=True).lstrip("\ufeff")
    assert alumni.startswith("Student number,Name") and "(completed)" in alumni


def test_the_figures_say_the_language_s_words(app, xw, exchange, monkeypatch):
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)  # X5 says when it was counted
    client = app.test_client()
    sign_in(client, user_in(xw.world, "officer", "vi"))
    html = _check({"figures kept": client.get("/exchange/figures?show=X5")}, "vi")
    assert "Được tính lúc" in html and "giây một lần" in html
    assert "Tỷ lệ hoàn thành" in html and "Đi" in html  # X2's title, outgoing
    assert "Thái Lan" in html  # the partner's country in the page's language
    assert "Làm công ăn lương" in html  # X5's latest status in words
