"""Absolute links for e-mail, from a request or, in background jobs, from BASE_URL."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """An absolute URL; BASE_URL wins when set (proxies, jobs), else the current request."""
    base = current_app.config.get("BASE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = (base or "http://127.0.0.1:5000").rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
