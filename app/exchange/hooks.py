"""What the exchange feature adds to the others: the alumnus-page panels, the timeline and
engagement sources, the participants import kind, and linking on "alumni records written"."""

from __future__ import annotations

import contextlib

from app.alumni.written import on_alumni_written
from app.core.i18n import N_
from app.core.panels import add_panel
from app.core.timeline import add_timeline_source
from app.engagement.services import add_engagement_source
from app.exchange.panels import exchange_panel_context, exchange_timeline
from app.exchange.services.linking import link_written_alumni
from app.exchange.services.queries import exchange_activity


def register() -> None:
    """Called once by create_app (every registration is idempotent)."""
    add_panel("exchange", "exchange/_panel.html", exchange_panel_context, where="staff",
              order=60)
    add_panel("exchange", "exchange/_panel.html", exchange_panel_context, where="self", order=60)
    add_timeline_source("exchange", exchange_timeline)
    add_engagement_source("exchange", N_("Exchange participations"), activity=exchange_activity)
    on_alumni_written(link_written_alumni)
    # The participants spreadsheet goes through the shared import pipeline (when it is there).
    with contextlib.suppress(ImportError):
        from app.exchange.importer import EXCHANGE_KIND
        from app.imports.pipeline import register_kind

        register_kind(EXCHANGE_KIND)
