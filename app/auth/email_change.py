"""Changing an alumnus's e-mail: a verified change of the sign-in and the contact address.

The new address gets a one-time confirmation link (an `AccountToken` of purpose
"email_change": the raw token in the link, its hash stored); the old address gets a notice,
so a stolen session cannot quietly move the account. Until the link is opened both addresses
stay as they were (the alumnus signs in with the old one); once it is, the account's sign-in
address and the record's contact address change together, in one transaction. Officers see
the change waiting on the record (`pending_email_change`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from app.alumni.models import Alumnus
from app.alumni.services import flush_or_conflict
from app.auth.models import AccountToken
from app.auth.services import find_token, find_user_by_email, normalise_email
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.email_words import address_problem
from app.core.errors import Conflict, ValidationFailed
from app.core.i18n import in_language
from app.core.mail import TRANSACTIONAL, queue_email, render_email
from app.core.permissions import require_self
from app.core.tokens import new_token
from app.core.urls import external_url
from app.extensions import db

PURPOSE = "email_change"


def _ttl_hours() -> int:
    return int(current_app.config["EMAIL_CHANGE_TTL_HOURS"])


def pending_email_change(alumnus: Alumnus) -> AccountToken | None:
    """The change waiting for confirmation (the latest unused, unexpired link), if any."""
    tokens = db.session.scalars(
        select(AccountToken).where(AccountToken.alumnus_id == alumnus.id,
                                   AccountToken.purpose == PURPOSE,
                                   AccountToken.used_at.is_(None))
        .order_by(AccountToken.created_at.desc(), AccountToken.id.desc()))
    return next((t for t in tokens if not t.expired), None)


def _clean_new_address(alumnus: Alumnus, email: str | None) -> str:
    try:
        address = validate_email((email or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationFailed({"email": gettext("That e-mail address is not valid: %(reason)s",
                                                  reason=address_problem(exc))}) from exc
    owner = find_user_by_email(address)
    if owner is not None and owner.id != alumnus.user_id:
        raise ValidationFailed({"email": gettext("Another account signs in with this address. "
                                                 "Use another, or ask the alumni office.")})
    return address


def request_email_change(alumnus: Alumnus, email: str | None, *, actor: Any
                         ) -> AccountToken | None:
    """Start a change of the alumnus's e-mail: a confirmation link to the new address, a
    notice to the old one. None when the address is the one they already sign in with (the
    contact address then simply takes it)."""
    require_self(alumnus, actor, gettext("You can change your own e-mail only."))
    user = actor
    address = _clean_new_address(alumnus, email)
    if normalise_email(address) == normalise_email(user.email):
        if alumnus.email != address:  # a contact address that had drifted from the sign-in
            before = {"email": alumnus.email}
            alumnus.email = address
            alumnus.refresh_search_text()
            flush_or_conflict()
            record_audit(actor, "alumnus.self_update", alumnus, before=before,
                         after={"email": address})
        return None
    now = utcnow()
    for old in db.session.scalars(select(AccountToken).where(
            AccountToken.alumnus_id == alumnus.id, AccountToken.purpose == PURPOSE,
            AccountToken.used_at.is_(None))):
        old.expires_at = now  # the latest request replaces an earlier link
    hours = _ttl_hours()
    raw, digest = new_token()
    token = AccountToken(purpose=PURPOSE, token_hash=digest, email=normalise_email(address),
                         user_id=user.id, alumnus_id=alumnus.id, created_by_id=actor.id,
                         expires_at=now + timedelta(hours=hours))
    db.session.add(token)
    db.session.flush()
    institution = alumnus.institution.name
    with in_language(user.language, alumnus.institution_id) as language:
        queue_email(render_email(
            "email_change_confirm", to=address, purpose=TRANSACTIONAL, alumnus_id=alumnus.id,
            subject=gettext("Confirm your new e-mail address for %(institution)s alumni",
                            institution=institution),
            alumnus=alumnus, new_email=address, old_email=user.email, hours=hours,
            link=external_url("auth.confirm_email", token=raw, lang=language)))
        queue_email(render_email(
            "email_change_notice", to=user.email, purpose=TRANSACTIONAL, alumnus_id=alumnus.id,
            subject=gettext("Your %(institution)s alumni e-mail is about to change",
                            institution=institution),
            alumnus=alumnus, new_email=address, old_email=user.email, hours=hours,
            institution=institution))
    record_audit(actor, "alumnus.email_change_requested", alumnus,
                 before={"email": user.email}, after={"email": address})
    return token


def find_email_change(raw: str) -> AccountToken:
    """The usable change behind a link, or LinkUnusable(unknown | used | expired)."""
    return find_token(raw, PURPOSE)


def confirm_email_change(raw: str) -> Alumnus:
    """Open the link: the sign-in address and the contact address take the new one."""
    token = find_email_change(raw)
    alumnus, user = token.alumnus, token.user
    if alumnus is None or user is None or alumnus.user_id != user.id:
        raise Conflict(gettext("This change no longer matches an account. Ask the alumni office."))
    owner = find_user_by_email(token.email)
    if owner is not None and owner.id != user.id:
        raise Conflict(gettext("Another account signs in with this address now, so it cannot "
                               "become yours. Ask the alumni office."))
    before = {"email": alumnus.email, "sign_in_email": user.email}
    token.used_at = utcnow()
    user.email = token.email
    alumnus.email = token.email
    alumnus.refresh_search_text()
    flush_or_conflict()
    record_audit(user, "alumnus.email_change", alumnus, before=before,
                 after={"email": token.email, "sign_in_email": token.email})
    return alumnus
