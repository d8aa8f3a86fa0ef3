"""Privacy notice versions: the one in force, publishing a new one, and whether an alumnus
has confirmed their choices under it (a consent recorded with its version)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy import exists, select

from app.alumni.models import CURRENT_NOTICE_VERSION, Alumnus, Consent, PrivacyNotice
from app.core.audit import record_audit
from app.core.errors import PermissionDenied, ValidationFailed
from app.core.permissions import ADMIN
from app.extensions import db


def current_notice() -> PrivacyNotice | None:
    """The latest published notice (None until an administrator publishes one)."""
    return db.session.scalar(select(PrivacyNotice).order_by(
        PrivacyNotice.published_at.desc(), PrivacyNotice.id.desc()).limit(1))


def current_notice_version() -> str:
    """The version every consent recorded now is recorded under."""
    notice = current_notice()
    return notice.version if notice else CURRENT_NOTICE_VERSION


def notice_history() -> list[PrivacyNotice]:
    return list(db.session.scalars(select(PrivacyNotice).order_by(
        PrivacyNotice.published_at.desc(), PrivacyNotice.id.desc())))


def has_confirmed(alumnus: Alumnus, version: str) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Consent.alumnus_id == alumnus.id, Consent.notice_version == version))))


def needs_review(alumnus: Alumnus | None) -> bool:
    """A notice was published that this alumnus has not confirmed their choices under."""
    notice = current_notice()
    return bool(alumnus is not None and notice is not None
                and not has_confirmed(alumnus, notice.version))


def publish_notice(version: str, text: str, *, actor: Any) -> PrivacyNotice:
    """Publish a new version of the notice: signed-in alumni are asked to review their choices."""
    if getattr(actor, "role", None) != ADMIN:
        raise PermissionDenied("Only administrators publish the privacy notice.")
    version, text = (version or "").strip(), (text or "").strip()
    errors = {}
    if not version:
        errors["version"] = gettext("Name the version (for example 2027-01).")
    elif version == CURRENT_NOTICE_VERSION or db.session.scalar(
            select(exists().where(PrivacyNotice.version == version))):
        errors["version"] = gettext("Version “%(version)s” exists already: name the new one.",
                                    version=version)
    if len(text) < 20:
        errors["text"] = gettext("Write the notice alumni will read.")
    if errors:
        raise ValidationFailed(errors)
    notice = PrivacyNotice(version=version, text=text, published_by_id=actor.id)
    db.session.add(notice)
    db.session.flush()
    record_audit(actor, "privacy_notice.publish", notice, after={"version": version})
    return notice
