"""Recording breaches, their notifications and their closing; the clocks that are overdue.

A jurisdiction's clock is settled by a notification to its authority (or a recorded decision
not to notify, with the reason); it is overdue when its due time has passed unsettled. A
breach closes only when every clock is settled and the lessons are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.breaches.models import RECIPIENT_KINDS, Breach, BreachJurisdiction, BreachNotification
from app.breaches.rules import RULES, country_names, due_at
from app.core.audit import record_audit
from app.core.db import as_utc, utcnow
from app.core.errors import Conflict, PermissionDenied, ValidationFailed
from app.core.i18n import N_
from app.core.permissions import ADMIN
from app.extensions import db


def _require_admin(actor: Any) -> None:
    if getattr(actor, "role", None) != ADMIN:
        raise PermissionDenied("Only administrators keep the breach log.")


@dataclass
class BreachData:
    title: str = ""
    what_happened: str = ""
    occurred_at: datetime | None = None
    discovered_at: datetime | None = None
    assessed_at: datetime | None = None
    data_affected: str = ""
    people_affected: int | None = None
    people_description: str = ""
    countries: list[str] = field(default_factory=list)


def clean_breach(data: BreachData) -> dict[str, Any]:
    """The checked values of a breach, or every problem at once."""
    errors: dict[str, str] = {}
    now = utcnow()
    title, what = (data.title or "").strip(), (data.what_happened or "").strip()
    occurred, discovered, assessed = (as_utc(data.occurred_at), as_utc(data.discovered_at),
                                      as_utc(data.assessed_at))
    if not title:
        errors["title"] = gettext("Give the breach a short name.")
    if not what:
        errors["what_happened"] = gettext("Say what happened.")
    if not (data.data_affected or "").strip():
        errors["data_affected"] = gettext("Say which personal data is affected.")
    if discovered is None:
        errors["discovered_at"] = gettext("Say when the breach was discovered.")
    elif discovered > now:
        errors["discovered_at"] = gettext("The discovery cannot be in the future.")
    if occurred and discovered and occurred > discovered:
        errors["occurred_at"] = gettext("It cannot have happened after it was discovered.")
    if assessed and discovered and assessed < discovered:
        errors["assessed_at"] = gettext("The assessment cannot come before the discovery.")
    if assessed and assessed > now:
        errors["assessed_at"] = gettext("The assessment cannot be in the future.")
    if data.people_affected is not None and data.people_affected < 0:
        errors["people_affected"] = gettext("The number of people cannot be negative.")
    countries = sorted(set(data.countries or []))
    if not countries:
        errors["countries"] = gettext("Choose every country whose law applies.")
    elif any(c not in RULES for c in countries):
        errors["countries"] = gettext("Choose countries from the list.")
    if errors:
        raise ValidationFailed(errors)
    return {"title": title, "what_happened": what, "occurred_at": occurred,
            "discovered_at": discovered, "assessed_at": assessed,
            "data_affected": data.data_affected.strip(), "people_affected": data.people_affected,
            "people_description": (data.people_description or "").strip() or None,
            "countries": countries}


def _set_clocks(breach: Breach, countries: list[str]) -> None:
    """One clock per country, due by the country's rule; a settled clock stays settled."""
    held = {j.country: j for j in breach.jurisdictions}
    for country in countries:
        clock = held.pop(country, None) or BreachJurisdiction(country=country)
        clock.due_at = due_at(country, breach.discovered_at, breach.assessed_at)
        if clock not in breach.jurisdictions:
            breach.jurisdictions.append(clock)
    for clock in held.values():
        breach.jurisdictions.remove(clock)


def record_breach(data: BreachData, *, actor: Any) -> Breach:
    """Log a breach and start each jurisdiction's clock."""
    _require_admin(actor)
    values = clean_breach(data)
    countries = values.pop("countries")
    breach = Breach(**values, recorded_by_id=actor.id)
    db.session.add(breach)
    _set_clocks(breach, countries)
    db.session.flush()
    record_audit(actor, "breach.record", breach,
                 after={"title": breach.title, "countries": countries})
    return breach


def update_breach(breach: Breach, data: BreachData, *, actor: Any) -> Breach:
    """Correct what is known of a breach (the clocks follow a changed discovery time)."""
    _require_admin(actor)
    if breach.closed_at is not None:
        raise Conflict(gettext("This breach is closed."))
    values = clean_breach(data)
    countries = values.pop("countries")
    for name, value in values.items():
        setattr(breach, name, value)
    _set_clocks(breach, countries)
    db.session.flush()
    record_audit(actor, "breach.update", breach,
                 after={"title": breach.title, "countries": countries})
    return breach


@dataclass
class NotificationData:
    recipient_kind: str = ""
    country: str = ""
    recipient: str = ""
    notified_at: datetime | None = None
    note: str = ""


def record_notification(breach: Breach, data: NotificationData, *, actor: Any
                        ) -> BreachNotification:
    """A notification made (or the decision not to notify an authority, with its reason)."""
    _require_admin(actor)
    errors: dict[str, str] = {}
    when = as_utc(data.notified_at)
    countries = {j.country for j in breach.jurisdictions}
    if data.recipient_kind not in RECIPIENT_KINDS:
        errors["recipient_kind"] = gettext("Choose whom you notified.")
    if data.recipient_kind in ("authority", "no_notice") and data.country not in countries:
        errors["country"] = gettext("Choose the country whose authority this concerns.")
    if data.country and data.country not in countries:
        errors["country"] = gettext("Choose one of the breach's countries.")
    if not (data.recipient or "").strip():
        errors["recipient"] = gettext("Say whom you notified (or who decided not to).")
    if when is None:
        errors["notified_at"] = gettext("Say when.")
    elif when > utcnow():
        errors["notified_at"] = gettext("This cannot be in the future.")
    elif when < as_utc(breach.discovered_at):
        errors["notified_at"] = gettext("This cannot be before the breach was discovered.")
    if data.recipient_kind == "no_notice" and len((data.note or "").strip()) < 10:
        errors["note"] = gettext("Say why the authority need not be told.")
    if errors:
        raise ValidationFailed(errors)
    notification = BreachNotification(
        breach=breach, country=data.country or None, recipient_kind=data.recipient_kind,
        recipient=data.recipient.strip(), notified_at=when,
        note=(data.note or "").strip() or None, recorded_by_id=actor.id)
    db.session.add(notification)
    if data.recipient_kind in ("authority", "no_notice"):
        for clock in breach.jurisdictions:
            if clock.country == data.country and clock.settled_at is None:
                clock.settled_at = when
    db.session.flush()
    record_audit(actor, "breach.notification", breach,
                 after={"kind": data.recipient_kind, "country": data.country or None,
                        "recipient": notification.recipient})
    return notification


def close_breach(breach: Breach, lessons: str, *, actor: Any) -> Breach:
    """Close a breach with its lessons, once every authority clock is settled."""
    _require_admin(actor)
    if breach.closed_at is not None:
        raise Conflict(gettext("This breach is closed already."))
    problems = []
    if len((lessons or "").strip()) < 10:
        problems.append(gettext("Write the lessons learned before closing."))
    names = country_names()
    open_clocks = [names[j.country] for j in breach.jurisdictions if j.settled_at is None]
    if open_clocks:
        problems.append(gettext("Record the notification (or the decision not to notify) for "
                                "%(countries)s first.", countries=", ".join(open_clocks)))
    if problems:
        raise ValidationFailed({"lessons": " ".join(problems)})
    breach.lessons = lessons.strip()
    breach.closed_at = utcnow()
    breach.closed_by_id = actor.id
    db.session.flush()
    record_audit(actor, "breach.close", breach, after={"lessons": breach.lessons})
    return breach


def breach_list() -> list[Breach]:
    """Every breach, open ones first, newest discovery first."""
    return list(db.session.scalars(select(Breach).order_by(
        Breach.closed_at.is_not(None), Breach.discovered_at.desc())))


def overdue_clocks(now: datetime | None = None) -> list[BreachJurisdiction]:
    """Authority clocks past their due time and not settled, the most overdue first."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(BreachJurisdiction).join(Breach)
        .where(BreachJurisdiction.settled_at.is_(None),
               BreachJurisdiction.due_at.is_not(None), BreachJurisdiction.due_at < now)
        .order_by(BreachJurisdiction.due_at)))


# A clock's state in words (clock_state gives the key); translated where shown.
CLOCK_STATES = {"settled": N_("Settled"), "overdue": N_("Overdue"), "running": N_("Running"),
                "no fixed hours": N_("No fixed hours")}


def clock_state(clock: BreachJurisdiction, now: datetime | None = None) -> str:
    """settled, overdue, running, or no fixed hours."""
    now = now or utcnow()
    if clock.settled_at is not None:
        return "settled"
    if clock.due_at is None:
        return "no fixed hours"
    return "overdue" if as_utc(clock.due_at) < now else "running"
