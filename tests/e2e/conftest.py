"""A live server on loopback and headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests.conftest import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _need(reason: str):
    if os.environ.get("ALUMNET_REQUIRE_SERVICES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def live_settings() -> dict:
    """Extra configuration for the live server; a test module overrides this fixture."""
    return {}


@pytest.fixture
def live_server(app, database_url, live_settings):
    """The app served by a real WSGI server thread, on the test database, CSRF on."""
    live = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True,
                      **live_settings)
    port = free_port()
    server = make_server("127.0.0.1", port, live, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        _need("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()


PHONE_WIDTH = 500  # narrower than this is a phone: a touch screen with a mobile viewport


def context_at(browser, width: int, height: int = 844):
    """A browser context of the screen size a test looks at (a phone below 500 px)."""
    phone = width < PHONE_WIDTH
    return browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone,
                               has_touch=phone)


@pytest.fixture
def phone(browser):
    """A page the size of a phone screen."""
    context = context_at(browser, 390)
    page = context.new_page()
    yield page
    context.close()


def sign_in_page(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():  # the next page has loaded before the test reads it
        page.click("button[type=submit]")


def shot(page, name: str, width: int) -> None:
    """A full-page screenshot as NAME-WIDTH.png in ALUMNET_SCREENSHOTS, when that is set."""
    folder = os.environ.get("ALUMNET_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)


def fits(page, width: int) -> None:
    """The loaded page is no wider than the screen (nothing scrolls sideways)."""
    page.wait_for_load_state()  # not in the middle of a navigation (no document yet)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: {scroll}px wide on a {width}px screen"
