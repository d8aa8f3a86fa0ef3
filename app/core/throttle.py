"""Rate limits shared by several pages. The limiter's store is Redis wherever REDIS_URL is set
(see `app.configure`), so every worker process and host counts against the same limits.

Client addresses are `request.remote_addr`, which ProxyFix sets from X-Forwarded-For only for
the number of proxies named in TRUSTED_PROXY_COUNT.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_babel import gettext
from flask_limiter.util import get_remote_address

from app.extensions import limiter

_MISSED = (404, 410)  # how the link pages answer a link that does not work


def token_link_limit(view: Callable[..., Any]) -> Callable[..., Any]:
    """Limit how many unusable one-time links (claim, reset, staff invitation, tracer survey,
    employer survey, mentoring outcome) one address may try: one budget across all of them,
    so guessing links is slow, while people opening their own working link are never held."""
    return limiter.shared_limit(
        lambda: current_app.config["TOKEN_LINK_FAILURE_LIMIT"],
        scope="one-time-links",
        key_func=get_remote_address,
        deduct_when=lambda response: response.status_code in _MISSED,
        error_message=lambda: gettext(
            "Too many links that do not work were tried from your address."),
    )(view)
