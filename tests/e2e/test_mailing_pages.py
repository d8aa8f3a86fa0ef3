"""In a browser: an officer writes a mailing, previews it with the segment's count and
exclusions, sends it and watches the progress bar; the alumnus unsubscribes from the e-mail's
link on a phone without signing in. At 390 px (phone) and 1280 px."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest

from app.alumni.models import Consent
from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, sign_in_page

SHOTS = os.environ.get("ALUMNET_SCREENSHOTS")


@pytest.fixture
def live_settings(smtp_server):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port,
            "MAIL_SUPPRESS_SEND": False}


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [390, 1280])
def test_compose_preview_send_then_unsubscribe(live_server, browser, world, db, smtp_server,
                                               make_alumnus, width):
    yes = make_alumnus(world.home, programme_id=world.programme.id, given_name="Yes")
    no = make_alumnus(world.home, programme_id=world.programme.id, given_name="No")
    db.session.add_all([Consent(alumnus_id=yes.id, purpose="contact", granted=True,
                                method="officer"),
                        Consent(alumnus_id=no.id, purpose="contact", granted=False,
                                method="officer")])
    db.session.commit()
    context = context_at(browser, width)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Send this mailing to … alumni now?"
    sign_in_page(page, live_server, world.users["officer"].email, PASSWORD)
    page.goto(f"{live_server}/mailings/new")
    page.get_by_label("Subject").fill("Homecoming 2026")
    page.get_by_label("Message", exact=True).fill(
        "Dear alumni,\n\n**Homecoming** is on 1 March.\n\n- Campus tour\n- Dinner")
    page.get_by_label("Programmes").select_option(str(world.programme.id))
    assert _fits(page, width)
    _shot(page, f"mailing-compose-{width}")
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("#preview")
    assert preview.locator("strong", has_text="Homecoming").count() == 1
    assert preview.locator("li", has_text="Dinner").count() == 1
    counts = page.locator("#segment-count").inner_text()
    # world.alumnus and world.second_alumnus never said yes; "no" withdrew; "yes" gets it
    assert "1 alumnus of 4 in the segment will get it" in counts
    assert "Consent for this purpose withdrawn" in counts and "never given" in counts
    assert _fits(page, width)
    _shot(page, f"mailing-preview-{width}")
    page.get_by_role("button", name="Send to 1 alumnus").click()

    page.wait_for_url("**/jobs/*")
    page.locator("#job-status").get_by_text("Done").wait_for(timeout=15000)
    assert page.locator("#job-bar").inner_text() == "100%"
    _shot(page, f"mailing-job-{width}")
    page.goto(f"{live_server}/mailings/")
    page.get_by_role("link", name="Homecoming 2026").click()
    kept = page.locator("#mailing-counts").inner_text()
    assert "Sent\t1" in kept and "Excluded: Consent for this purpose withdrawn\t1" in kept
    _shot(page, f"mailing-sent-{width}")

    [message] = smtp_server.to(yes.email)
    link = message["List-Unsubscribe"].strip().strip("<>")
    alumnus_page = context_at(browser, width).new_page()
    alumnus_page.goto(f"{live_server}{urlparse(link).path}")  # not signed in
    assert alumnus_page.get_by_role("heading", name="Stop these e-mails?").is_visible()
    assert _fits(alumnus_page, width)
    _shot(alumnus_page, f"unsubscribe-confirm-{width}")
    alumnus_page.get_by_role("button", name="Unsubscribe").click()
    # the answer page, once it has loaded (is_visible() does not wait; a busy server is slow)
    alumnus_page.get_by_role("heading", name="You are unsubscribed").wait_for(timeout=15000)
    change = alumnus_page.locator("#unsubscribe-change").inner_text()
    assert "Yes" in change and "No" in change
    assert _fits(alumnus_page, width)
    _shot(alumnus_page, f"unsubscribe-done-{width}")
    alumnus_page.goto(f"{live_server}{urlparse(link).path}")
    assert alumnus_page.get_by_role("heading", name="This link does not work").is_visible()
    db.session.expire_all()
    assert not db.session.get(type(yes), yes.id).consent_in_force("contact")
    context.close()
