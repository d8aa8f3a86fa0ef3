"""What events add to the others: the alumnus-page panels (the engagement score), the
timeline and the engagement source (events attended)."""

from __future__ import annotations

import contextlib

from flask_babel import gettext

from app.alumni.models import Alumnus
from app.core.i18n import N_, format_number
from app.core.panels import add_panel
from app.core.timeline import TimelineItem, add_timeline_source, staff_link
from app.engagement import events, registration, services
from app.engagement.models import (
    EVENT_KINDS,
    Participation,
)


def _timeline(alumnus: Alumnus) -> list[TimelineItem]:
    """Events the alumnus registered for, attended or led; built for the page that shows
    them, so in its reader's language."""
    items = []
    for p in events.participations_of(alumnus):
        e = p.event
        if p.status == "cancelled":
            continue
        name = e.title_in_language  # the reader's language, else the default's, else as set
        if p.status == "registered":
            kind, title = "event_registration", gettext("Registered for %(event)s",
                                                        event=name)
        elif p.role == "speaker":
            kind, title = "event_lead", gettext("Speaker at %(event)s", event=name)
        elif p.role == "organiser":
            kind, title = "event_lead", gettext("Organiser of %(event)s", event=name)
        else:
            kind, title = "event", gettext("Attended %(event)s", event=name)
        what = gettext(EVENT_KINDS.get(e.kind, e.kind))
        detail = (gettext("%(kind)s, %(hours)s h", kind=what, hours=format_number(p.hours))
                  if p.hours else what)
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
    services.add_engagement_source("events", N_("Events attended"), activity=events.event_activity,
                                   kinds=("event", "event_lead", "event_registration"))
    add_panel("engagement", "engagement/_panel.html",
              lambda a, v: _panel(a, v, staff=True), where="staff", order=10)
    add_panel("engagement", "engagement/_panel.html",
              lambda a, v: _panel(a, v, staff=False), where="self", order=10)
