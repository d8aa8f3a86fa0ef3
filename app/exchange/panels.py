"""What the exchange feature adds to an alumnus's pages: a panel and timeline items."""

from __future__ import annotations

from typing import Any

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
    """One item per exchange, dated by its start (or the batch's core window)."""
    items = []
    for p in participations_of(alumnus):
        when = p.start_date or p.batch.window_start or p.created_at
        partner = p.partner_institution
        items.append(TimelineItem(
            when=when, kind="exchange",
            title=f"Exchange with {partner.name} ({partner.country})",
            detail=f"{p.batch.label} · {PARTICIPATION_STATUSES.get(p.status, p.status)}",
            url=staff_link("exchange.participation", participation_id=p.id)))
    return items
