"""The one-click unsubscribe link every consent-bound message carries (app.mailings.gate):
it withdraws that purpose's consent of that alumnus, once, without signing in."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from app.alumni.models import ASKED_UNLESS_WITHDRAWN, CONSENT_PURPOSES, Alumnus, Consent
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.i18n import N_
from app.core.tokens import LinkUnusable, find_by_token
from app.extensions import db
from app.mailings.models import UnsubscribeLink

LINK_ACTOR = SimpleNamespace(id=None, email="unsubscribe link")


@dataclass
class Unsubscribed:
    purpose: str
    label: str
    before: str  # the choice in force before: "Yes", "No" or "Not asked"


def _choice(alumnus: Alumnus, purpose: str) -> str:
    """The choice in force, in English words the page translates (N_)."""
    asked = any(c.purpose == purpose for c in alumnus.consents)
    if not asked:
        return (N_("Not asked (e-mails were sent)") if purpose in ASKED_UNLESS_WITHDRAWN
                else N_("Not asked"))
    return N_("Yes") if alumnus.consent_in_force(purpose) else N_("No")


def find_unsubscribe_link(raw: str | None) -> UnsubscribeLink:
    """The link of a raw token, unused (else LinkUnusable: unknown or used)."""
    return find_by_token(UnsubscribeLink, raw, spent=lambda link: link.used_at is not None)


def withdraw_by_link(raw: str | None) -> Unsubscribed:
    """Use the link: record the purpose's consent as withdrawn (method "unsubscribe") and
    spend the link; a second use, or a racing one, is refused as used."""
    link = find_unsubscribe_link(raw)
    claimed = db.session.execute(
        UnsubscribeLink.__table__.update()
        .where(UnsubscribeLink.id == link.id, UnsubscribeLink.used_at.is_(None))
        .values(used_at=utcnow()))
    if claimed.rowcount != 1:
        raise LinkUnusable("used", link)
    alumnus = db.session.get(Alumnus, link.alumnus_id)
    before = _choice(alumnus, link.purpose)
    db.session.add(Consent(alumnus=alumnus, purpose=link.purpose, granted=False,
                           method="unsubscribe"))
    db.session.flush()
    record_audit(LINK_ACTOR, "consent.record", alumnus, entity_type="Alumnus",
                 institution_id=alumnus.institution_id,
                 after={"purpose": link.purpose, "granted": False, "method": "unsubscribe"})
    return Unsubscribed(link.purpose, CONSENT_PURPOSES.get(link.purpose, link.purpose), before)
