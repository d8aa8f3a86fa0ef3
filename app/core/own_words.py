"""An institution's own words in several languages: a tracer survey's title, introduction and
questions (a list question's options too), an event's title and description.

The record's own column keeps the text as entered (in the institution's default language, as a
rule); a JSON column beside it holds the same text in further languages, `{"th": "…"}`. A
reader sees the text in their page's language, else in the institution's default language,
else as entered (`own_words`). Services clean what the staff forms send with
`clean_translations` (the base field's length limit; errors under `<field>_<code>`), and the
forms get one optional field per language of the product (`add_translation_fields`).

A list question's options are a list: their translations are lists in the same order and of
the same count, `{"th": ["…", "…"]}` (`own_options`, `clean_option_translations`; the form's
field per language takes one option a line). The option as entered stays the value a
respondent sends and the answer stores, so answers, exports and figures stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import ngettext
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.core.i18n import LANGUAGES, current_language, institution_settings


def own_words(text: str | None, translations: Mapping[str, str] | None,
              language: str | None = None) -> str | None:
    """`text` for the reader: its translation in `language` (the page's), else in the
    institution's default language, else `text` as entered."""
    if translations:
        for code in (language or current_language(), institution_settings()[0]):
            found = translations.get(code)
            if found:
                return found
    return text


def own_options(choices: list[str] | None, translations: Mapping[str, list[str]] | None,
                language: str | None = None) -> list[tuple[str, str]]:
    """(the option as entered, the option for the reader) of a list: the options in
    `language` (the page's), else in the institution's default language, else as entered;
    a language's list counts only when it has as many options as the list itself."""
    choices = list(choices or [])
    shown = choices
    if translations and choices:
        for code in (language or current_language(), institution_settings()[0]):
            found = translations.get(code)
            if (isinstance(found, list) and len(found) == len(choices)
                    and all(isinstance(o, str) and o for o in found)):
                shown = found
                break
    return list(zip(choices, shown, strict=True))


def option_lines(values: Any) -> list[str]:
    """The options of one language as the form sends them (one a line) or as a list:
    stripped, empty lines left out."""
    lines = values.splitlines() if isinstance(values, str) else list(values or [])
    return [line.strip() for line in lines if isinstance(line, str) and line.strip()]


def clean_option_translations(values: Mapping[str, Any] | None, *, choices: list[str] | None,
                              field: str, errors: dict[str, str]
                              ) -> dict[str, list[str]] | None:
    """A list's options in other languages as stored, `{"th": ["…", "…"]}`: a language left
    empty is left out, and one whose count differs from the options as entered (`choices`) is
    an error of the field `<field>_<code>`; None when none is left or the question has no
    options."""
    if not choices:
        return None
    out: dict[str, list[str]] = {}
    for code, value in (values or {}).items():
        if code not in LANGUAGES:
            continue
        options = option_lines(value)
        if not options:
            continue
        if len(options) != len(choices):
            errors[f"{field}_{code}"] = ngettext(
                "Give %(num)d option, one a line, in the order of the options as entered "
                "(%(given)d given).",
                "Give %(num)d options, one a line, in the order of the options as entered "
                "(%(given)d given).", len(choices), given=len(options))
            continue
        out[code] = options
    return out or None


def options_as_lines(translations: Mapping[str, list[str]] | None) -> dict[str, str]:
    """Stored options per language as the form's fields show them, one a line."""
    return {code: "\n".join(options) for code, options in (translations or {}).items()}


def clean_translations(values: Mapping[str, Any] | None, *, field: str, max_length: int | None,
                       errors: dict[str, str]) -> dict[str, str] | None:
    """The translations of one field as stored: stripped, empty ones and languages the product
    does not speak left out, None when none is left; a text over `max_length` is an error of
    the field `<field>_<code>` (the form's field for that language)."""
    out: dict[str, str] = {}
    for code, value in (values or {}).items():
        if code not in LANGUAGES or not isinstance(value, str) or not value.strip():
            continue
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            # WTForms' own message (its Length check says the same on the form).
            errors[f"{field}_{code}"] = ngettext(
                "Field cannot be longer than %(max)d character.",
                "Field cannot be longer than %(max)d characters.", max_length, max=max_length)
            continue
        out[code] = value
    return out or None


def translation_field_names(field: str) -> list[str]:
    """The form fields of `field`'s translations, one per language: title_en, title_th, …"""
    return [f"{field}_{code}" for code in LANGUAGES]


def add_translation_fields(form_class: type, field: str, *, max_length: int | None = None,
                           long: bool = False) -> None:
    """Give a form class one optional field per language of the product for `field`'s text in
    that language, labelled with the language's own name (a reader finds theirs by it)."""
    kind = TextAreaField if long else StringField
    form_class.language_codes = tuple(LANGUAGES)  # for the template's macro (_macros.html)
    checks = [Optional(), *([Length(max=max_length)] if max_length else [])]
    for code, name in LANGUAGES.items():
        setattr(form_class, f"{field}_{code}",
                kind(name, validators=checks, render_kw={"lang": code}))


def translations_from_form(form: Any, field: str) -> dict[str, str]:
    """{code: text} of `field`'s language fields as posted (empty ones too; the service
    cleans them)."""
    return {code: getattr(form, f"{field}_{code}").data or "" for code in LANGUAGES}


def fill_translation_fields(form: Any, field: str, translations: Mapping[str, str] | None
                            ) -> None:
    """Show a record's stored translations in the form's language fields (the caller leaves
    a posted form as it was posted)."""
    for code in LANGUAGES:
        getattr(form, f"{field}_{code}").data = (translations or {}).get(code)
