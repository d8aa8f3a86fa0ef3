"""Gunicorn settings for production, used by scripts/serve.sh
(`gunicorn --config gunicorn.conf.py wsgi:app`). Each can be changed through the environment."""

import os
import sys

# Listen on loopback behind a reverse proxy that ends TLS (nginx, Caddy, a load balancer).
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Worker processes: about two per core; each serves several requests at once on threads.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# Exports and import previews of large files take a while; longer than this is a stuck worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Build the app once, before forking: a configuration production refuses stops the start at
# once with its message, instead of every worker failing in turn.
preload_app = True
# Recycle a worker now and then, so memory a large import took is given back: after about
# 10,000 requests (a few hours of an office's day; under a heavy load a few minutes). At 1,000,
# a worker was replaced every 2-5 s under load, and each new one pays its first views again:
# the pages served 25-60 % fewer requests a second (scripts/bench_pages.py).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
# The proxy's X-Forwarded-Proto is believed only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def _alumnet(server):
    """The preloaded Alumnet app, or None (not preloaded; the benchmark's bare app)."""
    app = server.app.wsgi() if preload_app else None
    return app if getattr(app, "import_name", None) == "app" else None


def when_ready(server):
    """Before the workers are forked: compile the templates, load the languages and set up
    the database mappings once in the preloaded app (app/core/warm.py), so that every worker,
    and each one that replaces a recycled worker, starts with them; then keep what is alive
    out of the garbage collector's full passes (`freeze_heap`)."""
    app = _alumnet(server)
    if app is not None:
        from app.core.warm import freeze_heap, warm_up

        warm_up(app)
        frozen = freeze_heap()
        app.logger.info("%d objects kept out of the garbage collector's passes", frozen)


def worker_exit(server, worker):
    """A worker leaving: once its job and recounts are done, end it without Python's teardown
    (app/core/warm.py `leave_without_teardown`)."""
    app = _alumnet(server)
    if app is not None:
        from app.core.warm import leave_without_teardown

        leave_without_teardown(app, sys.exc_info()[1])
