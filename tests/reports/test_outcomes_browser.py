"""The Outcomes page in a real browser, on a phone and on a desktop screen."""

from __future__ import annotations

import os

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import browser, live_server, live_settings, sign_in_page  # noqa: F401

SHOTS = os.environ.get("ALUMNET_SCREENSHOTS")  # a folder to keep the screenshots in


@pytest.mark.parametrize("width", [390, 1280])
def test_outcomes_page_fits_and_drills_down(hand_cohort, world, live_server, browser,  # noqa: F811
                                            width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in_page(page, live_server, world.users["quality"].email, PASSWORD)
    page.goto(f"{live_server}/outcomes?programme={hand_cohort.programme.id}&cohort=2023"
              "&cohort=2024&months=12&framework=ban-pt")
    assert page.get_by_role("heading", name="Outcome figures").is_visible()
    assert page.get_by_text("8.d.1 · Waiting time for the first job").is_visible()
    # nothing runs off the screen: wide tables scroll inside their own box
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"outcomes-{width}.png"), full_page=True)
    page.get_by_role("link", name="counted").first.click()
    assert page.get_by_text("The records counted").is_visible()
    assert page.get_by_text(hand_cohort.alumni["a1"].student_number).is_visible()
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"records-{width}.png"), full_page=True)
    context.close()
