"""Why an e-mail address is not valid, in the page's language.

email_validator explains a bad address in English only ("An email address must have an
@-sign."); `address_problem(exc)` turns its explanation into one of a few sentences from the
catalogues, so a page in Thai says why in Thai. The matching reads email_validator's wording
(2.x); an explanation it does not know gets the general sentence.
"""

from __future__ import annotations

from flask_babel import gettext


def address_problem(exc: Exception) -> str:
    """One sentence, in the page's language, on what is wrong with the address."""
    text = str(exc).lower()
    if "must have an @-sign" in text or "at-sign" in text and "instead of" in text:
        return gettext("It has no @ sign.")
    if "something before the @-sign" in text:
        return gettext("There is nothing before the @ sign.")
    if "something after the @-sign" in text:
        return gettext("There is nothing after the @ sign.")
    if "too long" in text:
        return gettext("It is too long.")
    if "should have a period" in text or "top-level domain" in text or "reserved" in text:
        return gettext("The part after the @ sign is not a usable domain name, such as "
                       "example.org.")
    if "period" in text or "hyphen" in text:
        return gettext("A dot or a dash is in the wrong place (at the start or end, next to "
                       "the @ sign, or two in a row).")
    if "character" in text or "quot" in text or "angle bracket" in text or "ascii" in text:
        return gettext("It contains a space or a character an e-mail address cannot have.")
    if "after the @-sign" in text:
        return gettext("The part after the @ sign is not a usable domain name, such as "
                       "example.org.")
    return gettext("It is not written as an e-mail address, such as name@example.org.")
