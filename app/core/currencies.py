"""ISO 4217 currencies, from pycountry (the ISO list as published, kept current by upgrading
the package): the one list every currency field chooses from and checks against.

The list leaves out ISO's codes that nobody is paid or gives in: precious metals, bond-market
units, fund and index units, the testing code and "no currency".
"""

from __future__ import annotations

from functools import cache

import pycountry

# ISO 4217 codes that are not money: metals, bond-market units, SDR, funds and index units.
_NOT_MONEY = frozenset({
    "XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA", "XAD", "XTS",
    "XXX", "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW",
})
# Shown first in the list: the SEAMEO region's currencies, then the usual foreign ones.
FIRST = ("MYR", "THB", "IDR", "PHP", "VND", "SGD", "KHR", "LAK", "MMK", "BND",
         "USD", "EUR", "JPY", "AUD", "CNY", "KRW", "INR")


@cache
def currency_names() -> dict[str, str]:
    """Code -> ISO name of every currency in use, by code."""
    return {c.alpha_3: c.name for c in sorted(pycountry.currencies, key=lambda c: c.alpha_3)
            if c.alpha_3 not in _NOT_MONEY}


def normalise_currency(value: str | None) -> str | None:
    """Upper-case a currency code and check it is an ISO 4217 code in use; None stays None."""
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if code not in currency_names():
        raise ValueError(f"{code} is not an ISO 4217 currency code (e.g. MYR, THB, USD).")
    return code


def currency_choices() -> list[tuple[str, str]]:
    """(code, "code — name") for a select: the region's first, then the rest by code."""
    names = currency_names()
    first = [c for c in FIRST if c in names]
    rest = [c for c in names if c not in first]
    return [(c, f"{c} — {names[c]}") for c in first + rest]
