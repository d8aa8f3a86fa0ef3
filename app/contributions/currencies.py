"""ISO 4217 currency codes in use (alphabetic), with names for the ones the region uses most."""

from __future__ import annotations

_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR
RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR
ZMW ZWG
"""
ISO_4217 = frozenset(_CODES.split())

# Shown first in the currency list: the SEAMEO region and the usual foreign currencies.
COMMON = {
    "MYR": "Malaysian ringgit", "THB": "Thai baht", "IDR": "Indonesian rupiah",
    "PHP": "Philippine peso", "VND": "Vietnamese dong", "SGD": "Singapore dollar",
    "KHR": "Cambodian riel", "LAK": "Lao kip", "MMK": "Myanmar kyat", "BND": "Brunei dollar",
    "USD": "US dollar", "EUR": "Euro", "JPY": "Japanese yen", "AUD": "Australian dollar",
    "CNY": "Chinese yuan", "KRW": "South Korean won",
}


def normalise_currency(value: str | None) -> str | None:
    """Upper-case a currency code and check it is an ISO 4217 code in use; None stays None."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if code not in ISO_4217:
        raise ValueError(f"{code} is not an ISO 4217 currency code (e.g. MYR, THB, USD).")
    return code


def currency_choices() -> list[tuple[str, str]]:
    common = [(c, f"{c} — {n}") for c, n in COMMON.items()]
    rest = [(c, c) for c in sorted(ISO_4217 - set(COMMON))]
    return common + rest
