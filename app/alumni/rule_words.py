"""The register's rule messages (`app.alumni.rules`) in the reader's language.

The rules write their messages in English, once for a form's record and once for a whole
column of an import (pandas builds those), and an import keeps them as written: its page,
its rejected-rows file and `flask import` read the same stored text. A page says a stored
message in its own language by recognising it here: a fixed message is its own message id, a
message with values is matched by its pattern and said with them. Anything not recognised is
shown as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from flask_babel import gettext

from app.core.i18n import N_, format_date

# The rules' fixed messages, said by their own id (N_ puts them in the catalogue; a test
# checks they are the rules' own).
FIXED = (
    N_("The cohort is a year, such as 2024."),
    N_("Enter an award date on or after the graduation date."),
    N_("Enter a birth date in the past."),
    N_("Enter a birth date before the graduation date."),
)

Pattern = tuple[re.Pattern[str], str, Callable[[dict[str, str]], dict[str, str]] | None]


def _same(values: dict[str, str]) -> dict[str, str]:
    return values


def pattern(regex: str, message: str,
            values: Callable[[dict[str, str]], dict[str, str]] | None = None) -> Pattern:
    """A stored message's shape (named groups) and the message id that says it; `values`
    turns the groups into the placeholders' values (a date in the page's format, say)."""
    return re.compile(regex + r"\Z", re.DOTALL), message, values


def english_date(text: str) -> str:
    """A date the rules wrote as "30 Jun 2023", in the page's format."""
    try:
        return format_date(datetime.strptime(text, "%d %b %Y").date())
    except ValueError:
        return text


PATTERNS: list[Pattern] = [
    pattern(r"Enter a cohort year from (?P<first>\d+) to (?P<last>\d+)\.",
            N_("Enter a cohort year from %(first)s to %(last)s.")),
    pattern(r"Enter a date in the common era, up to (?P<last>\d+) \(a Buddhist Era year such "
            r"as (?P<be>\d+) is (?P<ce>\d+)\)\.",
            N_("Enter a date in the common era, up to %(last)s (a Buddhist Era year such as "
               "%(be)s is %(ce)s).")),
    pattern(r"The cohort \((?P<cohort>\d+)\) is later than the graduation year \((?P<year>\d+)\)"
            r": correct it, or leave it empty to use \d+\.",
            N_("The cohort (%(cohort)s) is later than the graduation year (%(year)s): correct "
               "it, or leave it empty to use %(year)s.")),
    pattern(r"The cohort \((?P<cohort>\d+)\) is not the graduation year \((?P<year>\d+)\): the "
            r"register takes the cohort as the graduation year unless stated, so check it is "
            r"meant\.",
            N_("The cohort (%(cohort)s) is not the graduation year (%(year)s): the register "
               "takes the cohort as the graduation year unless stated, so check it is meant.")),
]


def say(message: str, patterns: Iterable[Pattern] = ()) -> str:
    """`message` (as stored, in English) in the page's language: its own translation, or the
    first pattern (of `patterns`, then the register's rules) it matches, else as written."""
    if not message:
        return message
    translated = gettext(message)
    if translated != message:
        return translated
    for regex, msgid, values in (*patterns, *PATTERNS):
        found = regex.match(message)
        if found:
            return gettext(msgid, **(values or _same)(found.groupdict()))
    return message
