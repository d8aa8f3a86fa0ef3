"""The e-mails an alumnus receives about their account, in their language: the invitation to
claim the profile (the institution's default: no account yet, and its link carries the
language), the password reset and the e-mail change (the account's language). No English text
of the catalogue left in the subject or the body."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from app.auth.email_change import request_email_change
from app.auth.services import invite_alumnus
from app.core.i18n import LANGUAGES
from app.core.jobs import wait_for_idle
from app.extensions import db
from tests.employment.test_language_crawl import _english_words, _left


def _no_english(message, english, sink) -> None:
    for text in (str(message["Subject"]), sink.text(message)):
        assert not _left(text, english), _left(text, english)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_account_mails_in_the_alumnus_language(app, world, smtp_server, language):
    english = _english_words(language)
    world.home.default_language = language
    invite_alumnus(world.second_alumnus, actor=world.users["officer"])
    db.session.commit()
    [invitation] = smtp_server.to(world.second_alumnus.email)
    _no_english(invitation, english, smtp_server)
    link = re.search(r"http://\S+/auth/claim/\S+", smtp_server.text(invitation)).group(0)
    assert link.endswith(f"?lang={language}")
    address = urlparse(link)
    claim = app.test_client().get(f"{address.path}?{address.query}")
    assert f'<html lang="{language}">' in claim.get_data(as_text=True)

    user = world.users["alumnus"]
    user.language = language
    world.home.default_language = "en"  # the account's language wins
    db.session.commit()
    app.test_client().post("/auth/reset", data={"email": user.email})
    wait_for_idle()
    [reset] = smtp_server.to(user.email)
    _no_english(reset, english, smtp_server)

    with app.test_request_context():
        request_email_change(world.alumnus, "new.address@example.org", actor=user)
        db.session.commit()
    [confirm] = smtp_server.to("new.address@example.org")
    _no_english(confirm, english, smtp_server)
    notice = smtp_server.to(user.email)[-1]
    _no_english(notice, english, smtp_server)
    assert "new.address@example.org" in smtp_server.text(notice)
