"""Mentoring pages (office and /me); what the feature adds to others is in its hooks.py."""

from __future__ import annotations

from app.mentoring.routes import office, self_service  # noqa: F401  (attach the views)
