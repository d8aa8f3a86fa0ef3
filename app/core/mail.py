"""Outgoing e-mail through Flask-Mail; without a configured server, messages go to the log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, render_template
from flask_mail import Message
from jinja2 import TemplateNotFound

from app.extensions import mail


@dataclass
class Outgoing:
    to: str
    subject: str
    text: str
    html: str | None = None


def render_email(template: str, to: str, subject: str, **context) -> Outgoing:
    """Build a message from `templates/email/<template>.txt` (and `.html` when it exists)."""
    text = render_template(f"email/{template}.txt", **context)
    try:
        html = render_template(f"email/{template}.html", **context)
    except TemplateNotFound:  # an HTML part is optional
        html = None
    return Outgoing(to=to, subject=subject, text=text, html=html)


def _message(item: Outgoing) -> Message:
    return Message(
        subject=item.subject,
        recipients=[item.to],
        body=item.text,
        html=item.html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )


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
    with mail.connect() as conn:
        for item in items:
            try:
                conn.send(_message(item))
            except Exception as exc:  # noqa: BLE001 - report per recipient, keep going
                if on_sent:
                    on_sent(item, exc)
                continue
            sent += 1
            if on_sent:
                on_sent(item, None)
    return sent
