"""What contributions add to the others: the alumnus-page panel, the timeline and the
engagement source (contributions and linkages)."""

from __future__ import annotations

from app.alumni.models import Alumnus
from app.contributions import services
from app.contributions.models import CATEGORIES
from app.core.panels import add_panel
from app.core.timeline import TimelineItem, add_timeline_source, staff_link
from app.engagement.services import add_engagement_source


def _timeline(alumnus: Alumnus) -> list[TimelineItem]:
    items = []
    for c in services.contributions_of(alumnus):
        if c.is_linkage:
            title = f"Enabled: {CATEGORIES[c.category]}"
            if c.organisation_name:
                title += f" at {c.organisation_name}"
            kind = "linkage"
        else:
            title = f"Contribution: {CATEGORIES[c.category]}"
            kind = "contribution"
        detail = (f"{c.currency} {c.amount:,.2f}" if c.kind == "monetary"
                  else (c.description or ""))
        items.append(TimelineItem(when=c.received_on, kind=kind, title=title, detail=detail,
                                  url=staff_link("contributions.detail", contribution_id=c.id)))
    return items


def _staff_panel(alumnus: Alumnus, viewer) -> dict:
    return {"contributions": services.contributions_of(alumnus), "alumnus": alumnus,
            "categories": CATEGORIES}


def register() -> None:
    """Called once by create_app (every registration is idempotent)."""
    add_timeline_source("contributions", _timeline)
    add_engagement_source("contributions", "Contributions and linkages",
                          activity=services.contribution_activity,
                          kinds=("contribution", "linkage"))
    add_panel("contributions", "contributions/_panel.html", _staff_panel, where="staff", order=60)
