"""Every page, as every role, at laptop and phone size, checked by axe-core in Chromium.

The pages and their URL parameters are the page-access walk's (tests/test_page_access.py and
tests/url_params.py), so a new page is checked the moment it exists; the records are the demo
institution's (`flask seed-demo`), so lists are long and wide as in use. Each page is checked once
per screen size, signed in as the role with the fewest rights that may open it (a figure page
as quality staff, a form as an officer, the administration as an administrator), so every
role's menu and pages are seen and the walk stays a few minutes long. axe-core is the npm
package pinned in tests/e2e/axe/package.json, installed there by .ci/run (`npm ci`); it is
injected into each page and run with the WCAG 2.1 A and AA rules. A serious or critical
violation fails the test, naming the page, the rule and the elements; so does an error in the
browser console (a missing favicon was one).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.permissions import PUBLIC
from tests.conftest import World, sign_in
from tests.e2e.conftest import _need, sign_in_page
from tests.test_page_access import _routes, _url

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# td-has-header (WCAG 1.3.1, level A) is marked experimental in axe-core, so off unless asked
EXTRA_RULES = {"td-has-header": {"enabled": True}}
FAILING_IMPACTS = {"serious", "critical"}
SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
ROLES = ("anonymous", "alumnus", "quality", "officer", "admin")  # fewest rights first
SHOTS = os.environ.get("ALUMNET_SCREENSHOTS")


def checking_role(allowed) -> str:
    """The role a page is checked as: the one with the fewest rights that may open it."""
    if allowed == PUBLIC:
        return "anonymous"
    return next(role for role in ROLES if role in allowed)


def pages_for(app, world, client, role: str) -> list[str]:
    """The HTML pages checked as `role` (their URLs filled as the access test fills them)."""
    urls = []
    for rule, view in _routes(app, "GET"):
        if checking_role(view.allowed_roles) != role:
            continue
        url, _ = _url(app, rule, world)
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            urls.append(url)
    return sorted(set(urls))


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "([tags, rules]) => axe.run(document, {runOnly: {type: 'tag', values: tags}, rules, "
        "resultTypes: ['violations']})", [WCAG_TAGS, EXTRA_RULES])
    return [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]


def _report(found: dict[str, dict]) -> str:
    """One paragraph per rule: what it asks, the pages and a few of the elements."""
    lines = []
    for rule, seen in sorted(found.items()):
        lines.append(f"{rule} ({seen['impact']}): {seen['help']} on {len(seen['pages'])} pages: "
                     f"{', '.join(seen['pages'][:12])}")
        for target, summary in list(seen["nodes"].items())[:4]:
            lines.append(f"    {target}: {summary[:220]}")
    return "\n".join(lines)


@pytest.fixture
def demo_world(runner, db, make_programme, make_alumnus, make_user) -> World:
    """The demo institution as `flask seed-demo` fills it (lists long enough to scroll, real
    names in several scripts), seen as the access test's `world`: its users, a programme, the
    alumnus with an account, another alumnus, and a second institution with its officer."""
    from sqlalchemy import select

    from app.alumni.models import Alumnus, Institution, Programme
    from app.auth.demo import DEMO_LOGINS
    from app.auth.models import User

    result = runner.invoke(args=["seed-demo", "--alumni", "80", "--seed", "11"])
    assert result.exit_code == 0, result.output
    home = db.session.scalar(select(Institution).where(Institution.is_home.is_(True)))
    other = db.session.scalar(select(Institution).where(Institution.id != home.id)
                              .order_by(Institution.id))
    users = {role: db.session.scalar(select(User).where(User.email == email))
             for role, email, _, _ in DEMO_LOGINS}
    alumnus = db.session.scalar(select(Alumnus).where(Alumnus.user_id == users["alumnus"].id))
    second = db.session.scalar(select(Alumnus).where(
        Alumnus.institution_id == home.id, Alumnus.id != alumnus.id).order_by(Alumnus.id))
    programme = db.session.get(Programme, alumnus.programme_id)
    other_programme = make_programme(other, code="AXE")
    other_alumnus = make_alumnus(other, programme_id=other_programme.id)
    users["other_officer"] = make_user("officer", other)
    return World(home, other, programme, other_programme, alumnus, second, other_alumnus, users)


def _passwords() -> dict[str, str]:
    from app.auth.demo import DEMO_LOGINS

    return {email: password for _, email, password, _ in DEMO_LOGINS}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_page_passes_axe(app, demo_world, live_server, browser, size):
    if not AXE.is_file():
        _need("axe-core is not installed (npm ci --prefix tests/e2e/axe)")
    world, phone = demo_world, size == "phone"
    pages = {role: pages_for(app, world, _client(app, world, role), role) for role in ROLES}
    assert all(len(urls) >= 2 for urls in pages.values()), pages
    found: dict[str, dict] = {}
    console_errors: list[str] = []
    for role in ROLES:
        # bypass_csp: the test injects axe-core as a script the pages' policy would refuse
        context = browser.new_context(viewport=SIZES[size], is_mobile=phone, has_touch=phone,
                                      bypass_csp=True)
        page = context.new_page()
        page.on("console", lambda msg, page=page: msg.type == "error" and console_errors.append(
            f"{page.url}: {msg.text}"))
        try:
            if role != "anonymous":
                user = world.users[role]
                sign_in_page(page, live_server, user.email, _passwords()[user.email])
                page.wait_for_load_state()
            for url in pages[role]:
                page.goto(live_server + url)
                for v in axe_violations(page):
                    seen = found.setdefault(v["id"], {"impact": v["impact"], "help": v["help"],
                                                      "pages": [], "nodes": {}})
                    seen["pages"].append(f"{role}: {url}")
                    for node in v["nodes"]:
                        seen["nodes"].setdefault(", ".join(node["target"]), " ".join(
                            node.get("failureSummary", "").split()))
                if SHOTS:
                    name = url.strip("/").replace("/", "_").replace("?", "_") or "home"
                    page.screenshot(path=os.path.join(SHOTS, f"{size}-{role}-{name}.png"),
                                    full_page=True)
        finally:
            context.close()
    assert not found, "axe-core found serious or critical violations:\n" + _report(found)
    assert not console_errors, "\n".join(console_errors)


def _client(app, world, role: str):
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, world.users[role])
    return client
