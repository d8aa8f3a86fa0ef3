"""Configuration classes. Secrets and connections come from the environment.

`instance/config.py`, when present, is loaded on top (see `app.create_app`).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

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


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'alumnet.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

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
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

    INVITATION_TTL_HOURS = int(os.environ.get("INVITATION_TTL_HOURS", "336"))  # 14 days
    PASSWORD_RESET_TTL_HOURS = int(os.environ.get("PASSWORD_RESET_TTL_HOURS", "2"))
    EMAIL_CHANGE_TTL_HOURS = int(os.environ.get("EMAIL_CHANGE_TTL_HOURS", "48"))
    PER_PAGE = 25
    # The largest request body any page takes (an agreement document: 5 MB); the import
    # upload allows IMPORT_MAX_BYTES (40 MB by default) instead.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(8 * 1024 * 1024)))
    # Links in e-mail are built from this when set (behind a proxy, for jobs without a request).
    BASE_URL = os.environ.get("BASE_URL")


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    ARGON2_PROFILE = "cheapest"
    REDIS_URL = None  # tests that need Redis read TEST_REDIS_URL themselves
    MAIL_SERVER = None


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    @staticmethod
    def check(app_config: dict) -> None:
        """Refuse to start with a missing or development secret key."""
        if app_config.get("SECRET_KEY") in (None, "", Config.SECRET_KEY):
            raise RuntimeError(
                "SECRET_KEY is not set. Production refuses to start without it: "
                "export SECRET_KEY to a long random value."
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
