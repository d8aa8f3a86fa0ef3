"""Languages: which one a page or an e-mail is in, and dates, numbers and money in it.

English is the source; the catalogues in `translations/<code>/LC_MESSAGES/messages.po` hold
Thai, Indonesian, Malay, Vietnamese and Filipino (see README "Languages"). The language of a
page is, in order: the `lang` of the address (an invitation's link; kept in the session), the
signed-in user's choice (`User.language`), the visitor's choice from the menu (session), the
browser's Accept-Language, then the institution's default language. Core knows no
institution: `register_institution_settings(fn)` (from app.alumni's hooks) tells it an
institution's default language and whether Thai pages show Buddhist Era years.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import NumberPattern, parse_pattern
from babel.numbers import format_currency as babel_currency
from flask import Flask, g, has_request_context, request, session
from flask_babel import (
    Babel,
    force_locale,
    get_locale,
    get_translations,
    refresh,
)
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.db import as_utc

DEFAULT_LANGUAGE = "en"
# Code → the language's own name, as the menu shows it (a reader finds their language by it).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "th": "ไทย",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
    "vi": "Tiếng Việt",
    "fil": "Filipino",
}
BUDDHIST_ERA_OFFSET = 543  # Thai solar calendar: BE year = CE year + 543
SESSION_KEY = "language"

babel = Babel()

# fn(institution_id or None) -> (default language, Buddhist Era on); None: the home one.
InstitutionSettings = Callable[[int | None], tuple[str, bool]]
_SETTINGS: list[InstitutionSettings] = []


def register_institution_settings(fn: InstitutionSettings) -> None:
    """Tell core how to read an institution's language settings (registered by app.alumni)."""
    _SETTINGS[:] = [fn]


def clean_language(code: str | None) -> str | None:
    """The language code if the product speaks it, else None."""
    return code if code in LANGUAGES else None


def use_institution(institution_id: int | None) -> None:
    """Pages that belong to one institution (a survey from its link) call this before they
    render, so its default language and Buddhist Era setting apply."""
    g.i18n_institution_id = institution_id
    g.pop("i18n_settings", None)
    refresh()


def _institution_id() -> int | None:
    if "i18n_institution_id" in g:
        return g.i18n_institution_id
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return getattr(current_user, "institution_id", None)
    return None


def institution_settings() -> tuple[str, bool]:
    """(default language, Buddhist Era years on Thai pages) of the institution in play."""
    if "i18n_settings" not in g:
        settings = (DEFAULT_LANGUAGE, True)
        if _SETTINGS:
            try:
                settings = _SETTINGS[0](_institution_id())
            except SQLAlchemyError:
                # A message translated while the session is failing (a Conflict raised after a
                # failed flush): the defaults for this message, asked again for the next.
                return settings
        g.i18n_settings = settings
    return g.i18n_settings


def select_locale() -> str:
    """The language of this request (the order is in the module's docstring)."""
    if has_request_context():
        asked = clean_language(request.args.get("lang"))
        if asked:
            session[SESSION_KEY] = asked
            return asked
        if getattr(current_user, "is_authenticated", False):
            chosen = clean_language(getattr(current_user, "language", None))
            if chosen:
                return chosen
        chosen = clean_language(session.get(SESSION_KEY))
        if chosen:
            return chosen
        best = request.accept_languages.best_match(list(LANGUAGES))
        if best:
            return best
    return clean_language(institution_settings()[0]) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The code of the language in force, kept beside its locale object as `page_translations`
    keeps the catalogue (a page of figures asks for it a few hundred times)."""
    ns = g.get("_flask_babel") if g else None
    kept = getattr(ns, "alumnet_language", None)
    if kept is not None and kept[0] is getattr(ns, "babel_locale", None):
        return kept[1]
    locale = get_locale()
    language = str(locale) if locale else DEFAULT_LANGUAGE
    ns = g.get("_flask_babel") if g else None
    if locale is not None and getattr(ns, "babel_locale", None) is locale:
        ns.alumnet_language = (locale, language)
    return language


@contextmanager
def in_language(language: str | None, institution_id: int | None = None) -> Iterator[str]:
    """Render in `language` (an e-mail in its recipient's language), with `institution_id`'s
    settings; None: that institution's default language."""
    saved = {k: g.get(k) for k in ("i18n_institution_id", "i18n_settings") if k in g}
    g.i18n_institution_id = institution_id
    g.pop("i18n_settings", None)
    try:
        chosen = clean_language(language) or clean_language(institution_settings()[0]) \
            or DEFAULT_LANGUAGE
        with force_locale(chosen):
            yield chosen
    finally:
        g.pop("i18n_institution_id", None)
        g.pop("i18n_settings", None)
        for key, value in saved.items():
            setattr(g, key, value)


# --- dates, numbers, money --------------------------------------------------------------------

_YEAR = re.compile(r"y+")
_ERA = re.compile(r"G+")


def _buddhist_era() -> bool:
    return current_language() == "th" and institution_settings()[1]


def _with_year(pattern: str, year: int) -> str:
    """The CLDR pattern with its year field replaced by `year` as literal text and its era
    (ค.ศ. in Thai long dates) by พ.ศ. (Babel has no Thai solar calendar; only the shown year
    changes, stored dates stay common era)."""
    parts = re.split(r"('[^']*')", pattern)  # leave quoted literals alone
    return "".join(p if p.startswith("'") else _ERA.sub("'พ.ศ.'", _YEAR.sub(f"'{year}'", p))
                   for p in parts)


def _pattern(kind: str, length: str, locale: Locale) -> str:
    if kind == "date":
        return locale.date_formats[length].pattern
    date_part = locale.date_formats[length].pattern
    time_part = locale.time_formats["short"].pattern
    return str(locale.datetime_formats[length]).replace("{1}", date_part).replace(
        "{0}", time_part)


# English keeps the product's own short forms ("05 Dec 2026"); others take CLDR's.
_ENGLISH = {"date": {"medium": "%d %b %Y", "long": "%d %B %Y"},
            "datetime": {"medium": "%d %b %Y %H:%M UTC", "long": "%d %B %Y %H:%M UTC"}}


def format_date(value: date | None, length: str = "medium") -> str:
    """A date for the page's language: "05 Dec 2026", "5 ธ.ค. 2569", "5 thg 12, 2026"."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return value.strftime(_ENGLISH["date"][length])
    locale = Locale.parse(language)
    pattern = _pattern("date", length, locale)
    if _buddhist_era():
        pattern = _with_year(pattern, value.year + BUDDHIST_ERA_OFFSET)
    return babel_date(value, pattern, locale=locale)


def format_month(value: date | None) -> str:
    """A month and its year for the page's language: "Dec 2026", "ธ.ค. 2569", "thg 12 2026"."""
    if not value:
        return "—"
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return value.strftime("%b %Y")
    locale = Locale.parse(language)
    pattern = locale.datetime_skeletons["yMMM"].pattern
    if _buddhist_era():
        pattern = _with_year(pattern, value.year + BUDDHIST_ERA_OFFSET)
    return babel_date(value, pattern, locale=locale)


def format_datetime(value: datetime | None, length: str = "medium") -> str:
    """A moment in UTC for the page's language."""
    value = as_utc(value)
    if not value:
        return "—"
    language = current_language()
    if language == DEFAULT_LANGUAGE:
        return value.strftime(_ENGLISH["datetime"][length])
    locale = Locale.parse(language)
    pattern = _pattern("datetime", length, locale)
    if _buddhist_era():
        pattern = _with_year(pattern, value.year + BUDDHIST_ERA_OFFSET)
    return f"{babel_datetime(value, pattern, tzinfo=UTC, locale=locale)} UTC"


@cache
def _number_pattern(language: str, digits: int | None) -> tuple[Locale, NumberPattern, str | None]:
    """The language's locale and number pattern (what Babel's format_decimal looks up and
    parses on every call), and its group sign where a whole number is written as Python's
    "1,234" with that sign (three-digit groups, no prefix or suffix); else None."""
    locale = Locale.parse(language)
    if digits is None:
        pattern = locale.decimal_formats[None]
    else:
        pattern = parse_pattern("#,##0." + "0" * digits if digits else "#,##0")
    plain = (pattern.grouping == (3, 3) and pattern.prefix[0] == "" and pattern.suffix[0] == ""
             and pattern.frac_prec[0] == 0 and pattern.scale == 0 and not pattern.exp_prec)
    return locale, pattern, locale.number_symbols["latn"]["group"] if plain else None


def format_number(value: Any, digits: int | None = None) -> str:
    """A number with the language's digit grouping and decimal sign (Babel's format_decimal,
    the pattern looked up once per language; a whole number ≥ 0 written directly: a page of
    figures shows a few hundred)."""
    if value is None or value == "":
        return "—"
    locale, pattern, group = _number_pattern(current_language(), digits)
    if group is not None and type(value) is int and value >= 0:
        return f"{value:,}".replace(",", group)
    return pattern.apply(value, locale)


def format_money(amount: Decimal | float | int | None, currency: str | None) -> str:
    """An amount in its currency, as the language writes it ("฿12,500.00", "Rp 4.500.000,00")."""
    if amount is None:
        return "—"
    if not currency:
        return format_number(amount)
    return babel_currency(amount, currency, locale=current_language())


_ICU_COLLATIONS: dict[str, frozenset[str]] = {}


def collated(expression: Any) -> Any:
    """`expression` (a name) sorted by the page language's collation where the database knows
    it: PostgreSQL's ICU collations ("th-x-icu": a Thai leading vowel sorts after its
    consonant; "vi-x-icu": Vietnamese letters and tone marks in their order). SQLite has no
    ICU collation: there the names stay in the order of their stored characters (README
    "Languages"). For lists sorted as a whole anyway (a search's matches, a page of the
    directory), not for the register's index walk."""
    from app.extensions import db

    bind = db.session.get_bind()
    if bind.dialect.name != "postgresql":
        return expression
    key = bind.url.render_as_string(hide_password=True)
    if key not in _ICU_COLLATIONS:
        _ICU_COLLATIONS[key] = frozenset(db.session.scalars(text(
            "SELECT collname FROM pg_collation WHERE collprovider = 'i'")))
    name = f"{current_language()}-x-icu"
    return expression.collate(name) if name in _ICU_COLLATIONS[key] else expression


def country_choices_in_language() -> tuple[tuple[str, str], ...]:
    """The country list (app.core.countries, same order groups) named in the page's language."""
    return _choices_in_language("countries", current_language())


def currency_choices_in_language() -> tuple[tuple[str, str], ...]:
    """The currency list (app.core.currencies) named in the page's language."""
    return _choices_in_language("currencies", current_language())


@cache
def _choices_in_language(kind: str, language: str) -> tuple[tuple[str, str], ...]:
    """The country or currency list with each code's name in `language` from Babel's locale
    data; a code Babel does not name keeps the list's English label, and English gets the list
    as it is. Built once a language (about 250 and 180 names: the register and the totals
    page ask for one on every view)."""
    from app.core.countries import country_choices
    from app.core.currencies import currency_choices

    if kind == "countries":
        choices, names_in, label = (country_choices(), lambda locale: locale.territories,
                                    lambda _code, name: name)
    else:
        choices, names_in, label = (currency_choices(), lambda locale: locale.currencies,
                                    lambda code, name: f"{code} — {name}")
    if language == DEFAULT_LANGUAGE:
        return tuple(choices)
    names = names_in(Locale.parse(language))
    return tuple((code, label(code, names[code]) if code in names else english)
                 for code, english in choices)


def country_name_in_language(code: str | None) -> str:
    """A country's name in the page's language (the `country` filter); English: the list's."""
    from app.core.countries import country_name

    language = current_language()
    if not code or language == DEFAULT_LANGUAGE:
        return country_name(code)
    return Locale.parse(language).territories.get(code) or country_name(code)


def language_name(code: str | None, english: str | None = None) -> str:
    """A language's name in the page's language, from CLDR ("Thai" → "ไทย" on a Thai page, "tiếng
    Thái" on a Vietnamese one); `english` (or the code) where CLDR has none."""
    if not code:
        return "—"
    names = Locale.parse(current_language()).languages
    name = names.get(code) or english or code
    return name[:1].upper() + name[1:]


def page_translations() -> Any:
    """The catalogue of the language in force, looked up once for as long as that language
    stays in force (Flask-Babel looks it up again for every message: about 40 µs each, 3 ms
    of a register record's page). `force_locale` and `refresh` put another locale object in
    place, so the kept catalogue is used only while the very same one is."""
    if not g:  # outside an application context
        return get_translations()
    ns = g.get("_flask_babel")
    kept = getattr(ns, "alumnet_catalogue", None)
    if kept is not None and kept[0] is getattr(ns, "babel_locale", None):
        return kept[1]
    catalogue = get_translations()
    ns = g.get("_flask_babel")
    locale = getattr(ns, "babel_locale", None)
    if locale is not None:
        ns.alumnet_catalogue = (locale, catalogue)
    return catalogue


def init_app(app: Flask) -> None:
    """Flask-Babel with the product's locale selector, and the template filters and globals."""
    from flask_wtf import FlaskForm

    from app.core.form_messages import FormMessages

    FlaskForm.Meta.get_translations = lambda self, form: FormMessages()  # type: ignore[method-assign]
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(
        __import__("pathlib").Path(app.root_path).parent / "translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # Flask-Babel's, with the look-up kept
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["language_name"] = language_name

    @app.context_processor
    def language_globals() -> dict[str, Any]:
        return {"languages": LANGUAGES, "current_language": current_language()}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a word for the catalogues where it is defined (code lists); the page translates it
    with gettext when it shows it, so exports and the API keep the English word."""
    return message
