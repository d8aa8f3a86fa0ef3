"""On a phone (390 px) an alumnus asks for a copy of their data, downloads it when it is ready,
and asks to erase their data; the office sees the request in its queue (1280 px)."""

from __future__ import annotations

import os
import zipfile

from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in_page

SHOTS = os.environ.get("ALUMNET_SCREENSHOTS")


def _fits_the_width(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_copy_and_erasure_request_on_a_phone(live_server, phone, browser, world):
    sign_in_page(phone, live_server, world.users["alumnus"].email, PASSWORD)
    phone.goto(f"{live_server}/me/data")
    assert _fits_the_width(phone, 390)
    _shot(phone, "privacy-my-data-phone.png")

    phone.get_by_role("button", name="Make a copy of my data").click()
    link = phone.get_by_role("link", name="Download my data (zip)")
    link.wait_for(timeout=30_000)  # the page follows the job, then shows the link
    assert _fits_the_width(phone, 390)
    _shot(phone, "privacy-copy-ready-phone.png")
    with phone.expect_download() as info:
        link.click()
    archive = zipfile.ZipFile(info.value.path())
    assert {"data.json", "alumnus.csv", "consent.csv", "audit_entry.csv"} <= set(
        archive.namelist())

    phone.goto(f"{live_server}/me/data#erase")
    phone.get_by_label("Anything the office should know (optional)").fill("I moved abroad")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Ask to erase my data").click()
    phone.get_by_text("Your request is with the alumni office").wait_for()
    assert phone.get_by_text("With the office").first.is_visible()
    assert _fits_the_width(phone, 390)
    _shot(phone, "privacy-erasure-asked-phone.png")

    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_page(desk, live_server, world.users["officer"].email, PASSWORD)
    desk.goto(f"{live_server}/privacy/requests")
    row = desk.locator("tr", has_text="I moved abroad")
    assert row.get_by_role("button", name="Erase now").is_visible()
    assert _fits_the_width(desk, 1280)
    _shot(desk, "privacy-queue-desk.png")
    desk.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Erase now").click()
    desk.get_by_text("Erased: the record is anonymised").wait_for()
    _shot(desk, "privacy-queue-erased-desk.png")
    desk.context.close()
