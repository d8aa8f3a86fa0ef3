"""Links never follow a Host header that is not ours: production builds them from BASE_URL and
refuses other hosts; development accepts only the hosts in TRUSTED_HOSTS."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.core.jobs import wait_for_idle
from tests.deploy.test_start import STRONG


def _reset_link(sink, email: str) -> str:
    wait_for_idle()  # the reset mail goes out from a background job
    [message] = sink.to(email)
    return re.search(r"\S+/auth/reset/\S+", sink.text(message)).group(0)


@pytest.fixture
def site(database_url, smtp_server):
    """make(config, **settings): the app in that configuration, on the test database, mailing
    to the loopback SMTP server."""

    def make(name: str, **settings):
        return create_app(name, SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=False,
                          MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                          MAIL_SUPPRESS_SEND=False, ARGON2_PROFILE="cheapest", **settings)

    return make


def test_development_refuses_a_reset_request_naming_another_host(site, world, smtp_server):
    email = world.users["officer"].email
    client = site("development").test_client()
    refused = client.post("/auth/reset", data={"email": email},
                          headers={"Host": "evil.example"})
    assert refused.status_code == 400
    wait_for_idle()
    assert smtp_server.messages == []
    sent = client.post("/auth/reset", data={"email": email}, headers={"Host": "127.0.0.1:5000"})
    assert sent.status_code == 302
    assert _reset_link(smtp_server, email).startswith("http://127.0.0.1:5000/auth/reset/")


def test_development_trusts_the_hosts_listed(site, world, smtp_server):
    app = site("development", TRUSTED_HOSTS=["alumni.test", "192.168.1.20"])
    email = world.users["officer"].email
    response = app.test_client().post("/auth/reset", data={"email": email},
                                      headers={"Host": "192.168.1.20:5000"})
    assert response.status_code == 302
    assert _reset_link(smtp_server, email).startswith("http://192.168.1.20:5000/auth/reset/")
    assert app.test_client().get("/auth/login", headers={"Host": "localhost"}).status_code == 400


def test_production_links_use_base_url_and_other_hosts_are_refused(site, world, smtp_server):
    app = site("production", SECRET_KEY=STRONG, BASE_URL="https://alumni.example.edu")
    email = world.users["quality"].email
    client = app.test_client()
    refused = client.post("/auth/reset", data={"email": email}, headers={"Host": "evil.example"})
    assert refused.status_code == 400
    wait_for_idle()
    assert smtp_server.messages == []
    sent = client.post("/auth/reset", data={"email": email},
                       base_url="http://alumni.example.edu:8000")
    assert sent.status_code == 302
    assert _reset_link(smtp_server, email).startswith("https://alumni.example.edu/auth/reset/")
