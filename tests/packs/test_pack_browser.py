"""The Reports page and a built pack in a real browser, on a phone and on a desktop screen:
nothing breaks the Content-Security-Policy, the charts load, nothing runs off the screen."""

from __future__ import annotations

import os

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import browser, live_server, sign_in_page  # noqa: F401
from tests.e2e.test_content_security_policy import LISTEN
from tests.packs.conftest import build

SHOTS = os.environ.get("ALUMNET_SCREENSHOTS")  # a folder to keep the screenshots in


@pytest.fixture
def live_settings(report_folder) -> dict:
    """The live server reads the packs from this test's report folder."""
    return {"REPORT_FOLDER": str(report_folder)}


@pytest.mark.parametrize("width", [390, 1280])
def test_the_pack_reads_on_a_phone_and_a_desktop(pack_cohort, world, live_server,  # noqa: F811
                                                 browser, width):  # noqa: F811
    snapshot = build(pack_cohort, formats=("html",))
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    sign_in_page(page, live_server, world.users["quality"].email, PASSWORD)
    page.wait_for_url(lambda u: "/auth/login" not in u)
    page.goto(f"{live_server}/reports")
    assert page.get_by_role("heading", name="Build an evidence pack").is_visible()
    assert page.get_by_role("link", name=f"Snapshot {snapshot.id}").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"reports-{width}.png"), full_page=True)
    page.goto(f"{live_server}/reports/snapshots/{snapshot.id}/view")
    assert page.get_by_role("heading", name="Home Polytechnic").is_visible()
    loaded = page.evaluate("[...document.querySelectorAll('figure.chart img')]"
                           ".map(i => i.complete && i.naturalWidth > 0)")
    assert loaded == [True] * 7
    # the styles applied: the cover's kicker is upper case, as the inline style says
    assert page.evaluate("getComputedStyle(document.querySelector('.kicker'))"
                         ".textTransform") == "uppercase"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert page.evaluate("window.__cspViolations") == []
    assert not [m for m in console if "Content Security Policy" in m]
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"pack-{width}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_landing_page_figures_on_a_phone_and_a_desktop(hand_cohort, world, live_server,  # noqa: F811
                                                          browser, db, width):  # noqa: F811
    from app.packs.dashboard import WHOLE_INSTITUTION, refresh_dashboard

    refresh_dashboard(hand_cohort.institution.id)
    db.session.commit()
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    sign_in_page(page, live_server, world.users["officer"].email, PASSWORD)
    page.wait_for_url(lambda u: "/auth/login" not in u)
    page.goto(f"{live_server}/dashboard")
    assert page.get_by_role("heading", name="Figures").is_visible()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the lazy charts load
    page.wait_for_function("[...document.querySelectorAll('img[src*=\"/dashboard/panels/\"]')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    # every figure of the institution and of its two programmes has its chart, but those that
    # count the whole institution, which a programme's row says instead
    assert page.evaluate("document.querySelectorAll('img[src*=\"/dashboard/panels/\"]').length"
                         ) == 8 * 3 - len(WHOLE_INSTITUTION) * 2
    assert page.get_by_text("whole institution only").count() == len(WHOLE_INSTITUTION) * 2
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert page.evaluate("window.__cspViolations") == []
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"dashboard-{width}.png"), full_page=True)
    page.get_by_role("link", name="75.0 %").first.click()
    assert page.get_by_text("The records counted").is_visible()
    context.close()
