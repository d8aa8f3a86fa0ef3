"""How the app starts, tested in a fresh process as a server starts it: the configuration is
chosen by ALUMNET_CONFIG (production when unset) and production refuses to start unsafe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG = "kR3v9-Qe7tLm2xWp8ZcN4bYh6JsA1dUf5gHo0iVy"  # 40 characters, random-looking
START = "from app import create_app; app = create_app(); print(app.config['ALUMNET_CONFIG_NAME'])"
SETTINGS = ("ALUMNET_CONFIG", "SECRET_KEY", "BASE_URL", "TRUSTED_HOSTS", "FLASK_DEBUG",
            "DATABASE_URL", "FLASK_APP", "REDIS_URL", "SQLITE_SYNCHRONOUS")


def start(code: str = START, **env: str) -> subprocess.CompletedProcess:
    """Run `code` in a new Python process with only the given settings in its environment."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    clean.setdefault("DATABASE_URL", "sqlite://")
    clean.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=120)


def production_env(**extra: str) -> dict:
    env = {"SECRET_KEY": STRONG, "BASE_URL": "https://alumni.example.edu"}
    env.update(extra)
    return env


def test_production_starts_with_the_secret_key_exported_as_the_readme_says():
    result = start(**production_env(ALUMNET_CONFIG="production"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "production"


def test_without_alumnet_config_it_is_production():
    result = start(**production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "production"
    unconfigured = start()
    assert unconfigured.returncode != 0
    assert "SECRET_KEY" in unconfigured.stderr and "BASE_URL" in unconfigured.stderr


@pytest.mark.parametrize("secret, why", [
    ("dev-only-not-secret", "published"),
    ("testing-secret", "published"),
    ("short-secret-123", "at least 32"),
    ("a" * 40, "random"),
])
def test_production_refuses_a_weak_secret(secret, why):
    result = start(**production_env(SECRET_KEY=secret))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and why in result.stderr


def test_production_refuses_without_base_url():
    env = production_env()
    del env["BASE_URL"]
    result = start(**env)
    assert result.returncode != 0 and "BASE_URL" in result.stderr
    result = start(**production_env(BASE_URL="alumni.example.edu"))
    assert result.returncode != 0 and "BASE_URL" in result.stderr


def test_production_refuses_debug():
    result = start(**production_env(FLASK_DEBUG="1"))
    assert result.returncode != 0 and "debug" in result.stderr


def test_production_trusts_the_host_of_base_url_unless_told_otherwise():
    code = "from app import create_app; print(create_app().config['TRUSTED_HOSTS'])"
    assert start(code, **production_env()).stdout.strip() == "['alumni.example.edu']"
    listed = start(code, **production_env(TRUSTED_HOSTS="alumni.example.edu, 10.0.0.5"))
    assert listed.stdout.strip() == "['alumni.example.edu', '10.0.0.5']"


def test_an_unknown_configuration_name_is_refused():
    result = start(**production_env(ALUMNET_CONFIG="prod"))
    assert result.returncode != 0 and "ALUMNET_CONFIG" in result.stderr


def test_development_is_chosen_explicitly_and_runs_without_settings():
    result = start(ALUMNET_CONFIG="development")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "development"


SYNCHRONOUS = ("from app import create_app; from app.extensions import db; "
               "from sqlalchemy import text; app = create_app()\n"
               "with app.app_context(), db.engine.connect() as conn:\n"
               "    print(conn.execute(text('PRAGMA synchronous')).scalar())")


@pytest.mark.parametrize("setting,level", [(None, "1"), ("full", "2"), ("NORMAL", "1")])
def test_sqlite_commits_wait_for_the_disk_as_sqlite_synchronous_says(tmp_path, setting, level):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'alumnet.db'}")
    if setting:
        env["SQLITE_SYNCHRONOUS"] = setting
    result = start(SYNCHRONOUS, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == level


def test_an_unknown_sqlite_synchronous_is_refused(tmp_path):
    result = start(**production_env(SQLITE_SYNCHRONOUS="off",
                                    DATABASE_URL=f"sqlite:///{tmp_path / 'alumnet.db'}"))
    assert result.returncode != 0
    assert "SQLITE_SYNCHRONOUS='OFF' is not one of: NORMAL, FULL" in result.stderr
