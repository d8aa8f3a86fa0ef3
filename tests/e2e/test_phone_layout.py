"""On a phone (390 px wide) the alumnus's own exchanges and the officer's suggested mentors fit
the screen: nothing to scroll sideways, the Certificate link and the Propose button in view."""

from __future__ import annotations

import os
from datetime import date

from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in_page
from tests.exchange.conftest import add_participation, xw  # noqa: F401 (fixtures)
from tests.mentoring.conftest import make_mentor, make_student  # noqa: F401 (fixtures)

SHOTS = os.environ.get("ALUMNET_SCREENSHOTS")


def _within_the_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_my_exchanges_fit_a_phone(live_server, phone, xw, add_participation):  # noqa: F811
    alumnus = xw.world.alumnus
    add_participation(alumnus.student_number, "completed", given_name=alumnus.given_name,
                      family_name=alumnus.family_name, start_date=date(2022, 5, 23),
                      end_date=date(2022, 6, 20))
    sign_in_page(phone, live_server, xw.world.users["alumnus"].email, PASSWORD)
    phone.goto(f"{live_server}/me")
    certificate = phone.get_by_role("link", name="Certificate")
    assert _fits_the_width(phone)
    assert _within_the_screen(certificate)
    row = phone.locator("tr", has=certificate)
    for text in ("Bangkok Polytechnic (TH) · 23 May 2022 – 20 Jun 2022", "Completed",
                 "90.0 hours · credits"):
        assert _within_the_screen(row.get_by_text(text)), text
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, "my-exchanges-phone.png"), full_page=True)


def test_suggested_mentors_fit_a_phone(live_server, phone, world, make_mentor,  # noqa: F811
                                       make_student):  # noqa: F811
    student = make_student(industries="C")
    for n in range(3):
        make_mentor(industries="C", capacity=4, load=n,
                    expertise="customer service, hotel operations")
    sign_in_page(phone, live_server, world.users["officer"].email, PASSWORD)
    phone.goto(f"{live_server}/mentoring/students/{student.id}")
    assert _fits_the_width(phone)
    proposes = phone.get_by_role("button", name="Propose")
    assert proposes.count() == 3
    for i in range(3):
        assert _within_the_screen(proposes.nth(i))
        goals = phone.get_by_label("Goals").nth(i)
        assert _within_the_screen(goals)
        assert goals.bounding_box()["width"] >= 150  # room to type, not a sliver
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, "suggested-mentors-phone.png"), full_page=True)
