"""Password rules, one place for every way a password is set (claim, reset, change, invitation,
the create-user command): long enough, not a common or breached password, not the person's own
names or e-mail address. Each refusal says why.

The list of common passwords is the 30,000 most frequent passwords of leaked password dumps that
the zxcvbn package (pinned in requirements.txt) ships; it is read from the installed package,
so no network call is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from flask_babel import gettext

from app.core.errors import ValidationFailed

MIN_PASSWORD_LENGTH = 10
# "password2024!" is "password" with a few characters added: refused like "password" itself.
_ADDED_AT_END = re.compile(r"[\d\W_]{1,4}$")
_ADDED_AT_START = re.compile(r"^[\d\W_]{1,4}")
_WORDS = re.compile(r"[^\W\d_]{4,}")  # names and address parts worth checking: 4 letters or more


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords, lower-cased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def _is_common(password: str) -> bool:
    lowered = password.lower()
    listed = common_passwords()
    if lowered in listed:
        return True
    stem = _ADDED_AT_START.sub("", _ADDED_AT_END.sub("", lowered))
    return len(stem) >= 4 and stem in listed


def _personal_words(personal: Iterable[str | None]) -> set[str]:
    words: set[str] = set()
    for value in personal:
        value = (value or "").strip().lower()
        if not value:
            continue
        if "@" in value:
            words.add(value)
            value = value.split("@", 1)[0]
        words.add(value)
        words.update(_WORDS.findall(value))
    return words


def password_problem(password: str | None, personal: Iterable[str | None] = ()) -> str | None:
    """Why this password is refused (a sentence for the form), or None when it is fine.

    `personal` holds the person's names and e-mail address: a password built from them is
    refused, since anyone who knows the person would try them first."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return gettext("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH)
    if len(set(password)) < 4:
        return gettext("Use more different characters: this password repeats the same few.")
    if _is_common(password):
        return gettext("This password is on the list of common and leaked passwords that "
                       "attackers try first. Choose another, for example three or four "
                       "unrelated words.")
    compact = re.sub(r"[\W_]+", "", password.lower())
    for word in sorted(_personal_words(personal), key=len, reverse=True):
        plain = re.sub(r"[\W_]+", "", word)
        # A name inside a long passphrase is fine; a name with a few characters added is not.
        if len(plain) < 4 or plain not in compact:
            continue
        rest = compact.replace(plain, "", 1)
        if len(rest) < 6 or rest.isdigit():
            return gettext("Do not build the password from your own name or e-mail address: "
                           "anyone who knows you would try them first.")
    return None


def check_password_rules(password: str | None, field: str = "password",
                         personal: Iterable[str | None] = ()) -> None:
    """Raise ValidationFailed({field: why}) when the password is refused."""
    problem = password_problem(password, personal)
    if problem:
        raise ValidationFailed({field: problem})
