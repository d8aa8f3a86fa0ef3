"""ISO 3166-1 alpha-2 country codes with their names (pycountry: the ISO 3166 list as the
Debian iso-codes project keeps it), the region's countries first; E.164 phone numbers."""

from __future__ import annotations

import phonenumbers
import pycountry


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


def normalise_country(value: str | None) -> str | None:
    """Upper-case alpha-2 code, or None when blank; raises ValueError when unknown."""
    if value is None or not str(value).strip():
        return None
    code = str(value).strip().upper()
    if code not in COUNTRY_CODES:
        raise ValueError(f"“{value}” is not an ISO 3166 two-letter country code: choose a "
                         "country from the list.")
    return code


def normalise_phone(value: str | None, country: str | None) -> str | None:
    """E.164 form of a phone number; a national number needs the country to read it."""
    if value is None or not str(value).strip():
        return None
    try:
        parsed = phonenumbers.parse(str(value), country or None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(
            "Enter the number with its country code, for example +66 81 234 5678."
        ) from exc
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError("Check the number: it is not a possible phone number for its country.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
