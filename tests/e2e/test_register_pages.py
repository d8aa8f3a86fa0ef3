"""End to end in a real browser, phone-sized: sign in, find an alumnus, edit, sign out."""

from __future__ import annotations

import os

from app.alumni.models import Alumnus
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in_page

SHOTS = os.environ.get("ALUMNET_SCREENSHOTS")  # a folder to keep screenshots in, for people


def test_officer_finds_and_edits_an_alumnus_on_a_phone(live_server, phone, world, make_alumnus,
                                                       db):
    alumnus = make_alumnus(world.home, given_name="สมหญิง", family_name="รักเรียน",
                           student_number="TH-2023-7")
    sign_in_page(phone, live_server, world.users["officer"].email, PASSWORD)
    assert phone.locator(".alert-success").inner_text().startswith("Welcome")
    # the menu collapses on a phone: open it, then go to the register
    phone.click(".navbar-toggler")
    phone.get_by_role("button", name="Register").or_(
        phone.get_by_role("link", name="Register")).first.click()
    phone.get_by_role("link", name="Alumni", exact=True).click()
    phone.fill("input[name=q]", "สมหญิง")
    phone.click("button:has-text('Find')")
    phone.click("text=สมหญิง")
    assert "TH-2023-7" in phone.inner_text("main")
    phone.get_by_role("link", name="Edit", exact=True).click()
    phone.fill("input[name=city]", "เชียงใหม่")
    phone.click("button:has-text('Save')")
    assert phone.locator(".alert-success").inner_text().strip().startswith("Saved")
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, "register-detail-phone.png"), full_page=True)
    db.session.expire_all()
    assert db.session.get(Alumnus, alumnus.id).city == "เชียงใหม่"
    # no horizontal scrolling on a phone
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_wrong_password_shows_message_in_the_browser(live_server, phone, world):
    sign_in_page(phone, live_server, world.users["officer"].email, "not-the-password")
    assert "The e-mail or password is not right." in phone.inner_text("form")


def test_quality_staff_see_no_edit_buttons(live_server, phone, world):
    sign_in_page(phone, live_server, world.users["quality"].email, PASSWORD)
    phone.goto(f"{live_server}/alumni/{world.second_alumnus.id}")
    assert phone.get_by_role("link", name="Edit", exact=True).count() == 0
    assert phone.get_by_role("button", name="Send invitation").count() == 0
    assert world.second_alumnus.given_name in phone.inner_text("main")


def test_the_menu_bar_fits_a_laptop_screen_for_every_staff_role(live_server, browser, world):
    """Features add menu entries; grouped in drop-downs, the bar never overflows 1280 px."""
    for role in ("admin", "officer", "quality"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        sign_in_page(page, live_server, world.users[role].email, PASSWORD)
        page.wait_for_url("**/dashboard")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, role
        page.get_by_role("button", name="Engagement").or_(
            page.get_by_role("link", name="Engagement")).first.click()
        assert page.get_by_role("link", name="Mentoring").is_visible()
        context.close()
