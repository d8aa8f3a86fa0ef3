"""Application factory: `create_app()` in named steps."""

from __future__ import annotations

import importlib
import logging
import os

from flask import Flask, render_template, request
from flask.helpers import get_debug_flag
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import SecurityError

from app.core.uploads import register_upload_limits
from config import CONFIGS, ProductionConfig

# Feature packages, each with a blueprint `bp` in its __init__.py. Order sets nothing but imports.
FEATURES = (
    "app.main",
    "app.auth",
    "app.admin",
    "app.alumni",
    "app.imports",
    "app.employment",
    "app.mentoring",
    "app.feedback",
    "app.contributions",
    "app.engagement",
    "app.exchange",
    "app.reports",
    "app.packs",
    "app.privacy",
    "app.directory",
    "app.breaches",
    "app.mailings",
)


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the Flask app: config, extensions, blueprints, hooks, error pages, commands."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, config_name, overrides)
    trust_proxies(app)
    register_request_checks(app)
    register_extensions(app)
    register_upload_limits(app)
    register_blueprints(app)
    register_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app: Flask, config_name: str | None, overrides: dict) -> None:
    # Fail closed: whatever is not explicitly development or testing is production.
    name = config_name or os.environ.get("ALUMNET_CONFIG") or "production"
    if name not in CONFIGS:
        raise RuntimeError(f"ALUMNET_CONFIG={name!r} is not one of: {', '.join(CONFIGS)}.")
    app.config.from_object(CONFIGS[name])
    app.config.from_pyfile("config.py", silent=True)  # instance/config.py
    if os.environ.get("SECRET_KEY"):  # read at start-up, not when config.py was imported
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("SQLITE_SYNCHRONOUS"):
        app.config["SQLITE_SYNCHRONOUS"] = os.environ["SQLITE_SYNCHRONOUS"].strip().upper()
    app.config.update(overrides)
    if app.config["SQLITE_SYNCHRONOUS"] not in SQLITE_SYNCHRONOUS_MODES:
        raise RuntimeError(f"SQLITE_SYNCHRONOUS={app.config['SQLITE_SYNCHRONOUS']!r} is not one "
                           f"of: {', '.join(SQLITE_SYNCHRONOUS_MODES)}.")
    app.config["ALUMNET_CONFIG_NAME"] = name
    if app.config.get("REDIS_URL") and app.config.get("RATELIMIT_STORAGE_URI") in (
            None, "", "memory://"):
        # Every worker process and host must count against the same limits.
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    if name == "production":
        # `flask run --debug` turns the debugger on through FLASK_DEBUG, whatever DEBUG says.
        ProductionConfig.check(app.config, debug=app.debug or get_debug_flag())
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    app.logger.setLevel(logging.INFO)


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT reverse proxies, take the client's address, scheme and host
    from their X-Forwarded-* headers (only that many hops: a client cannot add its own)."""
    hops = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_port=hops, x_prefix=hops)


SEARCH_PENDING_LIMIT = "256kB"  # PostgreSQL: see _connection_settings
# SQLite in WAL mode: NORMAL syncs the log at checkpoints, FULL at every commit as well (see
# _sqlite_synchronous).
SQLITE_SYNCHRONOUS_MODES = ("NORMAL", "FULL")


@event.listens_for(Engine, "connect")
def _connection_settings(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        # SQLite: enforce foreign keys, let readers and one writer work side by side, wait on
        # locks.
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.close()
    elif module.startswith("psycopg"):
        # PostgreSQL: no JIT compilation. A page's paged query has a large estimated cost
        # (the whole index it could walk) though it stops after 50 rows, and the server then
        # spent a second compiling it (measured: 1,004 ms of JIT for a 5 ms engagement list).
        # The register search's trigram index (GIN) keeps new entries in a pending list that
        # every search reads through until it is merged: at the server's 4 MB a search of
        # 100,000 alumni read 203 pending pages (2.5-3.5 ms); at 256 kB the list is merged
        # at most every 32 pages (0.2 ms). A bulk import sets its own (alumni_commit).
        # Session settings, committed so that the pool's rollback keeps them.
        with dbapi_connection.cursor() as cur:
            cur.execute("SET jit = off")
            cur.execute(f"SET gin_pending_list_limit = '{SEARCH_PENDING_LIMIT}'")
        dbapi_connection.commit()


def _sqlite_synchronous(app: Flask, db) -> None:  # noqa: ANN001
    """SQLite: how often a commit waits for the disk (SQLITE_SYNCHRONOUS). NORMAL, SQLite's
    advice for WAL mode: a commit that returned survives the app or a worker crashing, and the
    database stays whole after a power loss, which may undo the last commits before it; FULL
    also waits for the disk at every commit (a record's page writes its view to the audit log:
    measured at 100,000 alumni, 8 connections, 132-147 requests a second with a p99 of
    149-155 ms under FULL, 183-192 and 83-88 ms under NORMAL)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    mode = app.config["SQLITE_SYNCHRONOUS"]

    @event.listens_for(engine, "connect")
    def _synchronous(dbapi_connection, connection_record) -> None:  # noqa: ANN001
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA synchronous={mode}")
        cur.close()


def register_request_checks(app: Flask) -> None:
    """What every request gets, before any route exists: bounded numbers, security headers."""
    from app.core import headers, params

    params.init_app(app)
    headers.init_app(app)


def register_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext

    from app.core import i18n
    from app.extensions import bootstrap, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    _sqlite_synchronous(app, db)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to open that page.")
    login_manager.login_message_category = "info"
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    i18n.init_app(app)

    from app.auth import sessions
    from app.auth.services import load_user

    login_manager.user_loader(load_user)
    sessions.register(app)


def _import_optional(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def register_blueprints(app: Flask) -> None:
    # Models first, so metadata (and migrations) see every table; then each feature's routes
    # attach to its blueprint (kept out of the package __init__ to avoid import cycles).
    for name in FEATURES:
        _import_optional(f"{name}.models")
    for name in FEATURES:
        module = importlib.import_module(name)
        _import_optional(f"{name}.routes")
        bp = getattr(module, "bp", None)
        if bp is not None:
            app.register_blueprint(bp)


def register_hooks(app: Flask) -> None:
    # Each feature's hooks.py registers what it adds to the others (panels, timeline and
    # engagement sources, search matchers, merge handlers, import kinds, "alumni records
    # written" subscribers); every registration is idempotent, so a second app is harmless.
    for name in FEATURES:
        module = _import_optional(f"{name}.hooks")
        if module is not None:
            module.register()


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500)
        if isinstance(error, SecurityError):
            # A Host header not in TRUSTED_HOSTS: no page can be built (links need a host).
            return gettext("This site does not answer to that host name."), 400, {
                "Content-Type": "text/plain; charset=utf-8"}
        if request.path.startswith("/api/"):
            return {"title": getattr(error, "name", "Error"), "status": code}, code
        from flask_wtf.csrf import CSRFError

        return render_template("errors/error.html", error=error, code=code,
                               csrf=isinstance(error, CSRFError)), code

    for code in (400, 403, 404, 405):
        app.register_error_handler(code, render_error)

    @app.errorhandler(413)
    def too_large(error):
        from app.core.uploads import body_limit_mb

        if request.path.startswith("/api/"):
            return {"title": "Request too large", "status": 413}, 413
        return render_template("errors/error.html", error=error, code=413,
                               limit_mb=body_limit_mb()), 413

    @app.errorhandler(429)
    def too_many(error):
        # The limit's own message (translated, see the routes' error_message), never the
        # limit's English wording ("10 per 1 hour") that Flask-Limiter gives without one.
        limit = getattr(error, "limit", None)
        message = error.description if getattr(limit, "error_message", None) else None
        return render_template("errors/too_many.html", message=message), 429

    @app.errorhandler(500)
    def server_error(error):
        from app.extensions import db

        db.session.rollback()
        return render_template("errors/error.html", error=error, code=500), 500


def register_template_helpers(app: Flask) -> None:
    from app.core import i18n, labels
    from app.core.nav import language_menu, main_menu
    from app.core.permissions import ROLE_LABELS, can_write, sees_contacts

    @app.context_processor
    def inject_globals():
        user = current_user._get_current_object()  # once, not through the proxy each time
        return {
            "can_write": can_write(user),
            "sees_contacts": sees_contacts(user),
            "role_labels": ROLE_LABELS,
            "labels": labels,
        }

    app.jinja_env.globals.update(main_menu=main_menu, language_menu=language_menu)
    app.jinja_env.filters["label"] = labels.label_for
    # "date", "datetime", "number" and "money" come from app.core.i18n (the page's language).
    app.jinja_env.filters["country"] = i18n.country_name_in_language
    app.jinja_env.filters["alumni"] = labels.alumni_count


def register_commands(app: Flask) -> None:
    for name in FEATURES:
        module = _import_optional(f"{name}.cli")
        if module is not None:
            module.register(app)
