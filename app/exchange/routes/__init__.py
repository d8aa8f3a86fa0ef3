"""Exchange pages (batches, partners and agreements, participations and credits, certificates,
exchange alumni and figures), the alumnus-page panels, the timeline and engagement sources."""

from __future__ import annotations

import contextlib

from app.core.panels import add_panel
from app.core.timeline import add_timeline_source
from app.engagement.services import add_engagement_source
from app.exchange.panels import exchange_panel_context, exchange_timeline
from app.exchange.routes import (  # noqa: F401  (attach the views)
    batches,
    outcomes,
    participations,
    partners,
)
from app.exchange.services.participations import engaged_alumni

add_panel("exchange", "exchange/_panel.html", exchange_panel_context, where="staff", order=60)
add_panel("exchange", "exchange/_panel.html", exchange_panel_context, where="self", order=60)
add_timeline_source("exchange", exchange_timeline)
add_engagement_source("exchange", "Exchange participations", engaged_alumni)

# The participants spreadsheet goes through the shared import pipeline (when it is there).
with contextlib.suppress(ImportError):
    import app.exchange.importer  # noqa: F401
