"""Every page, visited by every role: who gets in, who is sent to sign in, who gets 403/404.

The routes come from the app itself, so a new page is covered the moment it exists; the
roles each page allows come from its `roles_required(...)` (or `public`) marker, and a page
without a marker fails here.
"""

from __future__ import annotations

import pytest

from app.core.permissions import PUBLIC
from tests.url_params import URL_PARAMS

ROLES = ("anonymous", "alumnus", "quality", "officer", "admin", "other_officer")
SKIP_ENDPOINTS = {"static", "bootstrap.static"}


def _routes(app, method: str):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP_ENDPOINTS or method not in rule.methods:
            continue
        yield rule, app.view_functions[rule.endpoint]


def _url(app, rule, world) -> tuple[str, bool]:
    from flask import url_for

    values, owned = {}, False
    for arg in sorted(rule.arguments):
        param = URL_PARAMS.get(arg)
        assert param is not None, (
            f"{rule.endpoint}: add an entry for URL parameter '{arg}' in tests/url_params.py"
        )
        values[arg] = param.make(world)
        owned = owned or param.owned
    with app.test_request_context():
        return url_for(rule.endpoint, **values), owned


def _effective_role(role: str) -> str:
    return "officer" if role == "other_officer" else role


def test_every_view_declares_who_may_open_it(app):
    missing = [
        rule.endpoint
        for rule, view in _routes(app, "GET")
        if getattr(view, "allowed_roles", None) is None
    ] + [
        rule.endpoint
        for rule, view in _routes(app, "POST")
        if getattr(view, "allowed_roles", None) is None
    ]
    assert not missing, f"views without roles_required/public: {sorted(set(missing))}"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_as_every_role(app, world, as_role, role):
    client = as_role(role)
    failures = []
    checked = 0
    for rule, view in _routes(app, "GET"):
        url, owned = _url(app, rule, world)
        allowed = view.allowed_roles
        response = client.get(url)
        status = response.status_code
        checked += 1
        if allowed == PUBLIC:
            ok = status < 500 and status != 403
            expected = "not 403/5xx"
        elif role == "anonymous":
            ok = status == 302 and "/auth/login" in response.headers.get("Location", "")
            expected = "302 to sign-in"
        elif _effective_role(role) not in allowed:
            ok = status == 403
            expected = "403"
        elif role == "other_officer" and owned:
            ok = status == 404
            expected = "404 (another institution's record)"
        else:
            ok = status in (200, 302)
            expected = "200/302"
        if not ok:
            failures.append(f"{rule.endpoint} {url}: got {status}, expected {expected}")
    assert checked > 10
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["anonymous", "alumnus", "quality"])
def test_writes_refused_to_roles_without_write_access(app, world, as_role, role):
    """Quality staff change nothing; alumni and visitors cannot post to staff pages."""
    client = as_role(role)
    failures = []
    for rule, view in _routes(app, "POST"):
        allowed = view.allowed_roles
        if allowed == PUBLIC or role in allowed:
            continue
        url, _ = _url(app, rule, world)
        response = client.post(url, data={})
        status = response.status_code
        expected = 302 if role == "anonymous" else 403
        if status != expected:
            failures.append(f"POST {rule.endpoint} {url}: got {status}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_officer_of_another_institution_cannot_post_to_our_records(app, world, as_role, db):
    """Every write on a record of the home institution is refused to the other officer."""
    from app.core.audit import AuditEntry

    client = as_role("other_officer")
    failures = []
    for rule, view in _routes(app, "POST"):
        allowed = view.allowed_roles
        if allowed == PUBLIC or "officer" not in allowed:
            continue
        url, owned = _url(app, rule, world)
        if not owned:
            continue
        before = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
        response = client.post(url, data={})
        after = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
        if response.status_code not in (403, 404) or after != before:
            failures.append(f"POST {rule.endpoint} {url}: got {response.status_code}"
                            f"{', and it wrote to the audit log' if after != before else ''}")
    assert not failures, "\n".join(failures)


# URL parameters that name a record of one person: an alumnus may reach only their own.
PERSONAL_PARAMS = {"employment_id", "mentorship_id", "participation_id", "alumnus_id",
                   "rights_request_id"}


def test_alumnus_cannot_reach_another_alumnus_records_by_url(app, world, as_role, db):
    """Self-service pages with an id: the ids of another alumnus's records get 403/404 and
    nothing is written, whatever is posted."""
    from dataclasses import replace

    from app.core.audit import AuditEntry

    # the same records, built for another alumnus of the same institution
    theirs = replace(world, alumnus=world.second_alumnus)
    client = as_role("alumnus")
    checked, failures = 0, []
    for method in ("GET", "POST"):
        for rule, view in _routes(app, method):
            if "alumnus" not in view.allowed_roles or not rule.arguments & PERSONAL_PARAMS:
                continue
            url, _ = _url(app, rule, theirs)
            before = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
            response = client.open(url, method=method, data={"status": "accepted"})
            after = db.session.scalar(db.select(db.func.count(AuditEntry.id)))
            checked += 1
            if response.status_code not in (403, 404) or after != before:
                failures.append(f"{method} {rule.endpoint} {url}: {response.status_code}")
    assert checked >= 6
    assert not failures, "\n".join(failures)
