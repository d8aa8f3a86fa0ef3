"""Whole-register counts kept a while in the database: served while young; when old, still
served at once while one background recount runs; shared by every process; off in tests."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

from sqlalchemy import select

from app.core import figure_cache
from app.core.background import BACKGROUND_NICE
from app.core.db import utcnow
from app.core.figure_cache import KeptFigure


def _clock(monkeypatch):
    now = [utcnow()]
    monkeypatch.setattr(figure_cache, "utcnow", lambda: now[0])
    return now


def test_a_kept_figure_is_served_until_old_then_counted_again_in_the_background(
        app, db, monkeypatch):
    calls = []

    def count():
        calls.append(1)
        return {"alumni": len(calls)}

    now = _clock(monkeypatch)
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    first, counted = figure_cache.cached_figure(("demo", 1), count)
    assert first == {"alumni": 1} and counted == now[0]
    now[0] += timedelta(seconds=59)
    assert figure_cache.cached_figure(("demo", 1), count) == (first, counted)  # kept
    assert figure_cache.cached_figure(("demo", 2), count)[0] == {"alumni": 2}  # another key
    now[0] += timedelta(seconds=2)
    # Too old: the page still gets the kept figure at once, with when it was counted, and the
    # figure is counted again in the background; the next view gets the new one.
    assert figure_cache.cached_figure(("demo", 1), count) == (first, counted)
    figure_cache.wait_for_recounts()
    value, counted_later = figure_cache.cached_figure(("demo", 1), count)
    assert (value, len(calls), counted_later) == ({"alumni": 3}, 3, now[0])
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 0)
    assert figure_cache.cached_figure(("demo", 1), count)[0] == {"alumni": 4}  # off: counted
    assert len(db.session.scalars(select(KeptFigure)).all()) == 2  # and nothing written


def test_a_polled_figure_asks_for_a_shorter_age(app, db, monkeypatch):
    """`max_seconds` shortens the age (a campaign's invitation figures, polled while it
    sends) but never lengthens it, and keeping off stays off."""
    calls = []

    def count():
        calls.append(1)
        return len(calls)

    now = _clock(monkeypatch)
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    assert figure_cache.cached_figure(("polled", 1), count, max_seconds=5)[0] == 1
    now[0] += timedelta(seconds=4)
    assert figure_cache.cached_figure(("polled", 1), count, max_seconds=5)[0] == 1  # kept
    now[0] += timedelta(seconds=2)
    assert figure_cache.cached_figure(("polled", 1), count, max_seconds=5)[0] == 1  # served,
    figure_cache.wait_for_recounts()  # and counted again in the background
    assert figure_cache.cached_figure(("polled", 1), count, max_seconds=5) == (2, now[0])
    now[0] += timedelta(seconds=30)
    assert figure_cache.cached_figure(("polled", 1), count, max_seconds=600)[0] == 2
    figure_cache.wait_for_recounts()
    assert len(calls) == 2  # 600 does not lengthen the configured 60 s, nor start a recount
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 0)
    assert figure_cache.cached_figure(("polled", 1), count, max_seconds=5)[0] == 3


def test_a_recount_never_blocks_the_page_and_runs_once(app, db, monkeypatch):
    """While a stale figure is counted again, every view gets the kept one at once, and only
    one recount runs however many views (of any process: the claim is a row) find it stale."""
    release = threading.Event()
    calls = []

    def count():
        calls.append(1)
        if len(calls) > 1:
            release.wait(5)
        return len(calls)

    now = _clock(monkeypatch)
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    assert figure_cache.cached_figure(("slow", 1), count)[0] == 1
    now[0] += timedelta(seconds=61)
    began = time.perf_counter()
    seen = [figure_cache.cached_figure(("slow", 1), count)[0] for _ in range(5)]
    assert seen == [1] * 5 and time.perf_counter() - began < 2  # served without waiting
    release.set()
    figure_cache.wait_for_recounts()
    assert len(calls) == 2
    assert figure_cache.cached_figure(("slow", 1), count)[0] == 2


def test_a_recount_that_fails_keeps_the_figure_and_is_tried_again_later(app, db, monkeypatch):
    results = [7]

    def count():
        value = results.pop(0)
        if isinstance(value, Exception):
            raise value
        return value

    now = _clock(monkeypatch)
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    figure_cache.cached_figure("flaky", count)
    results[:] = [RuntimeError("database went away"), 8]
    now[0] += timedelta(seconds=61)
    assert figure_cache.cached_figure("flaky", count)[0] == 7
    figure_cache.wait_for_recounts()
    assert figure_cache.cached_figure("flaky", count)[0] == 7  # kept; its claim still stands
    now[0] += figure_cache.CLAIM_TIMEOUT + timedelta(seconds=1)
    assert figure_cache.cached_figure("flaky", count)[0] == 7  # the claim lapsed: retried
    figure_cache.wait_for_recounts()
    assert figure_cache.cached_figure("flaky", count)[0] == 8


def test_a_recount_runs_at_the_lowest_priority_and_the_page_at_its_own(app, db, monkeypatch):
    """The background recount yields the processor to the requests (its thread's nice value
    is raised, on Linux); the thread that serves the page keeps the process's priority."""
    seen = []

    def count():
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return len(seen)

    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    now = _clock(monkeypatch)
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    figure_cache.cached_figure(("nice", 1), count)  # the first count: in the request
    now[0] += timedelta(seconds=61)
    figure_cache.cached_figure(("nice", 1), count)
    figure_cache.wait_for_recounts()
    assert seen == [own, max(own, BACKGROUND_NICE)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own
