"""Which language a page is in, the language menu, and dates, numbers and money per language."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from app.auth.models import User
from app.core import i18n
from app.extensions import db
from tests.conftest import sign_in


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_english_when_nothing_says_otherwise(client, world):
    page = client.get("/auth/login")
    assert _lang(page) == "en"
    assert "Sign in" in page.get_data(as_text=True)


def test_browser_language_is_the_best_match(client, world):
    assert _lang(client.get("/auth/login", headers={"Accept-Language": "th-TH,th;q=0.9"})) == "th"
    assert _lang(client.get("/auth/login",
                            headers={"Accept-Language": "fr;q=1, fil;q=0.8, vi;q=0.5"})) == "fil"
    # A language the product does not speak falls through to the institution's default.
    assert _lang(client.get("/auth/login", headers={"Accept-Language": "fr"})) == "en"


def test_institution_default_when_the_browser_says_nothing(client, world):
    world.home.default_language = "id"
    db.session.commit()
    assert _lang(client.get("/auth/login")) == "id"
    assert _lang(client.get("/auth/login", headers={"Accept-Language": "vi"})) == "vi"


def test_menu_keeps_a_visitors_choice_in_the_session(client, world):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'id="language-menu"' in page
    for code, name in i18n.LANGUAGES.items():
        assert f'name="language" value="{code}"' in page and name in page
    answer = client.post("/language", data={"language": "vi", "next": "/auth/login?lang=th"})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/auth/login"  # the address's lang would undo it
    assert _lang(client.get("/auth/login", headers={"Accept-Language": "th"})) == "vi"


def test_menu_refuses_an_unknown_language_and_a_foreign_next(client, world):
    assert client.post("/language", data={"language": "fr"}).status_code == 400
    answer = client.post("/language", data={"language": "ms", "next": "https://evil.example/"})
    assert answer.headers["Location"] == "/"


def test_signed_in_choice_is_kept_on_the_account(app, client, world):
    user = world.users["alumnus"]
    sign_in(client, user)
    client.post("/language", data={"language": "th", "next": "/me"})
    db.session.expire_all()
    assert db.session.get(User, user.id).language == "th"
    other = app.test_client()  # another browser: the account's language, over the browser's
    sign_in(other, user)
    assert _lang(other.get("/me", headers={"Accept-Language": "vi"})) == "th"


def test_menu_posts_need_the_csrf_token(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/language", data={"language": "th"}).status_code == 400
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'action="/language"[^>]*>\s*<input type="hidden" name="csrf_token" '
                          r'value="([^"]+)"', page).group(1)
        assert client.post("/language", data={"language": "th", "csrf_token": token}
                           ).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_address_lang_opens_the_page_in_it(client, world):
    assert _lang(client.get("/auth/login?lang=ms")) == "ms"
    assert _lang(client.get("/auth/login")) == "ms"  # kept for the next pages
    assert _lang(client.get("/auth/login?lang=xx")) == "ms"


@pytest.mark.parametrize(("language", "buddhist_era", "expected"), [
    ("en", True, "05 Dec 2026"),
    ("th", True, "5 ธ.ค. 2569"),
    ("th", False, "5 ธ.ค. 2026"),
    ("vi", True, "5 thg 12, 2026"),
    ("id", True, "5 Des 2026"),
])
def test_dates_per_language_and_buddhist_era(app, world, language, buddhist_era, expected):
    world.home.buddhist_era = buddhist_era
    db.session.commit()
    with app.test_request_context("/"), i18n.in_language(language, world.home.id):
        assert i18n.format_date(date(2026, 12, 5)) == expected


def test_buddhist_era_reaches_long_dates_and_moments(app, world):
    with app.test_request_context("/"), i18n.in_language("th", world.home.id):
        assert i18n.format_date(date(2026, 12, 5), "long") == "5 ธันวาคม พ.ศ. 2569"
        assert "2569" in i18n.format_datetime(datetime(2026, 12, 5, 9, 30))
        assert i18n.format_date(None) == "—"


def test_numbers_and_money_per_language(app, world):
    with app.test_request_context("/"):
        with i18n.in_language("id"):
            assert i18n.format_number(1234567.5) == "1.234.567,5"
            assert i18n.format_money(4500000, "IDR") == "Rp4.500.000"
        with i18n.in_language("th"):
            assert i18n.format_money(12500, "THB") == "฿12,500.00"
        with i18n.in_language("vi"):
            assert i18n.format_money(12500000, "VND") == "12.500.000\xa0₫"
        with i18n.in_language("en"):
            assert i18n.format_money(None, "THB") == "—"

@pytest.mark.parametrize("language", sorted(i18n.LANGUAGES))
def test_numbers_are_written_as_babel_writes_them(app, language):
    """format_number keeps the language's pattern and writes whole numbers itself: the same
    text as Babel's format_decimal for every kind of number a page shows."""
    values = [0, 7, 999, 1000, 12345, 1234567, 10**12, -1, -1234567, 0.5, 1234.5678, 2.675,
              0.125, 99.95, 0.05, 1e-7, 1e20, 72.45, float("inf"), float("nan"), 3.0,
              -0.25, Decimal("1234567.891"), Decimal("-12.5"), Decimal("1E+3"), "12345"]
    with app.test_request_context("/"), i18n.in_language(language):
        for digits in (None, 0, 1, 2):
            pattern = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
            for value in values:
                assert i18n.format_number(value, digits) == format_decimal(
                    value, format=pattern, locale=language), (value, digits)



def test_e_mail_language_falls_back_to_the_institution(app, world):
    world.other.default_language = "vi"
    db.session.commit()
    with app.app_context():
        with i18n.in_language(None, world.other.id) as chosen:
            assert chosen == "vi"
        with i18n.in_language("th", world.other.id) as chosen:
            assert chosen == "th"
        with i18n.in_language(None, world.home.id) as chosen:
            assert chosen == "en"


def test_administrator_sets_the_default_language_and_the_era(as_role, world, client):
    admin = as_role("admin")
    form = admin.get(f"/admin/institutions/{world.home.id}/edit").get_data(as_text=True)
    assert 'name="default_language"' in form and 'name="buddhist_era"' in form
    answer = admin.post(f"/admin/institutions/{world.home.id}/edit", data={
        "code": "HOME", "name": "Home Polytechnic", "country": "TH", "kind": "polytechnic",
        "is_home": "y", "default_language": "th"})  # the era box left unticked
    assert answer.status_code == 302
    db.session.expire_all()
    assert (world.home.default_language, world.home.buddhist_era) == ("th", False)
    assert _lang(client.get("/auth/login")) == "th"
    refused = admin.post(f"/admin/institutions/{world.home.id}/edit", data={
        "code": "HOME", "name": "Home Polytechnic", "country": "TH", "kind": "polytechnic",
        "is_home": "y", "default_language": "xx"})
    assert refused.status_code == 200


def test_country_and_currency_lists_named_in_the_page_language(app, world):
    with app.test_request_context("/"):
        english_countries = dict(i18n.country_choices_in_language())
        english_currencies = dict(i18n.currency_choices_in_language())
    with app.test_request_context("/"), i18n.in_language("th", world.home.id):
        countries = dict(i18n.country_choices_in_language())
        currencies = dict(i18n.currency_choices_in_language())
    assert english_countries["TH"] == "Thailand" and countries["TH"] == "ไทย"
    assert list(countries) == list(english_countries)  # same codes, same order
    assert english_currencies["THB"].startswith("THB") and "Baht" in english_currencies["THB"]
    assert currencies["THB"] == "THB — บาท"
    assert list(currencies) == list(english_currencies)
    # named once a language: a second view of a page gets the kept list, which none can change
    with app.test_request_context("/"), i18n.in_language("th", world.home.id):
        again = i18n.country_choices_in_language()
        assert again is i18n.country_choices_in_language() and dict(again) == countries
        assert isinstance(again, tuple) and isinstance(i18n.currency_choices_in_language(), tuple)


def test_a_page_keeps_its_catalogue_and_force_locale_still_switches_it(app, world):
    # The templates keep the language's catalogue for the request; a message in another
    # language inside (an e-mail in its recipient's language) and the page after it must
    # still each be in their own language.
    from flask import render_template_string
    from flask_babel import force_locale, refresh

    said = "{{ _('This field is required.') }}"
    # (each request in an application context of its own, as a server gives it: the tests'
    # app fixture keeps one open, and `g` lives as long as that)
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "th"}):
        assert render_template_string(said) == "กรุณากรอกช่องนี้"
        assert i18n.current_language() == "th" and i18n.format_number(1234) == "1,234"
        with force_locale("vi"):
            assert render_template_string(said) == "Trường này là bắt buộc."
            assert i18n.current_language() == "vi" and i18n.format_number(1234) == "1.234"
        assert render_template_string(said) == "กรุณากรอกช่องนี้"
        assert i18n.current_language() == "th"
        with force_locale("en"):
            assert render_template_string(said) == "This field is required."
            assert i18n.current_language() == "en"
        refresh()  # the language changed within the request (the menu's post)
        assert render_template_string(said) == "กรุณากรอกช่องนี้"
        assert i18n.current_language() == "th"
    with app.app_context(), app.test_request_context("/", headers={"Accept-Language": "vi"}):
        assert render_template_string(said) == "Trường này là bắt buộc."
        assert i18n.current_language() == "vi"
