"""Every page, opened in Chromium as every role with the Content-Security-Policy on: no
inline script, handler or style is refused, and the behaviour moved into static files works."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in_page
from tests.test_page_access import _routes, _url

ROLES = ("anonymous", "alumnus", "quality", "officer", "admin")

# Runs in every page before its own scripts (Playwright injects it, so the policy allows it).
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':'
  + e.lineNumber));
"""


def _open(page, url: str) -> list[str]:
    """Open a page and return the policy violations it reported (downloads report none)."""
    from playwright.sync_api import Error

    try:
        page.goto(url, wait_until="load")
    except Error as exc:  # a CSV, workbook or PDF download is not a page
        if "Download is starting" in str(exc) or "ERR_ABORTED" in str(exc):
            return []
        raise
    return page.evaluate("window.__cspViolations || []")


@pytest.mark.parametrize("role", ROLES)
def test_no_page_breaks_the_content_security_policy(app, world, browser, live_server, role):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text)
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
            else None)
    if role != "anonymous":
        sign_in_page(page, live_server, world.users[role].email, PASSWORD)
        page.wait_for_url(lambda u: "/auth/login" not in u)
    failures, opened = [], 0
    try:
        for rule, _ in _routes(app, "GET"):
            if rule.endpoint == "auth.logout":
                continue
            url, _ = _url(app, rule, world)
            before = len(console)
            violations = _open(page, live_server + url)
            opened += 1
            if violations or len(console) > before:
                failures.append(f"{url}: {violations + console[before:]}")
    finally:
        context.close()
    assert opened > 50
    assert not failures, "\n".join(failures)


def test_confirmation_asked_before_removing_a_participant(app, world, browser, live_server, db,
                                                          phone):
    """The remove button's question comes from static/alumnet.js (data-confirm)."""
    from app.engagement.models import Participation
    from tests.url_params import _event

    event_id = _event(world)
    db.session.add(Participation(event_id=event_id, alumnus_id=world.alumnus.id,
                                 institution_id=world.home.id))
    db.session.commit()
    page = phone
    sign_in_page(page, live_server, world.users["officer"].email, PASSWORD)
    page.wait_for_url(lambda u: "/auth/login" not in u)
    page.goto(f"{live_server}/events/{event_id}")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("#participants button:text('Remove')")
    assert asked == ["Remove this participant from the event?"]
    assert page.locator("#participants button:text('Remove')").count() == 1  # kept
    page.once("dialog", lambda d: d.accept())
    page.click("#participants button:text('Remove')")
    page.wait_for_selector("#participants :text('Nobody yet.')")
