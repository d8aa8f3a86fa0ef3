"""The language menu on every page: a visitor's choice is kept in the session, a signed-in
user's on the account too (so e-mail to them goes out in it)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import abort, redirect, request, session, url_for
from flask_babel import refresh
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField

from app.auth import bp
from app.core.audit import record_audit
from app.core.errors import ValidationFailed
from app.core.i18n import LANGUAGES, SESSION_KEY, clean_language
from app.core.permissions import public
from app.core.urls import safe_next
from app.extensions import db


class LanguageForm(FlaskForm):
    language = SelectField(choices=list(LANGUAGES.items()))


def choose_language(user: Any, language: str, *, actor: Any) -> None:
    """Keep `language` as the user's own (pages when signed in, e-mail to them)."""
    code = clean_language(language)
    if code is None:
        raise ValidationFailed({"language": "Choose one of: " + ", ".join(LANGUAGES) + "."})
    before = user.language
    if before == code:
        return
    user.language = code
    db.session.flush()
    record_audit(actor, "account.language", user, before={"language": before},
                 after={"language": code})


def _without_lang(target: str) -> str:
    """The page to go back to, less a `lang` in its address (it would undo the choice)."""
    parts = urlsplit(target)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k != "lang"])
    return urlunsplit(parts._replace(query=query))


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """The language menu posts here; back to the page it was on, in the chosen language."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session[SESSION_KEY] = form.language.data
    if current_user.is_authenticated:
        choose_language(current_user, form.language.data, actor=current_user)
        db.session.commit()
    refresh()
    return redirect(_without_lang(safe_next(request.form.get("next"), url_for("main.index"))))
