"""WTForms' own messages in the product's languages (app.core.i18n.init_app sets
`FormMessages` on FlaskForm's Meta)."""

from __future__ import annotations

from flask_babel import get_translations, gettext, ngettext


class FormMessages:
    """WTForms' own messages ("This field is required.") from the product's catalogues:
    WTForms ships no Thai, Indonesian, Malay, Vietnamese or Filipino, so every form asks here
    (init_app sets it on FlaskForm's Meta). The messages are listed in `_wtforms_messages`."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # WTForms fills %(min)d / %(max)d itself, so no formatting here.
        return get_translations().ungettext(singular, plural, n)


def _wtforms_messages() -> None:  # pragma: no cover - never called: read by pybabel extract
    """The WTForms messages the product's forms can show, so the catalogues hold them."""
    gettext("This field is required.")
    gettext("Invalid email address.")
    gettext("Not a valid integer value.")
    gettext("Not a valid date value.")
    gettext("Not a valid choice.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid time value.")
    gettext("Field must be between %(min)d and %(max)d characters long.")
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 1)
