"""What the breach log adds to others: overdue notification clocks on the landing page."""

from __future__ import annotations


def register() -> None:
    from app.breaches.dashboard import overdue_section
    from app.core.dashboard import add_dashboard_section

    add_dashboard_section("breach_clocks", "breaches/_dashboard.html", overdue_section, order=1)
