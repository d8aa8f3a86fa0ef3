"""What events add to the others: the alumnus-page panels (the engagement score), the
timeline and the engagement source (events attended)."""

from __future__ import annotations

import contextlib

from app.alumni.models import Alumnus
from app.core.panels import add_panel
from app.core.timeline import TimelineItem, add_timeline_source, staff_link
from app.engagement import events, registration, services
from app.engagement.models import (
    EVENT_KINDS,
    PARTICIPANT_ROLES,
    Participation,
)


def _timeline(alumnus: Alumnus) -> list[TimelineItem]:
    items = []
    for p in events.participations_of(alumnus):
        e = p.event
        if p.status == "cancelled":
            continue
        if p.status == "registered":
            kind, title = "event_registration", f"Registered for {e.title}"
        elif p.role in ("speaker", "organiser"):
            kind, title = "event_lead", f"{PARTICIPANT_ROLES[p.role]} at {e.title}"
        else:
            kind, title = "event", f"Attended {e.title}"
        detail = EVENT_KINDS.get(e.kind, e.kind)
        if p.hours:
            detail += f", {p.hours} h"
        items.append(TimelineItem(when=e.event_date, kind=kind, title=title, detail=detail,
                                  url=staff_link("engagement.event_detail", event_id=e.id)))
    return items


def _panel(alumnus: Alumnus, viewer, *, staff: bool) -> dict:
    items, score = services.engagement_for(alumnus)
    return {"items": items, "score": score, "staff": staff, "labels": services.KIND_LABELS,
            "formula": services.score_formula_text(), "weights": services.SCORE_WEIGHTS,
            "cap": services.SCORE_CAP, "default_weight": services.DEFAULT_WEIGHT}


def register() -> None:
    """Called once by create_app (every registration is idempotent)."""
    # Two records of one person at the same event become one participation when merged.
    with contextlib.suppress(ImportError):
        from app.imports.services import register_merge_handler

        register_merge_handler(Participation.__tablename__, registration.merge_participations)
    add_timeline_source("events", _timeline)
    services.add_engagement_source("events", "Events attended", activity=events.event_activity,
                                   kinds=("event", "event_lead", "event_registration"))
    add_panel("engagement", "engagement/_panel.html",
              lambda a, v: _panel(a, v, staff=True), where="staff", order=10)
    add_panel("engagement", "engagement/_panel.html",
              lambda a, v: _panel(a, v, staff=False), where="self", order=10)
