"""Absolute links for e-mail: BASE_URL, else the address a job was started from, else the
current request; production with none of them refuses rather than mail a localhost link."""

from __future__ import annotations

import pytest

from app.core.urls import external_url


def test_in_a_request_the_link_has_the_request_address(app):
    with app.test_request_context(base_url="http://alumni.example.ac.th:8443/"):
        assert external_url("employment.answer", token="t1") == (
            "http://alumni.example.ac.th:8443/survey/t1")


def test_outside_a_request_the_given_address_is_used(app):
    """A background job builds links from the address of the request that started it."""
    assert external_url("employment.answer", token="t1",
                        base_url="https://alumni.example.ac.th:8443/") == (
        "https://alumni.example.ac.th:8443/survey/t1")


def test_base_url_setting_wins(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://alumni.example.edu/")
    assert external_url("employment.answer", token="t1", base_url="http://10.0.0.5:8000/") == (
        "https://alumni.example.edu/survey/t1")
    with app.test_request_context(base_url="http://10.0.0.5:8000/"):
        assert external_url("employment.answer", token="t1") == (
            "https://alumni.example.edu/survey/t1")


def test_production_without_an_address_refuses(monkeypatch):
    """Production does not start without BASE_URL; with it, links use it whatever the host."""
    from app import create_app

    monkeypatch.setenv("SECRET_KEY", "kR3v9-Qe7tLm2xWp8ZcN4bYh6JsA1dUf5gHo0iVy")
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://", BASE_URL=None)
    production = create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://",
                            BASE_URL="https://alumni.example.edu/")
    with production.app_context():
        assert external_url("employment.answer", token="t1", base_url="https://a.example/") == (
            "https://alumni.example.edu/survey/t1")
    with production.test_request_context(base_url="https://alumni.example.edu:8443/"):
        assert external_url("employment.answer", token="t1") == (
            "https://alumni.example.edu/survey/t1")
