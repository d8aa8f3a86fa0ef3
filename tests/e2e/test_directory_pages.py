"""The alumni directory on a phone and on a desk, and the breach log, in a real browser.
Screenshots go to ALUMNET_SCREENSHOTS when it is set."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.alumni.models import CONSENT_PURPOSES
from app.alumni.privacy import set_privacy_choices
from app.core.db import utcnow
from app.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import context_at, fits, shot, sign_in_page


def _listed(make_alumnus, world, **values):
    from app.directory.services import save_directory_choices

    alumnus = make_alumnus(world.home, programme_id=world.programme.id, **values)
    set_privacy_choices(alumnus, {p: p == "directory" for p in CONSENT_PURPOSES}, True,
                        expected_version=None, method="officer", actor=world.users["officer"])
    db.session.flush()
    return alumnus, save_directory_choices


@pytest.mark.parametrize("width", [390, 1280])
def test_directory_search_and_detail(browser, live_server, world, make_alumnus, make_user,
                                     width):
    from app.directory.services import save_directory_choices

    user = make_user("alumnus", world.home)
    siti, _ = _listed(make_alumnus, world, given_name="Siti", family_name="Nurhaliza",
                      city="Ipoh", email="siti@example.org", cohort_year=2019, user_id=user.id)
    save_directory_choices(siti, {"programme": True, "cohort": True, "city": True}, actor=user)
    _listed(make_alumnus, world, given_name="Nguyễn", family_name="Văn An", city="Hanoi",
            email="an@example.org", cohort_year=2021)
    hidden = make_alumnus(world.home, given_name="Somchai", family_name="Hidden")
    db.session.commit()

    context = context_at(browser, width, 900)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in_page(page, live_server, world.users["alumnus"].email, PASSWORD)
    page.goto(f"{live_server}/directory")
    assert "2 people" in page.inner_text("#directory-count")
    assert hidden.given_name not in page.content()
    fits(page, width)
    shot(page, "directory", width)

    page.fill("input[name=name]", "nguyen")
    page.click("main button[type=submit]")
    assert "1 person found" in page.inner_text("#directory-count")
    assert "Nguyễn Văn An" in page.inner_text("main")
    assert "Hanoi" not in page.inner_text("main")  # An shows programme and cohort only
    fits(page, width)
    shot(page, "directory-search", width)

    page.fill("input[name=name]", "")
    page.fill("input[name=city]", "ipoh")
    page.click("main button[type=submit]")
    page.click("text=Siti Nurhaliza")
    main = page.inner_text("main")
    assert "Ipoh" in main and "2019" in main and "siti@example.org" not in main
    token = page.url.rsplit("/", 1)[1]
    assert "/directory/people/" in page.url and token != str(siti.id) and len(token) >= 20
    fits(page, width)
    shot(page, "directory-person", width)
    assert errors == []
    context.close()


def test_breach_log_at_desk_width(browser, live_server, world):
    from app.breaches import services

    breach = services.record_breach(services.BreachData(
        title="Laptop lost on a bus", what_happened="An officer's laptop was stolen.",
        discovered_at=utcnow() - timedelta(hours=80), data_affected="Names and phone numbers",
        people_affected=412, countries=["MY", "SG", "VN"]), actor=world.users["admin"])
    db.session.commit()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_page(page, live_server, world.users["admin"].email, PASSWORD)
    page.goto(f"{live_server}/dashboard")
    assert "Breach notifications overdue" in page.inner_text("main")
    shot(page, "breach-dashboard", 1280)
    page.goto(f"{live_server}/admin/breaches/{breach.id}")
    assert page.locator("text=Overdue").count() == 3
    page.select_option("select[name=n-recipient_kind]", "authority")
    page.select_option("select[name=n-country]", "MY")
    page.fill("input[name=n-recipient]", "PDP Commissioner")
    page.fill("input[name=n-notified_at]", (utcnow() - timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"))
    page.click("text=Record notification")
    assert "The notification is recorded" in page.inner_text("main")
    assert page.locator("text=Overdue").count() == 2
    fits(page, 1280)
    shot(page, "breach-detail", 1280)
    page.goto(f"{live_server}/admin/breaches")
    shot(page, "breach-log", 1280)
    page.goto(f"{live_server}/admin/breaches/new")
    page.click("main button[type=submit]")
    assert "Choose every country" in page.inner_text("main") or page.url.endswith("/new")
    shot(page, "breach-new-errors", 1280)
