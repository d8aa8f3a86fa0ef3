"""The mentoring entries of an alumnus's timeline: the offer, and each mentorship taken on.
Built for the page that shows them, so in its reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext, ngettext

from app.core.i18n import format_number
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
                          title=gettext("Offered to mentor students"),
                          detail=ngettext("up to %(num)d student at once",
                                          "up to %(num)d students at once", profile.capacity))]
    for m in mentorships_of_mentor(alumnus):
        if m.status not in SHOWN_STATES:
            continue
        hours = format_number(round(m.minutes / 60, 1), 1)
        items.append(TimelineItem(
            when=m.started_on or m.responded_at or m.proposed_at, kind="mentoring",
            title=gettext("Mentored %(name)s (%(programme)s)", name=m.student.given_name,
                          programme=m.student.programme.code),
            detail=ngettext("%(state)s, %(num)d session, %(hours)s h",
                            "%(state)s, %(num)d sessions, %(hours)s h", len(m.sessions),
                            state=gettext(MENTORSHIP_STATES[m.status]), hours=hours),
            url=staff_link("mentoring.mentorship", mentorship_id=m.id)))
    return items
