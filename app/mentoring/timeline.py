"""The mentoring entries of an alumnus's timeline: the offer, and each mentorship taken on."""

from __future__ import annotations

from typing import Any

from app.core.timeline import TimelineItem, staff_link
from app.mentoring.models import MENTORSHIP_STATES
from app.mentoring.services import mentor_profile_for, mentorships_of_mentor

SHOWN_STATES = ("accepted", "active", "completed")


def mentoring_timeline(alumnus: Any) -> list[TimelineItem]:
    """Offering to mentor, and every mentorship the alumnus accepted (with hours)."""
    profile = mentor_profile_for(alumnus)
    if profile is None:
        return []
    items = [TimelineItem(when=profile.created_at, kind="mentoring",
                          title="Offered to mentor students",
                          detail=f"up to {profile.capacity} at once")]
    for m in mentorships_of_mentor(alumnus):
        if m.status not in SHOWN_STATES:
            continue
        hours = round(m.minutes / 60, 1)
        items.append(TimelineItem(
            when=m.started_on or m.responded_at or m.proposed_at, kind="mentoring",
            title=f"Mentored {m.student.given_name} ({m.student.programme.code})",
            detail=f"{MENTORSHIP_STATES[m.status]}, {len(m.sessions)} sessions, {hours} h",
            url=staff_link("mentoring.mentorship", mentorship_id=m.id)))
    return items
