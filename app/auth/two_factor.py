"""Two-factor sign-in for staff: a time-based code (TOTP, RFC 6238) from an authenticator app,
or one of ten single-use recovery codes (only their hashes are kept).

Administrators must use it when the home institution requires it (a setting on the
institution's page); other staff may switch it on for themselves.
"""

from __future__ import annotations

import base64
import hmac
import io
import secrets
from typing import Any

import pyotp
from flask_babel import gettext
from sqlalchemy import delete, select

from app.alumni.models import Institution
from app.auth.models import RecoveryCode, User
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.permissions import ADMIN, ALUMNUS
from app.core.tokens import hash_token
from app.extensions import db

ISSUER = "Alumnet"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_secret() -> str:
    """A fresh TOTP key (base32, 160 bits) for an enrolment in progress."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(text: str) -> str:
    """The QR code of `text` as an SVG data: URI (an image, so no inline markup or script)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(text, image_factory=SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def grouped(secret: str) -> str:
    """The key in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _clean(code: str | None) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _totp_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step `code` belongs to (this one or its neighbours, for clock drift), when it
    is later than the last one used; None otherwise."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    for step in (now - 1, now, now + 1):
        if last_step is not None and step <= last_step:
            continue  # a code is used once, even within its 30 seconds
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def two_factor_required(user: Any) -> bool:
    """Whether this account must sign in with a second factor."""
    if getattr(user, "role", None) != ADMIN:
        return False
    return bool(db.session.scalar(select(Institution.admin_two_factor_required).where(
        Institution.is_home.is_(True))))


def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones; the caller shows them once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_token(raw)))
    db.session.flush()
    return codes


def enable_two_factor(user: User, secret: str, code: str) -> list[str]:
    """Switch two-factor sign-in on once the app shows the right code; returns the recovery
    codes to show the person once."""
    if user.role == ALUMNUS:
        raise PermissionDenied(gettext("Two-factor sign-in is for staff accounts."))
    step = _totp_step(secret, _clean(code), None)
    if step is None:
        raise ValidationFailed({"code": gettext(
            "That code is not right. Enter the 6 digits your app shows now for Alumnet (check "
            "the phone's clock).")})
    user.totp_secret = secret
    user.totp_last_step = step
    codes = new_recovery_codes(user)
    record_audit(user, "user.two_factor_on", user, institution_id=user.institution_id)
    return codes


def check_second_factor(user: User, code: str) -> str | None:
    """Accept a current app code or an unused recovery code (spent on use). Returns "app" or
    "recovery code" for what was accepted, or None."""
    if not user.totp_secret:
        return None
    cleaned = _clean(code)
    step = _totp_step(user.totp_secret, cleaned, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        return "app"
    if len(cleaned) == 10:
        recovery = db.session.scalar(select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hash_token(cleaned),
            RecoveryCode.used_at.is_(None)))
        if recovery is not None:
            recovery.used_at = utcnow()
            record_audit(user, "user.recovery_code_used", user,
                         institution_id=user.institution_id)
            return "recovery code"
    return None


def recovery_codes_left(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def disable_two_factor(user: User, password: str, *, actor: Any) -> User:
    """Switch two-factor sign-in off (the person, with their password; or an administrator,
    for someone who lost both their phone and their recovery codes)."""
    if actor is None or (actor.id != user.id and actor.role != ADMIN):
        raise PermissionDenied(gettext(
            "Only administrators switch off another person's second factor."))
    if actor.id == user.id:
        if two_factor_required(user):
            raise ValidationFailed({"password": gettext(
                "Your institution requires two-factor sign-in for administrators: it stays "
                "on.")})
        if not user.check_password(password or ""):
            raise ValidationFailed({"password": gettext("That is not your current password.")})
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.auth_version += 1  # sessions opened with the old factor end
    record_audit(actor, "user.two_factor_off", user, institution_id=user.institution_id)
    return user


def set_admin_two_factor_required(institution: Institution, required: bool, *, actor: Any
                                  ) -> Institution:
    """The home institution's rule: administrators sign in with a second factor."""
    if actor is None or actor.role != ADMIN:
        raise PermissionDenied(gettext("Only administrators change sign-in rules."))
    if not institution.is_home:
        raise ValidationFailed({"required": gettext(
            "This rule is set on the home institution.")})
    before = {"admin_two_factor_required": institution.admin_two_factor_required}
    institution.admin_two_factor_required = bool(required)
    record_audit(actor, "institution.two_factor_rule", institution,
                 institution_id=institution.id, before=before,
                 after={"admin_two_factor_required": bool(required)})
    return institution
