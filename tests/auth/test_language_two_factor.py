"""The two-factor pages of staff in every language: setting it up (with a wrong code), the
recovery codes, the page once it is on (with a wrong password, new codes), and the code asked
for at sign-in (wrong, then a recovery code). No error, no English text of the catalogue left,
known words in the language."""

from __future__ import annotations

import re

import pyotp
import pytest

from app.auth.two_factor_routes import PENDING_SECRET
from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import PASSWORD, sign_in
from tests.employment.test_language_crawl import _english_words, _left

TRANSLATED = [code for code in LANGUAGES if code != "en"]
EXPECTED = {"th": ("รหัสกู้คืนของคุณ", "กรอกรหัสของคุณ"), "id": ("Kode pemulihan Anda",
                                                              "Masukkan kode Anda"),
            "ms": ("Kod pemulihan anda", "Masukkan kod anda"),
            "vi": ("Mã khôi phục của bạn", "Nhập mã của bạn"),
            "fil": ("Iyong mga recovery code", "Ilagay ang iyong code")}


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_two_factor_pages_leave_no_english(app, world, language):
    officer = world.users["officer"]
    officer.language = language
    db.session.commit()
    client = app.test_client()
    sign_in(client, officer)
    pages = {"set up": client.get("/auth/two-factor"),
             "set up, wrong code": client.post("/auth/two-factor", data={"code": "000000"})}
    with client.session_transaction() as session:
        secret = session[PENDING_SECRET]
    pages["recovery codes"] = client.post("/auth/two-factor",
                                          data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b",
                       pages["recovery codes"].get_data(as_text=True))
    pages["on"] = client.get("/auth/two-factor")
    pages["on, wrong password"] = client.post("/auth/two-factor",
                                              data={"off-password": "not it"})
    pages["new codes"] = client.post("/auth/two-factor", data={"action": "codes"})

    visitor = app.test_client()
    visitor.get(f"/auth/login?lang={language}")  # a visitor's language, kept in the session
    visitor.post("/auth/login", data={"email": officer.email, "password": PASSWORD})
    pages["code at sign-in"] = visitor.get("/auth/second-factor")
    pages["wrong code at sign-in"] = visitor.post("/auth/second-factor",
                                                  data={"code": "123456"})
    codes = re.findall(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b",
                       pages["new codes"].get_data(as_text=True))
    pages["signed in with a recovery code"] = visitor.post(
        "/auth/second-factor", data={"code": codes[0]}, follow_redirects=True)
    english = _english_words(language)
    shown = ""
    for name, page in pages.items():
        assert page.status_code in (200, 401), name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        assert not _left(html, english), (name, _left(html, english))
        shown += html
    for word in EXPECTED[language]:
        assert word in shown, word
    for english_text in ("Signed in with a recovery code", "That code is not right",
                         "unused recovery code", "That is not your current password"):
        assert english_text not in shown, english_text
