"""What the exchange feature adds to an alumnus's pages: a panel and timeline items."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from app.core.permissions import ALUMNUS
from app.core.timeline import TimelineItem, staff_link
from app.exchange.models import PARTICIPATION_STATUSES
from app.exchange.services.participations import participations_of


def exchange_panel_context(alumnus: Any, viewer: Any) -> dict[str, Any] | None:
    """The alumnus's exchanges; hidden when there are none."""
    rows = participations_of(alumnus)
    if not rows:
        return None
    return {"participations": rows, "statuses": PARTICIPATION_STATUSES,
            "self_view": getattr(viewer, "role", None) == ALUMNUS}


def exchange_timeline(alumnus: Any) -> list[TimelineItem]:
    """One item per exchange, dated by its start (or the batch's core window); built for the
    page that shows it, so in its reader's language."""
    items = []
    for p in participations_of(alumnus):
        when = p.start_date or p.batch.window_start or p.created_at
        partner = p.partner_institution
        batch = gettext("%(name)s (%(year)s, batch %(number)s)", name=p.batch.name,
                        year=p.batch.year, number=p.batch.batch_number)
        status = gettext(PARTICIPATION_STATUSES.get(p.status, p.status))
        items.append(TimelineItem(
            when=when, kind="exchange",
            title=gettext("Exchange with %(partner)s (%(country)s)", partner=partner.name,
                          country=partner.country),
            detail=f"{batch} · {status}",
            url=staff_link("exchange.participation", participation_id=p.id)))
    return items
