"""What curriculum feedback adds to the others: the alumnus-page panels, the timeline and
the engagement source (anonymous feedback is never tied to an alumnus)."""

from __future__ import annotations

from flask_babel import gettext

from app.core.panels import add_panel
from app.core.timeline import TimelineItem, add_timeline_source, staff_link
from app.engagement.services import add_engagement_source
from app.feedback import services
from app.feedback.models import (
    STATUSES,
)
from app.feedback.routes import CHOICES


def _staff_panel(alumnus, viewer):
    items = services.named_feedback(alumnus)  # anonymous items are never tied to the alumnus
    if not items:
        return None
    return {"items": items, **CHOICES}


def _self_panel(alumnus, viewer):
    return {"count": len(services.own_feedback(alumnus)), "programme": alumnus.programme}


def feedback_timeline(alumnus) -> list[TimelineItem]:
    """Curriculum feedback the alumnus gave under their name (anonymous items are left out)."""
    # Built for the page that shows it, so in its reader's language.
    return [TimelineItem(when=fb.received_on, kind="feedback",
                         title=gettext("Curriculum feedback on %(topic)s", topic=fb.topic),
                         detail=gettext("%(programme)s, status: %(status)s",
                                        programme=fb.programme.code,
                                        status=gettext(STATUSES[fb.status])),
                         url=staff_link("feedback.detail", feedback_id=fb.id))
            for fb in services.named_feedback(alumnus)]


def register() -> None:
    """Called once by create_app (every registration is idempotent)."""
    add_panel("feedback", "feedback/_staff_panel.html", _staff_panel, where="staff", order=45)
    add_panel("feedback", "feedback/_self_panel.html", _self_panel, where="self", order=45)
    add_timeline_source("feedback", feedback_timeline)
    add_engagement_source("feedback", "Curriculum feedback",
                          activity=services.feedback_activity)
