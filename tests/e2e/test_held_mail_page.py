"""In a browser: an officer opens the messages the mail gate held back from the mailings
page and filters them by reason. At 390 px (phone) and 1280 px."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.mailings.models import SuppressedMail
from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page


@pytest.mark.parametrize("width", [390, 1280])
def test_held_messages_page(live_server, browser, world, db, width):
    now = utcnow()
    db.session.add_all([
        SuppressedMail(created_at=now - timedelta(minutes=1), address=world.alumnus.email,
                       alumnus_id=world.alumnus.id, purpose="contact", kind="mailing",
                       subject="Homecoming 2026: dinner and campus tour",
                       reason="consent_withdrawn"),
        SuppressedMail(created_at=now - timedelta(minutes=2),
                       address="a.very.long.address.of.someone@subdomain.example.org",
                       alumnus_id=world.second_alumnus.id, purpose="tracer",
                       kind="tracer_invite", subject="Home Polytechnic: where are you now?",
                       reason="bounced"),
    ])
    db.session.commit()
    context = context_at(browser, width)
    page = context.new_page()
    sign_in_page(page, live_server, world.users["officer"].email, PASSWORD)
    page.goto(f"{live_server}/mailings/")
    page.get_by_role("link", name="Messages held back").click()
    page.wait_for_url("**/mailings/held")
    rows = rows_of(page, width)
    assert rows.count() == 2
    assert "Consent for this purpose withdrawn" in rows.nth(0).inner_text()
    fits(page, width)
    shot(page, "mail-held", width)
    page.get_by_label("Reason").select_option("bounced")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/mailings/held?reason=bounced")
    assert rows.count() == 1 and "where are you now?" in rows.nth(0).inner_text()
    fits(page, width)
    shot(page, "mail-held-bounced", width)
    context.close()

    # The administrator sees every institution's, each with its institution.
    context = context_at(browser, width)
    page = context.new_page()
    sign_in_page(page, live_server, world.users["admin"].email, PASSWORD)
    page.goto(f"{live_server}/mailings/held")
    assert world.home.code in rows_of(page, width).nth(0).inner_text()
    assert "2 records" in page.inner_text("main")  # counted without a filter too
    fits(page, width)
    shot(page, "mail-held-admin", width)
    context.close()


def rows_of(page, width: int):
    return page.locator("#held-list li" if width < 768 else "#held tbody tr")
