"""No 500 on odd numbers: every route with a twenty-digit id is a 404, and every page with a
twenty-digit value in each query parameter the app reads answers without a server error."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from werkzeug.routing import IntegerConverter

from tests.test_page_access import _routes, _url

HUGE = "9" * 20
APP_DIR = Path(__file__).resolve().parents[2] / "app"


def _query_parameter_names() -> set[str]:
    """Every query parameter the app reads (`args.get("name"`, `args["name"]`), and paging."""
    names = {"page", "per_page"}
    pattern = re.compile(r"""args(?:\.get|\.getlist)?[\(\[]\s*["']([a-z_]+)["']""")
    for path in APP_DIR.rglob("*.py"):
        names.update(pattern.findall(path.read_text()))
    return names


def _int_arguments(rule) -> list[str]:
    return [arg for arg, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]


def _with_huge_ids(app, rule, world) -> str:
    from flask import url_for

    from tests.url_params import URL_PARAMS

    values = {arg: URL_PARAMS[arg].make(world) for arg in rule.arguments}
    values.update({arg: int(HUGE) for arg in _int_arguments(rule)})
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def _int_rules(app, method: str):
    for rule, view in _routes(app, method):
        if _int_arguments(rule):
            yield rule, view


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_every_route_with_a_twenty_digit_id_is_not_found(app, world, as_role, role):
    client = as_role(role)
    failures, checked = [], 0
    for method in ("GET", "POST"):
        for rule, _ in _int_rules(app, method):
            url = _with_huge_ids(app, rule, world)
            status = client.open(url, method=method, data={}).status_code
            checked += 1
            if status != 404:
                failures.append(f"{method} {url}: {status}")
    assert checked > 40
    assert not failures, "\n".join(failures)


def test_the_largest_id_the_database_holds_is_an_ordinary_not_found(as_role, world):
    client = as_role("admin")
    assert client.get(f"/alumni/{2**31 - 1}").status_code == 404
    assert client.get(f"/alumni/{2**31}").status_code == 404
    assert client.get(f"/alumni/{'9' * 5000}").status_code == 404


@pytest.mark.parametrize("role", ["admin", "officer", "alumnus"])
def test_twenty_digit_query_parameters_never_make_a_server_error(app, world, as_role, role):
    names = _query_parameter_names()
    assert {"institution", "programme", "cohort", "page"} <= names
    query = urlencode({name: HUGE for name in sorted(names)})
    client = as_role(role)
    failures = []
    for rule, _ in _routes(app, "GET"):
        url, _ = _url(app, rule, world)
        response = client.get(f"{url}?{query}")
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_twenty_digit_filter_reads_as_no_filter(as_role, world):
    """`?institution=` of twenty digits is treated as `?institution=abc` is: ignored."""
    client = as_role("admin")
    odd = client.get(f"/alumni/?institution={HUGE}")
    assert odd.status_code == 200
    assert world.alumnus.family_name in odd.get_data(as_text=True)
    assert client.get(f"/alumni/?page={HUGE}").status_code == 404
