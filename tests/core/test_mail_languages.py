"""Every other e-mail in its recipient's language, over a real SMTP server, and the pages
anybody may open from them or by accident, in each language, with no English text of the
catalogue left: the contribution receipt (the alumnus's account language, else the
institution's default), the mentoring proposal (the mentor's account) and outcome request
(the student: the institution's default, carried by the link to its page), the staff
invitation (the staff member's language, else the institution's), a mailing (the officer's
subject and body as written, the signature and the unsubscribe footer in the alumnus's
language) with its unsubscribe page, the error pages and the reason an e-mail address is not
valid."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from app.alumni.models import Consent
from app.core.errors import ValidationFailed
from app.core.i18n import LANGUAGES
from app.core.jobs import wait_for_idle
from app.extensions import db
from tests.conftest import sign_in
from tests.employment.test_language_crawl import ROOT, _english_words
from tests.mentoring.conftest import make_student, own_mentor  # noqa: F401 - fixtures

TRANSLATED = [code for code in LANGUAGES if code != "en"]


def _english(language: str) -> set[str]:
    """The crawl's English texts, and the fixed pieces (over 12 characters) of the messages
    with placeholders and of plural messages ("To stop e-mails for it, open this link (no
    sign-in needed): ", "The link works once, for "), which the crawl leaves out."""
    from babel.messages.pofile import read_po

    words = set(_english_words(language))
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or not all(strings) or "<" in ids[0]:
            continue
        for text in ids:
            for piece in re.split(r"%\(\w+\)[sd]", text):
                piece = piece.strip()
                if len(piece) > 12 and not any(piece in s for s in strings):
                    words.add(piece)
    return words


def _left(text: str, english: set[str]) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text)
    # whole words only: "Alumni office" is not left inside Filipino's "Alumni officer"
    return sorted(w for w in english if w in text
                  and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))


def _no_english(message, english, sink) -> str:
    """The subject and the body (each part) leave no English; returns the plain text."""
    texts = [str(message["Subject"])]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            texts.append(part.get_content())
    for text in texts:
        assert not _left(text, english), _left(text, english)
    return sink.text(message)


def _page(response, language: str, english: set[str], status: int = 200) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == status, (response.status_code, html[:300])
    assert f'<html lang="{language}">' in html
    assert not _left(html, english), _left(html, english)
    return html


@pytest.mark.parametrize("language", TRANSLATED)
def test_contribution_receipts_in_the_donor_language(world, smtp_server, language):
    from app.contributions.services import (
        ContributionData,
        acknowledge_contribution,
        record_contribution,
    )

    english = _english(language)
    officer = world.users["officer"]
    world.users["alumnus"].language = language  # the account's language wins
    gift = record_contribution(ContributionData(
        donor_kind="alumnus", alumnus_id=world.alumnus.id, kind="monetary",
        category="scholarship", received_on=date(2026, 3, 2), amount="12500", currency="THB",
        purpose="Scholarship fund"), institution=world.home, actor=officer)
    db.session.commit()
    acknowledge_contribution(gift, actor=officer)
    db.session.commit()
    [receipt] = smtp_server.to(world.alumnus.email)
    text = _no_english(receipt, english, smtp_server)
    assert gift.receipt_number in text and gift.receipt_number in str(receipt["Subject"])
    assert "12" in text and "Scholarship fund" in text

    # An organisation has no account: the institution's default language.
    world.home.default_language = language
    goods = record_contribution(ContributionData(
        donor_kind="organisation", organisation_name="Acme Sdn Bhd",
        contact_email="giving@acme.example.org", kind="in_kind", category="equipment",
        received_on=date(2026, 3, 2), description="Ten laptops", quantity=10,
        estimated_value="30000", value_currency="MYR", valuation_basis="invoice",
        hours="6"), institution=world.home, actor=officer)
    db.session.commit()
    acknowledge_contribution(goods, actor=officer)
    db.session.commit()
    [receipt] = smtp_server.to("giving@acme.example.org")
    text = _no_english(receipt, english, smtp_server)
    assert "Ten laptops" in text and "invoice" in text


@pytest.mark.parametrize("language", TRANSLATED)
def test_mentoring_mails_and_the_outcome_page_in_their_language(
        app, world, as_role, own_mentor, make_student, smtp_server, language):  # noqa: F811
    from app.mentoring.models import Mentorship
    from app.mentoring.services import change_status

    english = _english(language)
    world.users["alumnus"].language = language  # the mentor's account
    db.session.commit()
    student = make_student(email="mentee@example.org")
    student.expected_graduation = date(2027, 6, 30)
    db.session.commit()
    response = as_role("officer").post(f"/mentoring/students/{student.id}/propose",
                                       data={"mentor_id": str(own_mentor.id), "goals": "CV"})
    assert response.status_code == 302
    [proposal] = smtp_server.to(world.alumnus.email)
    assert student.given_name in _no_english(proposal, english, smtp_server)

    world.home.default_language = language  # the student has no account
    m = db.session.scalar(select(Mentorship))
    change_status(m, "accepted", actor=world.users["alumnus"])
    change_status(m, "active", actor=world.users["alumnus"])
    db.session.commit()
    assert as_role("alumnus").post(f"/me/mentoring/{m.id}/status",
                                   data={"to": "completed"}).status_code == 302
    [request] = smtp_server.to("mentee@example.org")
    text = _no_english(request, english, smtp_server)
    link = re.search(r"http://\S+/mentoring/outcome/\S+", text).group(0)
    assert link.endswith(f"?lang={language}")
    address = urlparse(link)

    visitor = app.test_client()
    _page(visitor.get(f"{address.path}?{address.query}"), language, english)
    _page(visitor.post(address.path, data={"rating": "9"}), language, english)  # not a choice
    _page(visitor.post(address.path, data={"rating": "4", "note": "Useful"}), language, english)
    _page(visitor.get(address.path), language, english, status=404)  # used once


@pytest.mark.parametrize("language", TRANSLATED)
def test_staff_invitation_in_the_staff_language(app, world, smtp_server, language):
    from app.auth.invitations import invite_staff

    english = _english(language)
    admin = world.users["admin"]
    world.home.default_language = language  # no language of their own yet
    invite_staff("new.officer@example.org", "officer", institution=world.home,
                 full_name="Nita Officer", actor=admin)
    db.session.commit()
    [invitation] = smtp_server.to("new.officer@example.org")
    text = _no_english(invitation, english, smtp_server)
    assert "new.officer@example.org" in text
    link = re.search(r"http://\S+/auth/welcome/\S+", text).group(0)
    assert link.endswith(f"?lang={language}")
    address = urlparse(link)
    # the page the link opens: in the same language, with its errors, then the sign-in page
    # with the flash that the password is set
    person = app.test_client()
    html = _page(person.get(f"{address.path}?{address.query}"), language, english)
    assert "Nita Officer" in html
    _page(person.post(address.path, data={"password": "short", "confirm": "other"}),
          language, english)
    done = person.post(address.path, data={"password": "lantern-orbit-mango",
                                           "confirm": "lantern-orbit-mango"})
    assert done.status_code == 302
    _page(person.get(done.headers["Location"]), language, english)

    world.home.default_language = "en"
    quality = world.users["quality"]
    quality.password_hash, quality.language = None, language  # their own language wins
    db.session.commit()
    from app.auth.invitations import send_staff_invitation

    send_staff_invitation(quality, actor=admin)
    db.session.commit()
    [invitation] = smtp_server.to(quality.email)
    _no_english(invitation, english, smtp_server)


@pytest.mark.parametrize("language", TRANSLATED)
def test_mailing_around_the_officer_text_and_the_unsubscribe_page(
        app, world, as_role, smtp_server, language):
    english = _english(language)
    world.users["alumnus"].language = language
    db.session.add(Consent(alumnus_id=world.alumnus.id, purpose="contact", granted=True,
                           method="officer"))
    db.session.commit()
    officer = as_role("officer")
    officer.post("/mailings/new", data={"purpose": "contact", "subject": "Homecoming 2026",
                                        "body": "Dear alumni,\n\n**Homecoming** is on 1 March."})
    from app.mailings.models import Mailing

    mailing = db.session.scalar(select(Mailing))
    officer.post(f"/mailings/{mailing.id}/send")
    wait_for_idle()
    [message] = smtp_server.to(world.alumnus.email)
    assert str(message["Subject"]) == "Homecoming 2026"  # the officer's words, as written
    texts = {part.get_content_type(): part.get_content() for part in message.walk()
             if part.get_content_maintype() == "text"}
    assert set(texts) == {"text/plain", "text/html"}
    for text in texts.values():
        assert "Homecoming" in text
        assert not _left(text.replace("Dear alumni,", ""), english)
    assert f'<html lang="{language}">' in texts["text/html"]
    header = message["List-Unsubscribe"].strip().strip("<>")
    assert header in texts["text/plain"] and header.endswith(f"?lang={language}")

    address = urlparse(header)
    visitor = app.test_client()
    _page(visitor.get(f"{address.path}?{address.query}"), language, english)
    _page(visitor.post(address.path), language, english)
    _page(visitor.post(address.path), language, english, status=410)
    _page(visitor.get("/unsubscribe/not-a-token"), language, english, status=404)


@pytest.mark.parametrize("language", TRANSLATED)
def test_error_pages_in_every_language(app, world, language):
    english = _english(language)
    visitor = app.test_client()
    visitor.post("/language", data={"language": language})  # a visitor's choice
    _page(visitor.get("/no-such-page"), language, english, status=404)
    _page(visitor.get("/language"), language, english, status=405)

    world.users["alumnus"].language = language
    db.session.commit()
    alumnus = app.test_client()
    sign_in(alumnus, world.users["alumnus"])
    _page(alumnus.get("/mailings/"), language, english, status=403)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        _page(alumnus.post("/auth/password", data={}), language, english, status=400)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    try:
        _page(alumnus.post("/me/contact", data={"q": "x" * (100 * 1024)}), language, english,
              status=413)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved

    app.config["TOKEN_LINK_FAILURE_LIMIT"] = "1 per hour"
    try:
        reader = app.test_client()
        assert reader.get(f"/survey/guess?lang={language}").status_code == 404
        html = _page(reader.get("/mentoring/outcome/guess"), language, english, status=429)
        assert "reset" in html  # the link to ask for a reset link
    finally:
        app.config["TOKEN_LINK_FAILURE_LIMIT"] = "20 per hour"


@pytest.mark.parametrize("language", TRANSLATED)
def test_why_an_address_is_not_valid_in_the_page_language(app, world, language):
    from email_validator import EmailNotValidError, validate_email

    from app.auth.email_change import request_email_change
    from app.core.i18n import in_language

    english = _english(language)
    for bad in ("no-at-sign", "@example.org", "name@", "two..dots@example.org",
                "a space@example.org", "name@localhost", "x" * 300 + "@example.org"):
        with app.test_request_context(), in_language(language):
            with pytest.raises(ValidationFailed) as raised:
                request_email_change(world.alumnus, bad, actor=world.users["alumnus"])
            message = " ".join(raised.value.field_errors["email"])
        with pytest.raises(EmailNotValidError) as checker:
            validate_email(bad, check_deliverability=False)
        assert not _left(message, english), (bad, message)
        assert str(checker.value) not in message, message  # the checker's English
