"""Issue 10, item 9: limits that hold across accounts, link pages and processes, and client
addresses taken from trusted proxies only."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from app import create_app
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _fail(client, email, **headers):
    return client.post("/auth/login", data={"email": email, "password": "wrong-password-here"},
                       headers=headers)


def test_one_address_trying_many_accounts_is_paused(app, client, world):
    app.config["LOGIN_ADDRESS_FAILURE_LIMIT"] = "3 per hour"
    try:
        for n in range(3):
            assert _fail(client, f"someone{n}@example.org").status_code == 401
        response = client.post("/auth/login", data={"email": world.users["officer"].email,
                                                    "password": PASSWORD})
        assert response.status_code == 429
        assert "Too many failed sign-in attempts from your address" in response.get_data(
            as_text=True)
    finally:
        app.config["LOGIN_ADDRESS_FAILURE_LIMIT"] = "30 per hour"


def test_guessing_one_time_links_is_paused_across_all_link_pages(app, client, world):
    app.config["TOKEN_LINK_FAILURE_LIMIT"] = "4 per hour"
    try:
        for path in ("/auth/reset/guess1", "/auth/claim/guess2", "/survey/guess3",
                     "/mentoring/outcome/guess4"):
            assert client.get(path).status_code in (404, 410), path
        for path in ("/employer-survey/guess5", "/auth/welcome/guess6"):
            response = client.get(path)
            assert response.status_code == 429, path
        assert "Too many links that do not work" in response.get_data(as_text=True)
    finally:
        app.config["TOKEN_LINK_FAILURE_LIMIT"] = "20 per hour"


@pytest.fixture
def proxied_app(database_url):
    """The app as started behind one reverse proxy (TRUSTED_PROXY_COUNT=1)."""
    return create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, TRUSTED_PROXY_COUNT=1,
                      LOGIN_ADDRESS_FAILURE_LIMIT="2 per hour")


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(proxied_app, world):
    client = proxied_app.test_client()
    for _ in range(2):
        assert _fail(client, "x@example.org", **{"X-Forwarded-For": "203.0.113.7"}
                     ).status_code == 401
    assert _fail(client, "y@example.org", **{"X-Forwarded-For": "203.0.113.7"}
                 ).status_code == 429
    assert _fail(client, "y@example.org", **{"X-Forwarded-For": "198.51.100.9"}
                 ).status_code == 401


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(app, client, world):
    app.config["LOGIN_ADDRESS_FAILURE_LIMIT"] = "2 per hour"
    try:
        for n in range(2):
            assert _fail(client, "x@example.org", **{"X-Forwarded-For": f"203.0.113.{n}"}
                         ).status_code == 401
        assert _fail(client, "x@example.org", **{"X-Forwarded-For": "198.51.100.9"}
                     ).status_code == 429
    finally:
        app.config["LOGIN_ADDRESS_FAILURE_LIMIT"] = "30 per hour"


_WORKER = """
import sys
from app import create_app
database, redis_url, prefix, email, tries = sys.argv[1:6]
app = create_app("testing", SQLALCHEMY_DATABASE_URI=database, REDIS_URL=redis_url,
                 RATELIMIT_KEY_PREFIX=prefix, LOGIN_FAILURE_LIMIT="3 per hour")
client = app.test_client()
print(" ".join(str(client.post("/auth/login", data={"email": email,
      "password": "wrong-password-here"}).status_code) for _ in range(int(tries))))
"""


def _worker(database_url, redis_url, prefix, email, tries) -> list[int]:
    result = subprocess.run([sys.executable, "-c", _WORKER, database_url, redis_url, prefix,
                             email, str(tries)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "ALUMNET_CONFIG": "testing"})
    assert result.returncode == 0, result.stderr[-2000:]
    return [int(code) for code in result.stdout.split()]


def test_sign_in_limit_holds_across_worker_processes_through_redis(database_url, world):
    """Two worker processes with REDIS_URL set count against one limit: 2 failures in the
    first and 1 in the second use up "3 per hour"; the second's next try is refused."""
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        if os.environ.get("ALUMNET_REQUIRE_SERVICES") == "1":
            pytest.fail("TEST_REDIS_URL is not set")
        pytest.skip("TEST_REDIS_URL is not set")
    from redis import Redis

    prefix = f"alumnet-test-{uuid.uuid4().hex[:8]}"
    email = world.users["officer"].email
    try:
        assert _worker(database_url, redis_url, prefix, email, 2) == [401, 401]
        assert _worker(database_url, redis_url, prefix, email, 2) == [401, 429]
    finally:
        redis = Redis.from_url(redis_url)
        for key in redis.scan_iter(f"*{prefix}*"):
            redis.delete(key)
