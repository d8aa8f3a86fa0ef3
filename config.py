"""Configuration classes. Secrets and connections come from the environment.

`instance/config.py`, when present, is loaded on top (see `app.create_app`). The configuration
is named by ALUMNET_CONFIG; unset, it is production, which refuses to start unsafe
(`ProductionConfig.problems`). Only scripts/run.sh and the tests choose development or testing.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants the psycopg driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def host_list(value: str | None) -> list[str] | None:
    """TRUSTED_HOSTS as written in the environment: host names separated by commas."""
    hosts = [h.strip() for h in (value or "").split(",") if h.strip()]
    return hosts or None


# Secrets printed in this repository: anyone can sign a session with them.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
PUBLISHED_SECRET_KEYS = {DEVELOPMENT_SECRET_KEY, "testing-secret", "change-me", "secret"}
MIN_SECRET_KEY_LENGTH = 32


class Config:
    # Read from the environment when the app starts (app.configure), not at import.
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'alumnet.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # SQLite only: NORMAL or FULL (app._sqlite_synchronous; read from the environment at start)
    SQLITE_SYNCHRONOUS = "NORMAL"

    MAIL_SERVER = os.environ.get("MAIL_SERVER")  # unset: messages go to the log
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "alumni-office@alumnet.example")

    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", REDIS_URL or "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "5 per 15 minutes")
    # Failed sign-ins from one address whatever the account (password spraying).
    LOGIN_ADDRESS_FAILURE_LIMIT = os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30 per hour")
    # Links that do not work (unknown, used, expired) tried from one address, all link pages.
    TOKEN_LINK_FAILURE_LIMIT = os.environ.get("TOKEN_LINK_FAILURE_LIMIT", "20 per hour")

    BOOTSTRAP_SERVE_LOCAL = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", "14")))
    # Sessions end after this long unused (staff, alumni) and after SESSION_MAX_HOURS in any case.
    SESSION_IDLE_MINUTES_STAFF = int(os.environ.get("SESSION_IDLE_MINUTES_STAFF", "120"))
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "480"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_MAX_HOURS)
    # The cookie is written only when the session changed (the idle clock changes it once a
    # minute). Rewriting it on every answer let a late answer (a favicon, a stylesheet) sent
    # with the previous cookie undo what a newer page had put in the session.
    SESSION_REFRESH_EACH_REQUEST = False
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

    INVITATION_TTL_HOURS = int(os.environ.get("INVITATION_TTL_HOURS", "336"))  # 14 days
    PASSWORD_RESET_TTL_HOURS = int(os.environ.get("PASSWORD_RESET_TTL_HOURS", "2"))
    EMAIL_CHANGE_TTL_HOURS = int(os.environ.get("EMAIL_CHANGE_TTL_HOURS", "48"))
    PER_PAGE = 25
    # Whole-register counts shown on every view (dashboard tiles, a campaign's cohort size)
    # may be this many seconds old; the page says when they were counted (app.core.figure_cache)
    FIGURE_CACHE_SECONDS = int(os.environ.get("FIGURE_CACHE_SECONDS", "60"))
    # How long each kind of record is kept, in days, by rule name (app/privacy/retention.py
    # lists the rules and their defaults; README "Privacy: rights and retention"). Set a
    # rule here or in instance/config.py, or as RETENTION_<RULE>_DAYS in the environment.
    PRIVACY_RETENTION_DAYS: dict = {}
    # The largest request body any page takes (an agreement document: 5 MB); the import
    # upload allows IMPORT_MAX_BYTES (40 MB by default) instead.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(8 * 1024 * 1024)))
    # Links in e-mail are built from this when set (behind a proxy, for jobs without a request).
    BASE_URL = os.environ.get("BASE_URL")
    # Host names a request may name in its Host header (Flask refuses others with 400); links
    # built from a request use its host, so only these can appear in them.
    TRUSTED_HOSTS = host_list(os.environ.get("TRUSTED_HOSTS"))


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
    TRUSTED_HOSTS = Config.TRUSTED_HOSTS or ["localhost", "127.0.0.1"]


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    ARGON2_PROFILE = "cheapest"
    REDIS_URL = None  # tests that need Redis read TEST_REDIS_URL themselves
    MAIL_SERVER = None
    TRUSTED_HOSTS = None  # tests name the addresses they try; the Host rule is tested on its own
    FIGURE_CACHE_SECONDS = 0  # every count afresh (the cache is tested on its own)
    DASHBOARD_AUTO_REFRESH = False  # a test refreshes the landing page's figures itself


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @staticmethod
    def problems(config: dict, *, debug: bool) -> list[str]:
        """What keeps this configuration from running in production (empty: it may start)."""
        found = []
        key = config.get("SECRET_KEY") or ""
        if not key:
            found.append("SECRET_KEY is not set.")
        elif key in PUBLISHED_SECRET_KEYS:
            found.append("SECRET_KEY is a published value (from the README or the tests).")
        elif len(key) < MIN_SECRET_KEY_LENGTH:
            found.append(f"SECRET_KEY has {len(key)} characters; use at least "
                         f"{MIN_SECRET_KEY_LENGTH}.")
        elif len(set(key)) < 10:
            found.append("SECRET_KEY repeats a few characters; use a random value.")
        base = urlsplit(config.get("BASE_URL") or "")
        if base.scheme not in ("http", "https") or not base.hostname:
            found.append("BASE_URL is not set to the public address of the site "
                         "(e.g. https://alumni.example.edu); e-mailed links are built from it.")
        if debug:
            found.append("debug is on (FLASK_DEBUG or DEBUG): the debugger runs code for "
                         "anyone who reaches an error page.")
        return found

    @staticmethod
    def check(config: dict, *, debug: bool) -> None:
        """Refuse to start with a weak secret, no BASE_URL or debug on; else trust only the
        host of BASE_URL (or TRUSTED_HOSTS) in requests."""
        found = ProductionConfig.problems(config, debug=debug)
        if found:
            raise RuntimeError(
                "Production refuses to start:\n  - " + "\n  - ".join(found) + "\n"
                "Set these in the environment (see the README, Configuration); generate a "
                "secret with: python -c 'import secrets; print(secrets.token_urlsafe(48))'. "
                "On a developer machine use scripts/run.sh or ALUMNET_CONFIG=development.")
        if not config.get("TRUSTED_HOSTS"):
            config["TRUSTED_HOSTS"] = [urlsplit(config["BASE_URL"]).hostname]


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
