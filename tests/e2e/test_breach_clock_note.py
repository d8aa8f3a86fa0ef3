"""The breach page on a phone and a desk says when Singapore's clock counts from the
discovery because no assessment is recorded. Screenshots go to ALUMNET_SCREENSHOTS."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page


@pytest.mark.parametrize("width", [390, 1280])
def test_singapores_clock_note(browser, live_server, world, width):
    from app.breaches import services

    breach = services.record_breach(services.BreachData(
        title="Register sent to the wrong partner", what_happened="A file went astray.",
        discovered_at=utcnow() - timedelta(hours=20), data_affected="Names and e-mails",
        people_affected=58, countries=["SG", "PH"]), actor=world.users["admin"])
    db.session.commit()
    context = context_at(browser, width, 900)
    page = context.new_page()
    sign_in_page(page, live_server, world.users["admin"].email, PASSWORD)
    page.goto(f"{live_server}/admin/breaches/{breach.id}")
    note = page.locator("#counted-SG")
    assert note.is_visible() and "no assessment time is recorded" in note.inner_text()
    assert page.locator("#counted-PH").count() == 0
    fits(page, width)
    shot(page, "breach-sg-note", width)
    context.close()
