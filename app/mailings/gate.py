"""The mail gate: the one decision, at send time, on every message the product sends.

`app.core.mail` asks `decide_mail(items)` after the commit, just before the messages go
(registered in hooks.py; core knows no alumni). A transactional message (a reset link, a
receipt for the person's own gift) goes unless the recipient alumnus is deceased or there is
no address. Any other message is mail of a consent purpose and goes only to an alumnus who is
not deceased, archived or opted out, whose address has not bounced for good, and whose
consent for that purpose is in force: a "yes" as the latest record, or, for the purposes of
ASKED_UNLESS_WITHDRAWN (tracer surveys), no "no". Each message held back is written to
`suppressed_mail` with its reason; each that goes carries a one-click unsubscribe link
(footer and the RFC 8058 `List-Unsubscribe` headers) for its purpose.

`exclusion_reason(purpose)` is the same rule as a SQL expression over Alumnus: the gate asks
it of the messages' recipients, a mailing's segment counts its exclusions with it, and it is
registered in core (`app.core.mail.mail_exclusion`) for features below mailings that choose
recipients in the database (tracer invitations). `record_bounces` is registered there too:
every message any feature sends that the server refuses for good (5xx) adds its address to
`mail_bounce`, which the rule reads.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext
from sqlalchemy import case, false, func, insert, or_, select

from app.alumni.models import ASKED_UNLESS_WITHDRAWN, CONSENT_PURPOSES, Alumnus, Consent
from app.core.db import utcnow
from app.core.i18n import N_, in_language
from app.core.mail import SUPPRESSION_WORDS, TRANSACTIONAL, GateDecision, Outgoing
from app.core.tokens import new_token
from app.core.urls import external_url
from app.extensions import db
from app.mailings.models import MailBounce, SuppressedMail, UnsubscribeLink

# Why a message was not sent (and why a segment's alumnus is excluded), in words; translated
# where shown (the mailing pages and the messages held back), the stored reason is its key.
EXCLUSION_REASONS = {
    "deceased": N_("Deceased"),
    "archived": N_("Archived record"),
    "opted_out": N_("Opted out of all contact"),
    "no_address": N_("No e-mail address"),
    "bounced": N_("Address refused by the mail server before"),
    "consent_withdrawn": N_("Consent for this purpose withdrawn"),
    "no_consent": N_("Consent for this purpose never given"),
    "not_an_alumnus": N_("Not sent to an alumnus record (consent cannot be checked)"),
    "unknown_recipient": N_("The alumnus record no longer exists"),
    "unknown_purpose": N_("The message names no known purpose"),
}
SUPPRESSION_WORDS.update({k: v.lower() for k, v in EXCLUSION_REASONS.items()})


def mail_purposes() -> dict[str, str]:
    """Every purpose a message may declare: transactional, or a consent purpose."""
    return {TRANSACTIONAL: N_("Transactional (the person asked for it or needs it)"),
            **CONSENT_PURPOSES}


def latest_consent(purpose: str):
    """SQL: the alumnus's latest consent decision for `purpose` (True, False, or NULL)."""
    return (select(Consent.granted)
            .where(Consent.alumnus_id == Alumnus.id, Consent.purpose == purpose)
            .order_by(Consent.recorded_at.desc(), Consent.id.desc()).limit(1)
            .correlate(Alumnus).scalar_subquery())


def exclusion_reason(purpose: str):
    """SQL CASE over Alumnus: why mail of `purpose` may not go to this alumnus (NULL: it may)."""
    whens = [(Alumnus.status == "deceased", "deceased")]
    if purpose != TRANSACTIONAL:
        latest = latest_consent(purpose)
        bounced = select(MailBounce.id).where(
            MailBounce.address == func.lower(Alumnus.email)).exists()
        whens += [
            (Alumnus.archived_at.is_not(None), "archived"),
            (Alumnus.status == "opted_out", "opted_out"),
            (or_(Alumnus.email.is_(None), Alumnus.email == ""), "no_address"),
            (bounced, "bounced"),
            (latest == false(), "consent_withdrawn"),
        ]
        if purpose not in ASKED_UNLESS_WITHDRAWN:
            whens.append((latest.is_(None), "no_consent"))
    return case(*whens, else_=None)


def _reasons(conn, purpose: str, ids: set[int]) -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        out.update(conn.execute(select(Alumnus.id, exclusion_reason(purpose))
                                .where(Alumnus.id.in_(chunk))).all())
    return out


def _bounced(conn, addresses: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(addresses)
    for start in range(0, len(ordered), 500):
        found.update(conn.scalars(select(MailBounce.address).where(
            MailBounce.address.in_(ordered[start:start + 500]))))
    return found


def _reason_for(item: Outgoing, known: dict[int, str | None], bounced: set[str]) -> str | None:
    if item.purpose != TRANSACTIONAL and item.purpose not in CONSENT_PURPOSES:
        return "unknown_purpose"
    if not (item.to or "").strip():
        return "no_address"
    if item.alumnus_id is None:
        return None if item.purpose == TRANSACTIONAL else "not_an_alumnus"
    if item.alumnus_id not in known:
        return None if item.purpose == TRANSACTIONAL else "unknown_recipient"
    reason = known[item.alumnus_id]
    if reason is None and item.purpose != TRANSACTIONAL and item.to.lower() in bounced:
        reason = "bounced"
    return reason


def decide_mail(items: list[Outgoing]) -> list[GateDecision]:
    """The gate (see the module docstring): one decision per message, in order; records the
    held-back messages and the unsubscribe links in a transaction of its own (the caller's
    transaction has committed)."""
    by_purpose: dict[str, set[int]] = defaultdict(set)
    for item in items:
        if item.alumnus_id is not None:
            by_purpose[item.purpose].add(item.alumnus_id)
    now = utcnow()
    decisions: list[GateDecision] = []
    held, links = [], []
    with db.engine.begin() as conn:
        known = {p: _reasons(conn, p, ids) for p, ids in by_purpose.items()
                 if p == TRANSACTIONAL or p in CONSENT_PURPOSES}
        bounced = _bounced(conn, {i.to.lower() for i in items
                                  if i.purpose != TRANSACTIONAL and i.to})
        for item in items:
            reason = _reason_for(item, known.get(item.purpose, {}), bounced)
            if reason is not None:
                held.append({"created_at": now, "address": (item.to or "")[:254],
                             "alumnus_id": item.alumnus_id if item.alumnus_id in
                             known.get(item.purpose, {}) else None,
                             "purpose": item.purpose[:20], "kind": (item.kind or "")[:60],
                             "subject": item.subject[:200], "reason": reason})
                decisions.append(GateDecision(reason))
            elif item.purpose == TRANSACTIONAL:
                decisions.append(GateDecision())
            else:
                raw, digest = new_token()
                links.append({"token_hash": digest, "alumnus_id": item.alumnus_id,
                              "purpose": item.purpose, "created_at": now})
                decisions.append(_unsubscribable(item, raw))
        if held:
            conn.execute(insert(SuppressedMail), held)
        if links:
            conn.execute(insert(UnsubscribeLink), links)
    return decisions


def _unsubscribable(item: Outgoing, raw: str) -> GateDecision:
    """A message of a consent purpose: the link in the footer and in the RFC 8058 headers.
    The footer is in the message's language, and so is the page the link opens."""
    with in_language(item.language) as language:
        url = external_url("mailings.unsubscribe", token=raw, base_url=item.base_url,
                           lang=language)
        footer = "\n".join((
            gettext("This e-mail is sent for: “%(purpose)s”.",
                    purpose=gettext(CONSENT_PURPOSES[item.purpose])),
            gettext("To stop e-mails for it, open this link (no sign-in needed): %(link)s",
                    link=url)))
    return GateDecision(footer=footer, headers={
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def record_bounces(refused: list[tuple[Outgoing, Exception]]) -> None:
    """Add the addresses the server refused for good to `mail_bounce` (once each), in a
    transaction of its own (the sender's has committed)."""
    errors = {item.to.lower()[:254]: str(error)[:300] for item, error in refused if item.to}
    if not errors:
        return
    with db.engine.begin() as conn:
        known = _bounced(conn, set(errors))
        now = utcnow()
        rows = [{"address": a, "recorded_at": now, "error": e}
                for a, e in errors.items() if a not in known]
        if rows:
            conn.execute(insert(MailBounce), rows)
