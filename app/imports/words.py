"""An import's stored words in the reader's language, where the pages show them.

An import keeps what it found in English: the problems of each row, the result, the
duplicate pairs' reasons. The rejected-rows file and `flask import` give them as stored (one
file, whoever downloads it, re-imported as it is), and the pages say them in the page's
language through `say`, which recognises each message of the registrar's alumni list (its own
id, or its pattern with the values put back) and leaves any other as written (the tracer and
exchange imports' messages, for now).
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext

from app.alumni.rule_words import Pattern, english_date, pattern
from app.alumni.rule_words import say as say_rule
from app.core.i18n import N_, format_number

# Fixed messages of the alumni list (the others are the register's, already in the catalogue).
FIXED = (
    N_("Write yes or no."),
    N_("Enter a birth date in the past. The birth date is left out."),
    N_("Enter a birth date before the graduation date. The birth date is left out."),
    N_("Nothing to change: every accepted row already matches the records."),
    N_("The import stopped before it finished (its worker was stopped); nothing from it was "
       "saved. Preview the file again to import it."),
    N_("female (F, P, perempuan, wanita, หญิง, nữ, babae), male (M, L, laki-laki, lelaki, ชาย, "
       "nam, lalaki), other (X) or prefer not to say (U)"),
)


def _number(text: str) -> str:
    """A count the import wrote with English grouping ("1,234"), in the page's format."""
    return format_number(int(text.replace(",", "")))


def _counts(values: dict[str, str]) -> dict[str, str]:
    return {name: _number(value) for name, value in values.items()}


def _inner(values: dict[str, str]) -> dict[str, str]:
    """A message inside a message (the reason a value could not be read) said too."""
    return {name: say(value) if name in ("problem", "hint", "reason") else value
            for name, value in values.items()}


def _read_as(values: dict[str, str]) -> dict[str, str]:
    return {**values, "date": english_date(values["date"])}


PATTERNS: list[Pattern] = [
    pattern(r"Created (?P<created>[\d,]+), updated (?P<updated>[\d,]+), left "
            r"(?P<unchanged>[\d,]+) unchanged, rejected (?P<rejected>[\d,]+)\.",
            N_("Created %(created)s, updated %(updated)s, left %(unchanged)s unchanged, "
               "rejected %(rejected)s."), _counts),
    pattern(r"This student number was merged into (?P<number>.+); the row updates that record\.",
            N_("This student number was merged into %(number)s; the row updates that record.")),
    pattern(r"This student number is repeated in the file \(rows (?P<rows>[\d, ]+)\)\.",
            N_("This student number is repeated in the file (rows %(rows)s).")),
    pattern(r"Rows (?P<rows>[\d, ]+) are for one record, (?P<number>.+) \((?P<merged>.+) was "
            r"merged into it\); keep one row\.",
            N_("Rows %(rows)s are for one record, %(number)s (%(merged)s was merged into it); "
               "keep one row.")),
    pattern(r"Rows (?P<rows>[\d, ]+) are for one record, (?P<number>.+) \((?P<merged>.+) were "
            r"merged into it\); keep one row\.",
            N_("Rows %(rows)s are for one record, %(number)s (%(merged)s were merged into it); "
               "keep one row.")),
    pattern(r"Longer than (?P<limit>\d+) characters; left out\.",
            N_("Longer than %(limit)s characters; left out.")),
    pattern(r"Longer than (?P<limit>\d+) characters\.",
            N_("Longer than %(limit)s characters.")),
    pattern(r"That e-mail address is not valid: (?P<reason>.+)",
            N_("That e-mail address is not valid: %(reason)s"), _inner),
    pattern(r"“(?P<value>.*)” is not a country this register knows: (?P<hint>.+)\.",
            N_("“%(value)s” is not a country this register knows: %(hint)s."), _inner),
    pattern(r"(?P<problem>.+) The country is left out\.",
            N_("%(problem)s The country is left out."), _inner),
    pattern(r"Cannot read the phone “(?P<value>.*)”: (?P<problem>.+) The phone is left out\.",
            N_("Cannot read the phone “%(value)s”: %(problem)s The phone is left out."),
            _inner),
    pattern(r"Cannot read the gender “(?P<value>.*)”: write (?P<hint>.+)\. The gender is left "
            r"out\.",
            N_("Cannot read the gender “%(value)s”: write %(hint)s. The gender is left out."),
            _inner),
    pattern(r"Choose one of: (?P<choices>.+)\.", N_("Choose one of: %(choices)s.")),
    pattern(r"Unknown programme code “(?P<code>.*)” for this institution\.",
            N_("Unknown programme code “%(code)s” for this institution.")),
    pattern(r"Cannot read the date “(?P<value>.*)”; write it like 2021-06-30, 30/06/2021 or "
            r"30-Jun-2021\. The birth date is left out\.",
            N_("Cannot read the date “%(value)s”; write it like 2021-06-30, 30/06/2021 or "
               "30-Jun-2021. The birth date is left out.")),
    pattern(r"Cannot read the date “(?P<value>.*)”; write it like 2021-06-30, 30/06/2021 or "
            r"30-Jun-2021\.",
            N_("Cannot read the date “%(value)s”; write it like 2021-06-30, 30/06/2021 or "
               "30-Jun-2021.")),
    pattern(r"Read “(?P<value>.*)” as a Buddhist Era date: (?P<date>.+)\.",
            N_("Read “%(value)s” as a Buddhist Era date: %(date)s."), _read_as),
]


def say(message: str) -> str:
    """A stored message of an import (a row's problem, the result) in the page's language."""
    return say_rule(message, PATTERNS)


# The reasons a pair joined the duplicates queue, as stored (app.imports.duplicates).
REASONS = {
    "same e-mail": N_("same e-mail"),
    "same phone": N_("same phone"),
    "same birth date": N_("same birth date"),
    "same programme and cohort": N_("same programme and cohort"),
}
_SIMILAR = re.compile(r"similar names \((?P<score>\d+)\)\Z")


def reason(text: str) -> str:
    """One stored reason of a possible duplicate pair in the page's language."""
    if text in REASONS:
        return gettext(REASONS[text])
    found = _SIMILAR.match(text)
    if found:
        return gettext("similar names (%(score)s)", score=found["score"])
    return text


def reasons(texts: list[str] | None) -> str:
    """A pair's reasons, one after the other."""
    return ", ".join(reason(t) for t in texts or ())


_CONSENT = re.compile(r"Consent: (?P<purpose>\w+)\Z")


def column_label(column: Any, name: str = "") -> str:
    """A column of a kind of import by its label in the page's language (the label stays
    English in the file's header names, the rejected rows and the command); `name` when the
    kind has no such column."""
    if column is None:
        return name
    found = _CONSENT.match(column.label)
    if found:
        return gettext("Consent: %(purpose)s", purpose=found["purpose"])
    return gettext(column.label)


def column_list(kind: Any) -> str:
    """A kind's columns by label, the key column marked required (the upload page)."""
    return ", ".join(gettext("%(column)s (required)", column=column_label(c)) if c.key
                     else column_label(c) for c in kind.columns)
