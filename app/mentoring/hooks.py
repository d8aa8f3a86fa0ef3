"""What mentoring adds to the others: the alumnus-page panels, the timeline and the
engagement source (mentors who accepted a student or held a session)."""

from __future__ import annotations

from app.core.i18n import N_
from app.core.panels import add_panel
from app.core.timeline import add_timeline_source
from app.engagement.services import add_engagement_source
from app.mentoring import services
from app.mentoring.routes._common import CHOICES
from app.mentoring.timeline import mentoring_timeline


def _staff_panel(alumnus, viewer):
    profile = services.mentor_profile_for(alumnus)
    if profile is None:
        return None
    return {"profile": profile, "mentorships": services.mentorships_of_mentor(alumnus),
            **CHOICES}


def _self_panel(alumnus, viewer):
    profile = services.mentor_profile_for(alumnus)
    waiting = [m for m in services.mentorships_of_mentor(alumnus) if m.status == "proposed"]
    return {"profile": profile, "waiting": waiting}


def register() -> None:
    """Called once by create_app (every registration is idempotent)."""
    add_panel("mentoring", "mentoring/_staff_panel.html", _staff_panel, where="staff", order=40)
    add_panel("mentoring", "mentoring/_self_panel.html", _self_panel, where="self", order=40)
    add_timeline_source("mentoring", mentoring_timeline)
    # Mentors who accepted a student or held a session count as engaged in the rate (E1).
    add_engagement_source("mentoring", N_("Mentoring"), activity=services.mentoring_activity)
