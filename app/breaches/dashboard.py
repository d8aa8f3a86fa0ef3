"""The landing page's section of overdue breach notification clocks (administrators)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from app.breaches.rules import RULES, country_names
from app.breaches.services import overdue_clocks
from app.core.db import as_utc, utcnow
from app.core.permissions import ADMIN


def overdue_section(user: Any) -> dict | None:
    """Each overdue clock with how long it is overdue; nothing for others or when none is."""
    if getattr(user, "role", None) != ADMIN:
        return None
    clocks = overdue_clocks()
    if not clocks:
        return None
    now = utcnow()
    names = country_names()
    return {"clocks": [{"clock": c, "country": names[c.country],
                        "authority": gettext(RULES[c.country].authority),
                        "hours_over": int((now - as_utc(c.due_at)).total_seconds() // 3600)}
                       for c in clocks]}
