"""The pages quality staff use hold their layout on a phone (390 px) in Vietnamese and Thai,
the longest translations: the landing page with its kept figures and the Outcome figures
page with the figures' names and definitions."""

from __future__ import annotations

import pytest

from app.packs.dashboard import refresh_dashboard
from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page
from tests.reports.conftest import hand_cohort  # noqa: F401 - the fixture

WORDS = {"vi": ("Tỷ lệ phản hồi", "Số liệu kết quả đầu ra", "Tỷ lệ phản hồi (gộp)"),
         "th": ("อัตราการตอบกลับ", "ตัวเลขผลลัพธ์", "อัตราการตอบกลับ (รวม)")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_landing_and_outcome_pages_fit_a_phone(live_server, browser, hand_cohort,  # noqa: F811
                                               world, db, language):
    refresh_dashboard(hand_cohort.institution.id)
    quality = world.users["quality"]
    quality.language = language
    db.session.commit()
    figure, heading, title = WORDS[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, quality.email, PASSWORD)
    page.goto(f"{live_server}/dashboard")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == language
    assert figure in page.inner_text("main")
    fits(page, 390)
    shot(page, f"staff-landing-{language}", 390)

    programmes = (hand_cohort.programme.id, hand_cohort.other_programme.id)
    page.goto(f"{live_server}/outcomes?programme={programmes[0]}&programme={programmes[1]}"
              "&cohort=2023&cohort=2024&months=12")
    assert heading in page.inner_text("h1")
    assert title in page.inner_text("main")
    page.locator("details summary").first.click()  # a definition opened
    fits(page, 390)
    shot(page, f"staff-outcomes-{language}", 390)
    context.close()
