"""What every web worker would otherwise do on its first requests, done once before the
workers are forked (gunicorn.conf.py `when_ready`, with `preload_app`): the workers start
with it in memory they share. Gunicorn replaces a worker every `max_requests`; without this,
the new worker's first requests compile the templates, read the language catalogues and
set up the database mappings again (0.1-0.3 s each on the first view of a page), and the
pages' slowest answers were those.

Nothing here opens a database connection that a worker would inherit: the pool is emptied
at the end, so each worker opens its own.

A worker that leaves (gunicorn's `worker_exit`) ends without Python's teardown once its work
is done (`leave_without_teardown`).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from datetime import UTC, date, datetime

from flask import Flask
from sqlalchemy.orm import configure_mappers


def warm_up(app: Flask) -> dict[str, float]:
    """Compile every template, load every language's catalogue and number and date patterns,
    and configure the mappings; the time each took (seconds)."""
    from flask_babel import force_locale

    from app.core import i18n
    from app.extensions import db

    took: dict[str, float] = {}
    started = time.perf_counter()
    configure_mappers()
    took["mappers"] = time.perf_counter() - started

    started = time.perf_counter()
    env = app.jinja_env
    names = env.list_templates()
    for name in names:
        env.get_template(name)
    took["templates"] = time.perf_counter() - started

    started = time.perf_counter()
    with app.test_request_context("/"):
        for language in i18n.LANGUAGES:
            with force_locale(language):
                i18n.page_translations()
                i18n.format_number(1234)
                i18n.format_number(12.5, 1)
                i18n.format_date(date(2026, 1, 1))
                i18n.format_datetime(datetime(2026, 1, 1, tzinfo=UTC))
    took["languages"] = time.perf_counter() - started

    with app.app_context():
        db.engine.dispose()  # close any pooled connection: each worker opens its own
    app.logger.info("Warmed up before forking the workers: %d templates, %d languages "
                    "(%.2f s)", len(names), len(i18n.LANGUAGES), sum(took.values()))
    return took


def freeze_heap() -> int:
    """Move every object alive now out of the garbage collector's sight (`gc.freeze`), in the
    preloaded app just before the workers are forked; how many were moved.

    The app's own objects (mappings, compiled templates, catalogues, modules: about 236,000)
    live as long as the worker. Without this, each full collection in a worker walks all of
    them while every thread of that worker waits: measured 158 ms, once every ~100 views of
    the campaign page at 100,000 alumni, and the slowest answers under load were those. The
    workers also keep sharing those pages of memory with the master instead of copying them
    when the collector marks them (Python's documentation of `gc.freeze`)."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def leave_without_teardown(app: Flask, leaving: BaseException | None) -> None:
    """End a web worker that leaves normally (`leaving`: the SystemExit gunicorn raised after
    `max_requests`, or on a graceful stop) once its own work is done: the job its thread runs
    (as Python's exit would wait for it), the figures it is recounting (a few seconds at most),
    then its database connections closed and its log written out. Python's teardown of the
    app's objects is skipped: it freed every one of them, touching the memory the worker shares
    with the master, 90-140 ms of a processor at each replacement (`os._exit`; the same choice
    as the `gc.freeze` write-up). A worker leaving on an error exits as Python would."""
    if not isinstance(leaving, SystemExit) or leaving.code not in (0, None):
        return
    from app.core.figure_cache import wait_for_recounts
    from app.core.jobs import wait_for_idle
    from app.extensions import db

    wait_for_idle(timeout=None)
    wait_for_recounts(timeout=5.0)
    with app.app_context():
        db.engine.dispose()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
