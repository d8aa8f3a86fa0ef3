"""The administration pages hold their layout on a phone (390 px) in Thai and Vietnamese: the
user accounts with their buttons, an institution's page, the breach log with an overdue breach
and the form to log one (the countries' rules are long sentences in these languages)."""

from __future__ import annotations

import pytest

from tests.breaches.test_language_breach_pages import _breaches
from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page

WORDS = {"th": ("บัญชีผู้ใช้", "บันทึกเหตุการละเมิด", "ประเทศที่กฎหมายมีผลบังคับใช้"),
         "vi": ("Tài khoản người dùng", "Ghi nhận sự cố", "Các quốc gia có luật được áp dụng")}


@pytest.mark.parametrize("language", ["th", "vi"])
def test_the_users_page_and_the_breach_form_fit_a_phone(live_server, browser, world, db,
                                                        language):
    admin = world.users["admin"]
    admin.language = language
    quality = world.users["quality"]
    quality.contact_details_granted = True
    world.users["officer"].totp_secret = "JBSWY3DPEHPK3PXP"
    overdue, _closed = _breaches(admin)
    db.session.commit()
    users, log_one, countries = WORDS[language]
    context = context_at(browser, 390)
    page = context.new_page()
    sign_in_page(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server}/admin/users")
    assert page.locator("html").get_attribute("lang") == language
    assert users in page.inner_text("h1")
    fits(page, 390)
    shot(page, f"admin-users-{language}", 390)
    page.goto(f"{live_server}/admin/institutions/{world.home.id}")
    fits(page, 390)
    shot(page, f"admin-institution-{language}", 390)
    page.goto(f"{live_server}/admin/breaches")
    fits(page, 390)
    shot(page, f"admin-breaches-{language}", 390)
    page.goto(f"{live_server}/admin/breaches/{overdue.id}")
    fits(page, 390)
    shot(page, f"admin-breach-{language}", 390)
    page.goto(f"{live_server}/admin/breaches/new")
    assert log_one in page.inner_text("h1")
    assert countries in page.inner_text("main")
    fits(page, 390)
    shot(page, f"admin-breach-form-{language}", 390)
    context.close()
