"""Security headers on every response; no caching of pages and downloads."""

from __future__ import annotations

from app import create_app
from tests.deploy.test_start import STRONG


def test_pages_carry_the_security_headers(as_role):
    response = as_role("officer").get("/alumni/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "img-src 'self' data:" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # not in development or tests


def test_downloads_and_error_pages_are_not_stored(as_role, world):
    client = as_role("officer")
    download = client.get("/imports/export.csv")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    missing = client.get("/alumni/999999")
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in missing.headers


def test_static_files_may_be_cached(client):
    response = client.get("/static/alumnet.css")
    assert response.status_code == 200 and "no-store" not in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_production_sends_hsts_over_https(database_url):
    app = create_app("production", SQLALCHEMY_DATABASE_URI=database_url, SECRET_KEY=STRONG,
                     BASE_URL="https://alumni.example.edu")
    response = app.test_client().get("/auth/login", base_url="https://alumni.example.edu")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Content-Security-Policy" in response.headers


def test_no_template_has_inline_script_or_handlers():
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "app" / "templates"
    found = []
    for path in templates.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
                r"\son[a-z]+\s*=", text) or re.search(r"\sstyle\s*=", text):
            found.append(str(path.relative_to(templates)))
    assert not found, found
