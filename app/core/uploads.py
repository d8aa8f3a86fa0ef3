"""How large a request body may be: `MAX_CONTENT_LENGTH` for every request, and a larger
limit for the few pages that take big files (the import upload), named by endpoint.

A body over the limit is refused with 413 and a page that says the limit, before anything
reads it; the limit is set before any other request step (the CSRF check reads the form).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request

FORM_ROOM = 1024 * 1024  # the multipart wrapping and the other fields around a file

_LARGE_UPLOADS: dict[str, Callable[[], int]] = {}


def allow_large_upload(endpoint: str, file_limit: Callable[[], int]) -> None:
    """Let requests to `endpoint` carry a file of up to `file_limit()` bytes."""
    _LARGE_UPLOADS[endpoint] = file_limit


def _apply_upload_limit() -> None:
    file_limit = _LARGE_UPLOADS.get(request.endpoint or "")
    if file_limit is not None:
        request.max_content_length = file_limit() + FORM_ROOM


def register_upload_limits(app: Flask) -> None:
    """Run the per-page limit before every other request step."""
    app.before_request_funcs.setdefault(None, []).insert(0, _apply_upload_limit)


def body_limit_mb() -> float | None:
    """The limit the current request was held to, in MB (for the 413 page)."""
    limit = request.max_content_length
    return None if limit is None else limit / (1024 * 1024)
