"""Demo events: past ones with attendance (some alumni speak or organise), upcoming ones open
for registration."""

from __future__ import annotations

import math
from datetime import time, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from app.alumni.models import Alumnus
from app.core.db import today, utcnow
from app.core.seed import SeedContext
from app.engagement.models import Event, Participation
from app.extensions import db

ORDER = 51

EVENTS = [
    # title, kind, days from today, mode, hours, capacity, registration open
    ("Alumni homecoming 2025", "reunion", -330, "on_site", "4", 300, False),
    ("Guest lecture: industrial IoT in practice", "guest_lecture", -200, "hybrid", "2", None,
     False),
    ("Career fair", "career_fair", -120, "on_site", "5", None, False),
    ("Webinar: preparing for the job interview", "webinar", -45, "online", "1.5", 500, False),
    ("Industry visit: semiconductor plant", "industry_visit", -10, "on_site", "6", 40, False),
    ("Workshop: CV and portfolio clinic", "workshop", 12, "on_site", "3", 25, True),
    ("Alumni homecoming 2026", "reunion", 40, "on_site", "4", 300, True),
    ("Webinar: starting a small business", "webinar", 60, "online", "1.5", None, True),
]


def start_hour(mode: str) -> int:
    """Webinars in the afternoon, on-site events from the morning (institution's clocks)."""
    return 14 if mode == "online" else 9


def seed(ctx: SeedContext) -> None:
    """Events of the demo institution and who came."""
    rng = ctx.rng
    inst = ctx.institution
    if not ctx.alumnus_ids:
        return
    now = utcnow()
    event_ids = []
    for title, kind, days, mode, hours, capacity, open_ in EVENTS:
        event = Event(institution_id=inst.id, title=title, kind=kind, mode=mode,
                      event_date=today() + timedelta(days=days), capacity=capacity,
                      start_time=time(start_hour(mode)),
                      end_time=time(start_hour(mode) + math.ceil(float(hours))),
                      registration_open=open_, default_hours=Decimal(hours),
                      location="Main campus" if mode != "online" else "Online",
                      programme_id=ctx.programmes[0].id if kind == "industry_visit" else None)
        db.session.add(event)
        db.session.flush()
        event_ids.append((event, days))
    own = db.session.scalar(select(Alumnus.id).where(
        Alumnus.user_id == ctx.users["alumnus"].id)) if "alumnus" in ctx.users else None
    rows = []
    for event, days in event_ids:
        size = min(len(ctx.alumnus_ids), rng.randint(8, 40), event.capacity or 10**6)
        people = rng.sample(ctx.alumnus_ids, size)
        for i, alumnus_id in enumerate(people):
            past = days < 0
            role = "speaker" if past and i == 0 else ("organiser" if past and i == 1
                                                      else "attendee")
            rows.append({"institution_id": inst.id, "event_id": event.id,
                         "alumnus_id": alumnus_id, "role": role,
                         "hours": event.default_hours if past else None,
                         "status": "attended" if past else "registered",
                         "source": "bulk" if past else "self",
                         "registered_at": now, "updated_at": now})
        if own is not None and days in (-120, -45) and own not in people:
            rows.append({"institution_id": inst.id, "event_id": event.id, "alumnus_id": own,
                         "role": "attendee", "hours": event.default_hours,
                         "status": "attended", "source": "bulk", "registered_at": now,
                         "updated_at": now})
    db.session.execute(insert(Participation), rows)
    ctx.summary.append(f"{len(EVENTS)} events with {len(rows)} participations")
