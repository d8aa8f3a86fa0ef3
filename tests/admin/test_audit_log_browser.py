"""The audit log in a real browser on a laptop screen: long changes wrap in their column."""

from __future__ import annotations

from datetime import UTC, datetime

from app.core.audit import AuditEntry
from tests.conftest import PASSWORD
from tests.e2e.conftest import browser, live_server, live_settings, sign_in_page  # noqa: F401


def test_long_changes_keep_every_column_on_a_laptop_screen(live_server, browser, world,  # noqa: F811
                                                           db):
    officer = world.users["officer"]
    snapshot = {f"a_long_field_name_{n}": "x" * 80 + " " + "y" * 120 for n in range(8)}
    db.session.add(AuditEntry(actor_id=officer.id, actor_label=officer.email,
                              action="employment.delete", entity_type="Employment",
                              entity_id="236", before=snapshot, origin="203.0.113.77",
                              created_at=datetime.now(UTC)))
    db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        sign_in_page(page, live_server, world.users["admin"].email, PASSWORD)
        page.goto(f"{live_server}/admin/audit")
        origin = page.get_by_text("203.0.113.77").bounding_box()
        assert origin is not None and origin["x"] + origin["width"] <= 1280
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        context.close()
