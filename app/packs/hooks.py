"""What evidence packs add to other features: the figures section of the staff landing page."""

from __future__ import annotations


def register() -> None:
    from app.core.dashboard import add_dashboard_section
    from app.packs.dashboard import section_context

    add_dashboard_section("figures", "packs/_dashboard.html", section_context, order=10)
