"""Absolute links for e-mail: from BASE_URL, the current request, or the address a background
job was started from."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import current_app, has_request_context, request, url_for

# Development and tests only: where `flask run` listens when nothing else names an address.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"


def request_base_url() -> str | None:
    """The site address of the current request (with its script root), for a job to keep."""
    return request.url_root if has_request_context() else None


def external_url(endpoint: str, *, base_url: str | None = None, **values) -> str:
    """An absolute URL. BASE_URL wins when set (behind a proxy); else `base_url`, the address
    of the request that started a background job; else the current request. With none of them
    production refuses (a link to this machine would reach nobody); development and tests use
    the development server's address."""
    base = current_app.config.get("BASE_URL") or base_url
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    if not base:
        if not (current_app.debug or current_app.testing):
            raise RuntimeError(
                "No address for the links in this e-mail: it is sent outside a web request and "
                "BASE_URL is not set. Set BASE_URL to the public address of the site, e.g. "
                "https://alumni.example.edu, and send again.")
        base = DEVELOPMENT_BASE_URL
    with site_request_context(base):
        return url_for(endpoint, _external=True, **values)


def site_request_context(base: str | None = None):
    """A request context on the site's own address, for work outside a request that builds
    links (a background job, a command): `base`, else BASE_URL (with its path, so links carry
    the application root), else the first trusted host, else Flask's `localhost`. Flask's
    default `localhost` is refused where TRUSTED_HOSTS names the site (production, which
    trusts the host of BASE_URL): such a context has no URL adapter, and the first `url_for`
    fails."""
    base = base or current_app.config.get("BASE_URL")
    if not base:
        hosts = current_app.config.get("TRUSTED_HOSTS")
        base = f"http://{hosts[0].lstrip('.')}" if hosts else "http://localhost"
    return current_app.test_request_context(base_url=base.rstrip("/"))


def _site_path(value: str) -> bool:
    """True when a browser would read `value` as a path on this site: it starts with one slash,
    names no scheme or host, and holds no whitespace, control character or backslash (browsers
    drop tabs and newlines and read a backslash as a slash, so a slash, a tab, a slash and a
    host name lead off-site)."""
    if not value.startswith("/") or value.startswith("//"):
        return False
    path = value.split("?", 1)[0].split("#", 1)[0]  # a query's spaces are harmless
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in path):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str | None = None) -> str | None:
    """The `next` address to go to after a form, when it is a path on this site; else `default`.

    Checked as given and after percent-decoding (twice), so encoded slashes, tabs or
    backslashes cannot turn it into another site's address."""
    if not target or len(target) > 2000:
        return default
    value = target
    for _ in range(3):
        if not _site_path(value):
            return default
        value = unquote(value)
    return target
