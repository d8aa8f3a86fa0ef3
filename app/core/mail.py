"""Outgoing e-mail through Flask-Mail; without a configured server, messages go to the log.

Services never send: they call `queue_email(render_email(...))`, which holds the message on the
database session; it leaves after that session's transaction commits and is dropped when it
rolls back (as `app.core.jobs.enqueue` hands jobs over). A send to many recipients whose
outcome must be recorded (tracer survey, employer survey) runs in a background job that
commits its links, lets the queued mail go, then records each result from the `QueuedMail`.
"""

from __future__ import annotations

import base64
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email import policy
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from html import escape
from typing import Any

from flask import (
    Flask,
    current_app,
    flash,
    has_app_context,
    has_request_context,
    render_template,
)
from jinja2 import TemplateNotFound
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.i18n import current_language
from app.extensions import mail

# The purpose of mail the person asked for or needs for a service they use (a reset link, an
# e-mail confirmation, a receipt for their gift); every other purpose is a consent purpose
# (app.alumni.models.CONSENT_PURPOSES) and goes out only where that consent is in force.
TRANSACTIONAL = "transactional"


@dataclass
class Outgoing:
    """One message. `purpose` is required (TRANSACTIONAL or a consent purpose): the mail gate
    decides on it at send time. `alumnus_id` names the recipient's register record when the
    recipient is an alumnus (needed for any non-transactional message)."""

    to: str
    subject: str
    text: str
    html: str | None = None
    purpose: str = field(kw_only=True)
    alumnus_id: int | None = field(default=None, kw_only=True)
    kind: str = field(default="", kw_only=True)  # the template, for the log of unsent mail
    # The site address for links the gate adds (a job's request_base_url; see core.urls).
    base_url: str | None = field(default=None, kw_only=True)
    headers: dict[str, str] = field(default_factory=dict, kw_only=True)
    # The language the message is written in (render_email sets it): the gate writes the
    # unsubscribe footer it adds in the same language.
    language: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.purpose, str) or not self.purpose.strip():
            raise ValueError("Every e-mail must declare its purpose.")


def render_email(template: str, to: str, subject: str, *, purpose: str,
                 alumnus_id: int | None = None, **context) -> Outgoing:
    """Build a message from `templates/email/<template>.txt` (and `.html` when it exists) in
    the language in force (`app.core.i18n.in_language` around the call picks the recipient's);
    `purpose` and `alumnus_id` go to the mail gate (see Outgoing)."""
    text = render_template(f"email/{template}.txt", **context)
    try:
        html = render_template(f"email/{template}.html", **context)
    except TemplateNotFound:  # an HTML part is optional
        html = None
    return Outgoing(to=to, subject=subject, text=text, html=html, purpose=purpose,
                    alumnus_id=alumnus_id, kind=template, language=current_language())


# --- the gate: one decision per message at send time ---------------------------------------


@dataclass
class GateDecision:
    """What the gate decided for one message: `reason` why it is not sent (None: send it);
    for a message that goes, a `footer` to add (the unsubscribe link) and `headers`."""

    reason: str | None = None
    footer: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


# Why a message was not sent, in words a page can show; the gate adds its own reasons.
SUPPRESSION_WORDS: dict[str, str] = {
    "no_gate": "no consent check is set up for mail that needs consent",
    "gate_failed": "the consent check failed",
}


class MailSuppressed(Exception):
    """Given to `on_sent` for a message the gate held back; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not sent: {reason}")
        self.reason = reason


MailGate = Callable[[list[Outgoing]], list[GateDecision]]
_GATE: list[MailGate] = []


def register_mail_gate(gate: MailGate) -> None:
    """The one function that decides, at send time, whether each message may go (consent in
    force, the alumnus's status, deliverability) and records why one is not sent. Registered
    by a feature's hooks.py (core knows no alumni); registering again replaces it."""
    _GATE[:] = [gate]


# The gate's rule as SQL over the alumnus register, for a feature that picks its recipients
# in the database (tracer invitations, a mailing's segment): the same rule the gate applies.
MailRule = Callable[[str], Any]
_RULE: list[MailRule] = []
# Where an address the mail server refused for good is recorded, so the gate skips it.
BounceRecorder = Callable[[list[tuple[Outgoing, Exception]]], None]
_BOUNCES: list[BounceRecorder] = []


def register_mail_rule(rule: MailRule, record_bounces: BounceRecorder) -> None:
    """The gate's rule as a SQL expression (`rule(purpose)`: why mail of that purpose may not
    go to an alumnus, NULL when it may), and the recorder of refused addresses that feeds it.
    Registered with the gate by the feature that owns it; registering again replaces them."""
    _RULE[:] = [rule]
    _BOUNCES[:] = [record_bounces]


def mail_exclusion(purpose: str) -> Any:
    """SQL over the alumnus register: why mail of `purpose` may not go (NULL: it may). A
    feature choosing recipients in the database asks this, never a rule of its own."""
    if not _RULE:
        raise RuntimeError("No mail rule is registered (the mail gate's hooks did not run)")
    return _RULE[0](purpose)


def permanent_refusal(error: Exception | None) -> bool:
    """The server refused the recipient for good (5xx), not a passing or connection fault."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _record_bounces(queued: QueuedMail) -> None:
    """Every message refused for good, whoever sent it, feeds the gate's bounce list."""
    refused = [(item, error) for item, error in queued.failed if permanent_refusal(error)]
    if not refused or not _BOUNCES:
        return
    try:
        _BOUNCES[0](refused)
    except Exception:  # noqa: BLE001 - the mail went (or not); the record is best effort
        current_app.logger.exception("Refused addresses could not be recorded")


def _decide(items: list[Outgoing]) -> list[GateDecision]:
    """The gate's decisions; without a gate, or when it fails, only transactional mail goes
    (consent cannot be checked, so nothing that needs consent leaves)."""
    if not _GATE:
        return [GateDecision(None if i.purpose == TRANSACTIONAL else "no_gate") for i in items]
    try:
        decisions = _GATE[0](items)
    except Exception:  # noqa: BLE001 - a failing check must not let consent-bound mail out
        current_app.logger.exception("The mail gate failed; only transactional mail goes")
        return [GateDecision(None if i.purpose == TRANSACTIONAL else "gate_failed")
                for i in items]
    if len(decisions) != len(items):
        raise RuntimeError("The mail gate must decide on every message")
    return decisions


def _with_footer(item: Outgoing, decision: GateDecision) -> None:
    if decision.footer:
        item.text = f"{item.text.rstrip()}\n\n-- \n{decision.footer}\n"
        if item.html:
            block = f"<hr><p>{escape(decision.footer).replace(chr(10), '<br>')}</p>"
            end = item.html.lower().rfind("</body>")  # inside the body, where there is one
            item.html = item.html[:end] + block + item.html[end:] if end >= 0 else item.html + block
    item.headers.update(decision.headers)


_CRLF = policy.compat32.clone(linesep="\r\n")  # SMTP wants CRLF line ends, never bare LF


def _sender() -> tuple[str, str]:
    """(header value, envelope address) of the configured sender."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    if isinstance(sender, tuple | list):
        sender = formataddr((sender[0], sender[1]), charset="utf-8")
    elif not sender.isascii():
        sender = formataddr(parseaddr(sender), charset="utf-8")
    return sender, parseaddr(sender)[1]


def _as_bytes(item: Outgoing, sender: str) -> bytes:
    """The message as MIME bytes with CRLF line ends.

    A plain-text message to an ASCII address is written directly (about ten times faster
    than the email package; Flask-Mail's rendering re-parses every header and was most of the
    CPU time of a bulk send); anything else goes through the email package.
    """
    if any(c in value for value in (item.to, item.subject, *item.headers.values())
           for c in "\r\n"):
        raise ValueError("line break in a header")
    extra = "".join(f"{name}: {value}\r\n" for name, value in item.headers.items())
    subject = Header(item.subject, "us-ascii" if item.subject.isascii() else "utf-8")
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    if not item.html and item.to.isascii():
        head = (
            'Content-Type: text/plain; charset="utf-8"\r\n'
            "MIME-Version: 1.0\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            f"Subject: {subject.encode(linesep=chr(13) + chr(10))}\r\n"
            f"From: {sender}\r\nTo: {item.to}\r\n"
            f"Date: {formatdate(usegmt=True)}\r\n"
            f"Message-ID: {make_msgid(domain=domain)}\r\n{extra}\r\n"
        )
        body = base64.encodebytes(item.text.encode("utf-8")).replace(b"\n", b"\r\n")
        return head.encode("ascii") + body
    text = MIMEText(item.text, "plain", "utf-8")
    if item.html:
        msg = MIMEMultipart("alternative")
        msg.attach(text)
        msg.attach(MIMEText(item.html, "html", "utf-8"))
    else:
        msg = text
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = item.to
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=domain)
    for name, value in item.headers.items():
        msg[name] = value
    return msg.as_bytes(policy=_CRLF)


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_email(item: Outgoing) -> None:
    """Send one message now (or write it to the log when no mail server is set)."""
    send_bulk([item])


def send_bulk(items: Iterable[Outgoing], on_sent=None) -> int:
    """Send many messages over one SMTP connection; `on_sent(item, error)` is called per message.

    Returns how many were accepted by the server. A refused recipient does not stop the rest.
    """
    sent = 0
    if not mail_configured():
        for item in items:
            current_app.logger.info(
                "E-mail (no MAIL_SERVER set) to %s: %s\n%s", item.to, item.subject, item.text
            )
            sent += 1
            if on_sent:
                on_sent(item, None)
        return sent
    sender, envelope_from = _sender()
    with mail.connect() as conn:  # Flask-Mail's connection: server, port, TLS/SSL, login
        for item in items:
            try:
                data = _as_bytes(item, sender)
                if conn.host is not None:  # None when MAIL_SUPPRESS_SEND is on
                    try:
                        conn.host.sendmail(envelope_from, [item.to], data)
                    except smtplib.SMTPServerDisconnected:
                        conn.host = conn.configure_host()  # reconnect once, then go on
                        conn.host.sendmail(envelope_from, [item.to], data)
            except Exception as exc:  # noqa: BLE001 - report per recipient, keep going
                if on_sent:
                    on_sent(item, exc)
                continue
            sent += 1
            if on_sent:
                on_sent(item, None)
    return sent


# --- the queue: mail leaves after the commit ---------------------------------------------

_QUEUE_KEY = "mail_to_send"


@dataclass
class QueuedMail:
    """Messages waiting for their transaction; after the commit, what became of each."""

    items: list[Outgoing]
    on_sent: Callable[[Outgoing, Exception | None], Any] | None = None
    sent: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, Exception]] = field(default_factory=list)
    suppressed: list[tuple[Outgoing, str]] = field(default_factory=list)  # held by the gate
    error: Exception | None = None  # the server could not be reached or dropped the line
    tell: bool = True  # in a request, a message that did not go out is flashed as a warning
    delivered: bool = False  # True once the send was attempted (after the commit)

    @property
    def first_error(self) -> Exception | None:
        return self.failed[0][1] if self.failed else None


def queue_email(
    message: Outgoing | Iterable[Outgoing],
    *,
    on_sent: Callable[[Outgoing, Exception | None], Any] | None = None,
    tell: bool = True,
) -> QueuedMail:
    """Send `message` (one or a list) once the current transaction commits; never on rollback.

    `on_sent(item, error)` is called per message after the commit (it must not touch the
    database session, which is between transactions then); the returned QueuedMail lists what
    was sent and what failed, for a caller that records it in its next transaction. In a
    request, a message the server did not take is flashed as a warning unless `tell` is False
    (a password reset must not say whether an account exists).
    """
    from app.extensions import db

    items = [message] if isinstance(message, Outgoing) else list(message)
    queued = QueuedMail(items=items, on_sent=on_sent, tell=tell)
    db.session.info.setdefault(_QUEUE_KEY, []).append(
        (current_app._get_current_object(), queued))
    return queued


def pending_email() -> list[Outgoing]:
    """The messages the current transaction will send when it commits."""
    from app.extensions import db

    return [item for _, queued in db.session.info.get(_QUEUE_KEY, ()) for item in queued.items]


def _deliver(queued: QueuedMail) -> None:
    def record(item: Outgoing, error: Exception | None) -> None:
        if error is None:
            queued.sent.append(item)
        else:
            queued.failed.append((item, error))
        if queued.on_sent:
            queued.on_sent(item, error)

    allowed = []
    for item, decision in zip(queued.items, _decide(queued.items), strict=True):
        if decision.reason is None:
            _with_footer(item, decision)
            allowed.append(item)
            continue
        queued.suppressed.append((item, decision.reason))
        if queued.on_sent:
            queued.on_sent(item, MailSuppressed(decision.reason))
        if queued.tell and has_request_context():
            words = SUPPRESSION_WORDS.get(decision.reason, decision.reason)
            flash(f"The e-mail to {item.to} was not sent: {words}.", "warning")
    try:
        send_bulk(allowed, record)
    except Exception as exc:  # noqa: BLE001 - the data is committed; a dead server is reported
        current_app.logger.exception("Mail could not be sent after the commit")
        queued.error = exc
        done = {id(item) for item in queued.sent} | {id(item) for item, _ in queued.failed}
        for item in allowed:
            if id(item) not in done:
                record(item, exc)
    _record_bounces(queued)
    for item, error in queued.failed:
        current_app.logger.warning("E-mail to %s not sent: %s", item.to, error)
        if queued.tell and has_request_context():
            flash(f"The e-mail to {item.to} could not be sent: {error}", "warning")
    queued.delivered = True


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    pending = session.info.pop(_QUEUE_KEY, None)
    for app, queued in pending or ():
        if has_app_context():
            _deliver(queued)
        else:
            _in_app(app, queued)


def _in_app(app: Flask, queued: QueuedMail) -> None:
    with app.app_context():
        _deliver(queued)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_QUEUE_KEY, None)
