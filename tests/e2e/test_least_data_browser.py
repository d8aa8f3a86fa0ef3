"""Least data in a real browser, at 390 px and 1280 px: quality staff read the register and an
alumnus's record without e-mail, phone and birth date; an administrator grants them on the
users page, and the same pages then show them. Screenshots go to ALUMNET_SCREENSHOTS when set."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page

EMAIL, PHONE = "reachable.person@example.org", "+60123456789"


@pytest.mark.parametrize("width", [390, 1280])
def test_quality_staff_see_contacts_only_when_granted(browser, live_server, world, db, width):
    alumnus = world.second_alumnus
    alumnus.email, alumnus.phone, alumnus.birth_date = EMAIL, PHONE, date(1990, 4, 17)
    db.session.commit()
    quality = world.users["quality"]

    def as_quality(name: str) -> tuple[str, str]:
        context = context_at(browser, width)
        page = context.new_page()
        sign_in_page(page, live_server, quality.email, PASSWORD)
        page.goto(f"{live_server}/alumni/?q={alumnus.student_number}")
        page.wait_for_selector(f"text={alumnus.student_number}")
        fits(page, width)
        shot(page, f"least-data-register-{name}", width)
        register = page.content()
        page.goto(f"{live_server}/alumni/{alumnus.id}")
        fits(page, width)
        shot(page, f"least-data-record-{name}", width)
        record = page.inner_text("main") if page.locator("main").count() else page.content()
        context.close()
        return register, record

    register, record = as_quality("withheld")
    assert EMAIL not in register and EMAIL not in record and PHONE not in record
    assert "not shown to quality staff" in record

    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    sign_in_page(page, live_server, world.users["admin"].email, PASSWORD)
    page.goto(f"{live_server}/admin/users?role=quality")
    page.click("button:has-text('Grant contact details')")
    page.wait_for_selector("text=now sees alumni's e-mail, phone and birth date")
    shot(page, "least-data-users-granted", width)
    context.close()

    register, record = as_quality("granted")
    assert EMAIL in record and PHONE in record
    if width >= 992:  # the register's e-mail column is for wide screens
        assert EMAIL in register
