"""ISO 3166-1 alpha-2 country codes with their names (pycountry: the ISO 3166 list as the
Debian iso-codes project keeps it), the region's countries first; E.164 phone numbers."""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache

import phonenumbers
import pycountry
from flask_babel import gettext as _

from app.core.i18n import N_


def _display_name(country) -> str:
    """The ISO short name ("Viet Nam"), or the common name where ISO writes it inverted
    ("South Korea", not "Korea, Republic of")."""
    if "," in country.name and getattr(country, "common_name", None):
        return country.common_name
    return country.name


# Every ISO 3166-1 country; phone-numbering regions that are not one (AC Ascension Island,
# TA Tristan da Cunha, XK Kosovo) are left out.
COUNTRY_NAMES: dict[str, str] = {c.alpha_2: _display_name(c) for c in pycountry.countries}
COUNTRY_CODES: frozenset[str] = frozenset(COUNTRY_NAMES)

# Offered first, each group by name: Southeast Asia, then the countries alumni of the region
# most often work or study in.
SOUTHEAST_ASIA = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN")
REGION_PARTNERS = ("AU", "BD", "BT", "CN", "FJ", "IN", "JP", "KR", "LK", "MN", "MV", "NP",
                   "NZ", "PG", "PK", "AE", "SA", "QA", "TW", "HK", "US", "GB", "DE")


def country_name(code: str | None) -> str:
    if not code:
        return "—"
    return COUNTRY_NAMES.get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country: Southeast Asia, the region's partners, then the rest,
    each group in order of name."""
    def by_name(codes) -> list[tuple[str, str]]:
        return sorted(((c, COUNTRY_NAMES[c]) for c in codes), key=lambda kv: kv[1])

    first = (*SOUTHEAST_ASIA, *REGION_PARTNERS)
    return (by_name(SOUTHEAST_ASIA) + by_name(REGION_PARTNERS)
            + by_name(c for c in COUNTRY_CODES if c not in first))


# Country names are read in English (ISO name, official and common names) and in the
# languages of the region and of its registrars, as the iso-codes project translates them.
NAME_LANGUAGES = ("th", "vi", "ms", "id", "fil", "tl", "km", "lo", "my", "es", "zh_CN",
                  "zh_TW", "ja", "ko", "fr", "de", "pt")
# Names offices write that no ISO list has (old or short forms).
EXTRA_NAMES = {"burma": "MM", "brunei": "BN", "east timor": "TL", "timor leste": "TL",
               "uk": "GB", "lao pdr": "LA", "great britain": "GB", "england": "GB", "usa": "US",
               "united states of america": "US", "america": "US", "south korea": "KR",
               "korea": "KR", "north korea": "KP", "vietnam": "VN", "laos": "LA",
               "cambodge": "KH", "kampuchea": "KH", "hong kong": "HK", "macau": "MO",
               "holland": "NL", "ประเทศไทย": "TH", "muang thai": "TH", "pilipinas": "PH",
               "filipinas": "PH"}
# "Country" said before or after the name: Thai ประเทศ, Lao ປະເທດ, Burmese နိုင်ငံ.
_COUNTRY_WORDS = re.compile(r"^(?:ประเทศ|ປະເທດ)|နိုင်ငံ$")
_NOT_LETTERS = re.compile(r"[\W_]+")


def _is_latin(ch: str) -> bool:
    code = ord(ch)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


def country_key(text: str) -> str:
    """A name as looked up: case-folded, Latin accents and "country" words dropped, no spaces
    or punctuation ("Việt Nam" = "viet nam" = "VIETNAM"; "ประเทศไทย" = "ไทย")."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    out: list[str] = []
    latin = False
    for ch in decomposed:
        if unicodedata.combining(ch):
            if latin:
                continue
        else:
            latin = _is_latin(ch)
        out.append(ch)
    folded = unicodedata.normalize("NFC", "".join(out)).casefold().replace("\u200b", "")
    folded = _COUNTRY_WORDS.sub("", folded.strip())
    return _NOT_LETTERS.sub("", folded)


@cache
def country_lookup() -> dict[str, str]:
    """Every name and code a country is read by -> its alpha-2 code. A name two countries
    share in some language is left out, so a name never picks the wrong one."""
    found: dict[str, set[str]] = {}

    def add(name: str | None, code: str) -> None:
        key = country_key(name or "")
        if key:
            found.setdefault(key, set()).add(code)

    english = [(c.alpha_2, [c.name, getattr(c, "official_name", None),
                            getattr(c, "common_name", None)]) for c in pycountry.countries]
    for code, names in english:
        for name in names:
            add(name, code)
    for language in NAME_LANGUAGES:
        try:
            translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                            languages=[language]).gettext
        except OSError:
            continue
        for code, names in english:
            for name in names:
                if name:
                    add(translate(name), code)
    lookup = {key: codes.pop() for key, codes in found.items() if len(codes) == 1}
    lookup.update({country_key(name): code for name, code in EXTRA_NAMES.items()})
    for c in pycountry.countries:  # codes win over any name
        lookup[c.alpha_2.casefold()] = c.alpha_2
        lookup[c.alpha_3.casefold()] = c.alpha_2
    return lookup


# Marked for the catalogues: a page that says a country refusal says it in its language.
COUNTRY_HINT = N_("write the country's name (Thailand, ประเทศไทย, Việt Nam, Filipinas, "
                  "Malaysia, Indonesia…) or its ISO 3166 code (TH, VN, PH, MY, ID)")


def normalise_country(value: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country written as its code (TH, THA) or its name in
    English or a language of the region (Viet Nam, Việt Nam, ประเทศไทย, Filipinas); None
    when blank; ValueError saying what is accepted when not a country."""
    if value is None or not str(value).strip():
        return None
    code = str(value).strip().upper()
    if code in COUNTRY_CODES:
        return code
    found = country_lookup().get(country_key(str(value)))
    if found is None or found not in COUNTRY_CODES:
        raise ValueError(f"“{value}” is not a country this register knows: {COUNTRY_HINT}.")
    return found


def normalise_phone(value: str | None, country: str | None) -> str | None:
    """E.164 form of a phone number; a national number needs the country to read it."""
    if value is None or not str(value).strip():
        return None
    try:
        parsed = phonenumbers.parse(str(value), country or None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(_(
            "Enter the number with its country code, for example +66 81 234 5678."
        )) from exc
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError(_(
            "Check the number: it is not a possible phone number for its country."))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
