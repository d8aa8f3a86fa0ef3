"""ISO 3166-1 alpha-2 codes (from the phone-numbering plan) and names for the region."""

from __future__ import annotations

import phonenumbers

COUNTRY_CODES: frozenset[str] = frozenset(
    region
    for regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.values()
    for region in regions
    if len(region) == 2 and region.isalpha()
)

COUNTRY_NAMES = {
    "BN": "Brunei Darussalam",
    "KH": "Cambodia",
    "ID": "Indonesia",
    "LA": "Lao PDR",
    "MY": "Malaysia",
    "MM": "Myanmar",
    "PH": "Philippines",
    "SG": "Singapore",
    "TH": "Thailand",
    "TL": "Timor-Leste",
    "VN": "Viet Nam",
    "AU": "Australia",
    "BD": "Bangladesh",
    "BT": "Bhutan",
    "CN": "China",
    "FJ": "Fiji",
    "IN": "India",
    "JP": "Japan",
    "KR": "Korea, Republic of",
    "LK": "Sri Lanka",
    "MN": "Mongolia",
    "MV": "Maldives",
    "NP": "Nepal",
    "NZ": "New Zealand",
    "PG": "Papua New Guinea",
    "PK": "Pakistan",
    "AE": "United Arab Emirates",
    "SA": "Saudi Arabia",
    "QA": "Qatar",
    "TW": "Taiwan",
    "HK": "Hong Kong",
    "US": "United States",
    "GB": "United Kingdom",
    "DE": "Germany",
}


def country_name(code: str | None) -> str:
    if not code:
        return "—"
    return COUNTRY_NAMES.get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """Regional countries first, then every other code."""
    first = sorted(COUNTRY_NAMES.items(), key=lambda kv: kv[1])
    rest = sorted((c, c) for c in COUNTRY_CODES if c not in COUNTRY_NAMES)
    return first + rest


def normalise_country(value: str | None) -> str | None:
    """Upper-case alpha-2 code, or None when blank; raises ValueError when unknown."""
    if value is None or not str(value).strip():
        return None
    code = str(value).strip().upper()
    if code not in COUNTRY_CODES:
        raise ValueError(f"“{value}” is not an ISO 3166 two-letter country code.")
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
        raise ValueError("That is not a possible phone number for its country.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
