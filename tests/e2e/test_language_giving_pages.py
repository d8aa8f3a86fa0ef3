"""The contribution totals and the mailing form hold their layout on a phone (390 px) in
Vietnamese and Thai, the longest translations: the totals with money in two currencies, a gift
in kind and the combined figure at stated rates, and the mailing form with its errors."""

from __future__ import annotations

from datetime import date

import pytest

from app.contributions.services import ContributionData, record_contribution
from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page

WORDS = {"vi": ("Tổng đóng góp", "Gộp, theo tỷ giá nêu trên", "Gửi cho ai", "Bắt buộc"),
         "th": ("ยอดรวมการสนับสนุน", "รวมตามอัตราที่ระบุข้างต้น", "ส่งถึงใคร", "กรุณากรอก")}


@pytest.mark.parametrize("language", ["vi", "th"])
def test_the_totals_and_the_mailing_form_fit_a_phone(live_server, browser, world, db,
                                                     language):
    officer = world.users["officer"]
    officer.language = language
    for amount, currency in (("12500", "THB"), ("40", "USD")):
        record_contribution(ContributionData(
            donor_kind="alumnus", alumnus_id=world.alumnus.id, kind="monetary",
            category="scholarship", received_on=date(2026, 3, 2), amount=amount,
            currency=currency), institution=world.home, actor=officer)
    record_contribution(ContributionData(
        donor_kind="organisation", organisation_name="Acme Sdn Bhd", kind="in_kind",
        category="equipment", received_on=date(2026, 3, 4), description="Ten laptops",
        quantity=10, estimated_value="42000", value_currency="MYR",
        valuation_basis="supplier invoice"), institution=world.home, actor=officer)
    db.session.commit()
    totals, combined, for_whom, required = WORDS[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server}/contributions/totals?target=MYR&rate_date=2026-03-31"
              "&rates=THB+0.13%0D%0AUSD+4.70")
    assert page.locator("html").get_attribute("lang") == language
    assert totals in page.inner_text("h1")
    assert combined in page.inner_text("#combined")
    fits(page, 390)
    shot(page, f"staff-contribution-totals-{language}", 390)

    page.goto(f"{live_server}/mailings/new")
    assert for_whom in page.inner_text("main")
    page.fill("#cohort_from", "2024")
    page.fill("#cohort_to", "1800")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".invalid-feedback").count() >= 2  # subject and body, the cohorts
    assert required.lower() in page.inner_text("main").lower()
    fits(page, 390)
    shot(page, f"staff-mailing-form-{language}", 390)
    context.close()
