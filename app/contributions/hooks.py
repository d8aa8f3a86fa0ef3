"""What contributions add to the others: the alumnus-page panel, the timeline and the
engagement source (contributions and linkages)."""

from __future__ import annotations

from flask_babel import gettext

from app.alumni.models import Alumnus
from app.contributions import services
from app.contributions.models import CATEGORIES
from app.core.i18n import format_money
from app.core.panels import add_panel
from app.core.timeline import TimelineItem, add_timeline_source, staff_link
from app.engagement.services import add_engagement_source


def _timeline(alumnus: Alumnus) -> list[TimelineItem]:
    """Contributions and the links the alumnus enabled; built for the page that shows them,
    so in its reader's language."""
    items = []
    for c in services.contributions_of(alumnus):
        category = gettext(CATEGORIES[c.category])
        if c.is_linkage:
            title = (gettext("Enabled: %(category)s at %(organisation)s", category=category,
                             organisation=c.organisation_name) if c.organisation_name
                     else gettext("Enabled: %(category)s", category=category))
            kind = "linkage"
        else:
            title = gettext("Contribution: %(category)s", category=category)
            kind = "contribution"
        detail = (format_money(c.amount, c.currency) if c.kind == "monetary"
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
