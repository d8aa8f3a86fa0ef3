"""Security headers on every response (through Flask-Talisman), and no caching of pages.

The Content-Security-Policy allows scripts, styles and images from this site only: no inline
script, event handler or style attribute (pages use data attributes read by static/alumnet.js),
and `data:` images for Bootstrap's icons. No page may be framed. HSTS is sent in production
(over HTTPS). Every response but static files is `Cache-Control: no-store`: pages and
downloads carry personal data and must not stay in a shared or browser cache.
"""

from __future__ import annotations

from flask import Flask, request
from flask_talisman import Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()"}
STATIC_ENDPOINTS = {"static", "bootstrap.static"}



def _no_store(response):
    if request.endpoint not in STATIC_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Headers for every response; cookie settings stay those of config.py. One Talisman per
    app: it keeps its options on itself, and tests build apps of several configurations."""
    app.extensions["talisman"] = Talisman(
        app,
        force_https=False,  # TLS ends at the proxy in front (see README, Deployment)
        session_cookie_secure=False,  # config.py decides (ProductionConfig: secure)
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE"),
        session_cookie_http_only=app.config.get("SESSION_COOKIE_HTTPONLY", True),
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS_POLICY,
        strict_transport_security=app.config.get("ALUMNET_CONFIG_NAME") == "production",
        strict_transport_security_include_subdomains=False,
    )
    app.after_request(_no_store)
