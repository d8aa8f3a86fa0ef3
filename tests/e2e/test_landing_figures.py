"""The landing page's figures in a browser, at phone and laptop size: the kept panels drawn
once, their trend charts loaded as images, a figure opening the records it counted."""

from __future__ import annotations

import pytest

from app.packs.dashboard import refresh_dashboard
from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page
from tests.reports.conftest import hand_cohort  # noqa: F401 - the fixture


@pytest.mark.parametrize("width", [390, 1280])
def test_the_landing_page_figures(live_server, browser, hand_cohort, world, db,  # noqa: F811
                                  width):
    refresh_dashboard(hand_cohort.institution.id)
    db.session.commit()
    context = context_at(browser, width)
    page = context.new_page()
    sign_in_page(page, live_server, world.users["quality"].email, PASSWORD)
    page.goto(f"{live_server}/dashboard")
    figures = page.locator("#figures-title").locator("xpath=..").locator("xpath=..")
    assert "Response rate" in figures.inner_text() and "75.0 %" in figures.inner_text()
    page.wait_for_load_state("networkidle")
    charts = page.locator("img.trend-chart")
    assert charts.count() == 8
    assert all(charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
               for i in range(charts.count())), "a trend chart did not load"
    fits(page, width)
    shot(page, "landing-figures", width)
    page.get_by_role("link", name="75.0 %").first.click()
    page.wait_for_url("**/outcomes/records?**")
    assert "Response rate" in page.inner_text("main")
    context.close()
