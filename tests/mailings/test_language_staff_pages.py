"""The mailing staff pages in every language: the list, the form (empty, with the form's errors
and with the service's), a draft with its segment's count and exclusions, a mailing sent over
real SMTP with what became of it, the refusals (changing or sending a sent mailing) and the
messages the mail gate held back (all, by reason, none for a reason); opened by an officer and
by quality staff. No English text of the catalogue is left on them (the fixed pieces of
messages with placeholders too); the officer's subject and body stay as typed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.alumni.models import Consent
from app.core.db import utcnow
from app.core.i18n import LANGUAGES
from app.core.jobs import wait_for_idle
from app.extensions import db
from app.mailings.models import Mailing, SuppressedMail
from tests.conftest import sign_in, user_in
from tests.core.test_mail_languages import _english, _left
from tests.employment.test_language_crawl import ROOT

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show: a status, an exclusion reason, the form's legend
EXPECTED = {
    "th": ("ส่งแล้ว", "ไม่เคยให้ความยินยอมสำหรับวัตถุประสงค์นี้", "ส่งถึงใคร"),
    "id": ("Terkirim", "Persetujuan untuk tujuan ini tidak pernah diberikan", "Untuk siapa"),
    "ms": ("Dihantar", "Persetujuan untuk tujuan ini tidak pernah diberi", "Untuk siapa"),
    "vi": ("Đã gửi", "Chưa từng đồng ý cho mục đích này", "Gửi cho ai"),
    "fil": ("Naipadala", "Hindi kailanman nagbigay ng pahintulot para sa layuning ito",
            "Para kanino"),
}
# short English words (12 characters or fewer: the catalogue check leaves them out), checked as
# an element's whole text where the language's word differs
SHORT = ("Draft", "Sent", "Failed", "Excluded", "Written", "Subject", "Reason", "Recipient",
         "Preview", "Message", "For", "Status", "When", "Purpose", "Address", "Edit", "Show",
         "Mailings", "Engagement", "Cohorts from", "Cohorts to", "Any reason", "Deceased",
         "New mailing", "The message", "Programmes:")
SUBJECT, BODY = "Homecoming 2026", "Dear friends,\n\n**Homecoming** is on *1 March*."


def _short_words(language: str) -> list[str]:
    from babel.messages.pofile import read_po

    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    return [f">{word}<" for word in SHORT if catalogue.get(word).string != word]


def _check(pages: dict, language: str) -> str:
    english = _english(language)
    short = _short_words(language)
    shown = []
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
        for word in short:
            assert word not in html, (name, word)
        shown.append(re.sub(r"<[^>]+>", " ", html))
    return "".join(shown)


@pytest.fixture
def mailings(app, world, make_alumnus, smtp_server):
    """A mailing sent (one alumnus reached, the others excluded by consent and death), a draft
    like it, a draft with every filter of the segment, and three messages the gate held back;
    returns (sent, draft, filtered)."""
    deceased = make_alumnus(world.home, programme_id=world.programme.id, status="deceased")
    for alumnus in (world.second_alumnus, deceased):
        db.session.add(Consent(alumnus_id=alumnus.id, purpose="contact", granted=True,
                               method="officer"))
    db.session.commit()
    officer = app.test_client()
    sign_in(officer, world.users["officer"])
    assert officer.post("/mailings/new", data={"purpose": "contact", "subject": SUBJECT,
                                                "body": BODY}).status_code == 302
    sent = db.session.scalar(select(Mailing))
    assert "/jobs/" in officer.post(f"/mailings/{sent.id}/send").headers["Location"]
    wait_for_idle()
    assert officer.post("/mailings/new", data={"purpose": "contact", "subject": "Reunion",
                                                "body": BODY}).status_code == 302
    draft = db.session.scalar(select(Mailing).where(Mailing.status == "draft"))
    assert officer.post("/mailings/new", data={
        "purpose": "fundraising", "subject": "Scholarship appeal", "body": BODY,
        "programme_ids": [str(world.programme.id)], "cohort_from": "2020",
        "cohort_to": "2024", "country": "MY", "engaged": "no", "exchange_only": "y",
    }).status_code == 302
    filtered = db.session.scalar(select(Mailing).where(Mailing.subject == "Scholarship appeal"))
    now = utcnow()
    db.session.add_all([
        SuppressedMail(created_at=now - timedelta(minutes=n), address=a.email,
                       alumnus_id=a.id, purpose=purpose, kind="mailing", subject=subject,
                       reason=reason)
        for n, (a, purpose, subject, reason) in enumerate([
            (world.second_alumnus, "contact", "Homecoming at Home", "consent_withdrawn"),
            (world.alumnus, "tracer", "Where are you now", "bounced"),
            (world.alumnus, "transactional", "Your receipt", "opted_out")])])
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Mailing, sent.id), draft, filtered


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_mailing_pages_of_an_officer_leave_no_english(app, world, mailings, language):
    sent, draft, filtered = mailings
    assert (sent.status, sent.sent_count) == ("sent", 1)
    client = app.test_client()
    sign_in(client, user_in(world, "officer", language))
    pages = {
        "list": client.get("/mailings/"),
        "form": client.get("/mailings/new"),
        # the form's own checks: nothing typed, cohorts out of range, a purpose that is no mail
        "form with errors": client.post("/mailings/new", data={
            "purpose": "photos", "subject": "", "body": "", "cohort_from": "1800",
            "cohort_to": "x"}),
        # the service's checks: the cohorts in the wrong order
        "form with the service's errors": client.post("/mailings/new", data={
            "purpose": "contact", "subject": "News", "body": "Hello",
            "cohort_from": "2024", "cohort_to": "2020"}),
        "draft": client.get(f"/mailings/{draft.id}"),
        "draft with every filter": client.get(f"/mailings/{filtered.id}"),
        "draft's form": client.get(f"/mailings/{filtered.id}/edit"),
        "sent": client.get(f"/mailings/{sent.id}"),
        "a sent mailing is not changed": client.get(f"/mailings/{sent.id}/edit",
                                                    follow_redirects=True),
        "nor sent again": client.post(f"/mailings/{sent.id}/send", follow_redirects=True),
        "held back": client.get("/mailings/held"),
        "held back, one reason": client.get("/mailings/held?reason=bounced"),
        "held back, none for a reason": client.get("/mailings/held?reason=deceased"),
    }
    sending = client.post(f"/mailings/{draft.id}/send")
    assert "/jobs/" in sending.headers["Location"]
    wait_for_idle()
    pages["draft sent, the flash message"] = client.get(f"/mailings/{draft.id}")
    shown = _check(pages, language)
    for word in EXPECTED[language]:
        assert word in shown, word
    assert SUBJECT in shown and "Homecoming at Home" in shown  # subjects stay as typed
    errors = pages["form with errors"].get_data(as_text=True)
    assert errors.count('class="invalid-feedback') >= 3 and "This field is required" not in errors
    service = pages["form with the service's errors"].get_data(as_text=True)
    assert "is-invalid" in service
    ready = pages["draft"].get_data(as_text=True)
    assert "data-confirm=" in ready and "<caption" in ready  # the send button, the exclusions
    for name in ("a sent mailing is not changed", "nor sent again",
                 "draft sent, the flash message"):
        assert 'class="alert alert-' in pages[name].get_data(as_text=True), name
    db.session.expire_all()
    assert db.session.get(Mailing, draft.id).status == "sent"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_mailing_pages_of_quality_staff_leave_no_english(app, world, mailings, language):
    sent, draft, filtered = mailings
    client = app.test_client()
    sign_in(client, user_in(world, "quality", language))
    pages = {
        "list": client.get("/mailings/"),
        "draft": client.get(f"/mailings/{draft.id}"),
        "draft with every filter": client.get(f"/mailings/{filtered.id}"),
        "sent": client.get(f"/mailings/{sent.id}"),
        "held back": client.get("/mailings/held"),
    }
    shown = _check(pages, language)
    for word in EXPECTED[language][:2]:
        assert word in shown, word
    assert client.get("/mailings/new").status_code == 403  # quality staff read only
