"""Exchange pages (batches, partners and agreements, participations and credits, certificates,
exchange alumni and figures); what the feature adds to others is in `app/exchange/hooks.py`."""

from __future__ import annotations

from app.exchange.routes import (  # noqa: F401  (attach the views)
    batches,
    outcomes,
    participations,
    partners,
)
