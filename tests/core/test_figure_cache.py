"""Whole-register counts kept a while: served from the cache while young, counted afresh
after, and never shared between databases."""

from __future__ import annotations

from app.core import figure_cache


def test_a_kept_figure_is_served_until_it_is_too_old(app, monkeypatch):
    calls = []

    def count():
        calls.append(1)
        return len(calls)

    figure_cache.forget_figures()
    clock = [1000.0]
    monkeypatch.setattr(figure_cache.time, "monotonic", lambda: clock[0])
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    first, counted = figure_cache.cached_figure(("demo", 1), count)
    clock[0] += 59
    again, counted_again = figure_cache.cached_figure(("demo", 1), count)
    assert (first, again, counted_again) == (1, 1, counted)  # kept, with its counting time
    assert figure_cache.cached_figure(("demo", 2), count)[0] == 2  # another key: counted
    clock[0] += 2
    # Too old: the page still gets the kept figure at once (with its time), and the figure is
    # counted again in the background; the next view gets the new one.
    assert figure_cache.cached_figure(("demo", 1), count) == (1, counted)
    figure_cache.wait_for_recounts()
    value, counted_later = figure_cache.cached_figure(("demo", 1), count)
    assert (value, len(calls)) == (3, 3) and counted_later > counted
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 0)
    assert figure_cache.cached_figure(("demo", 1), count)[0] == 4  # off: always counted
    figure_cache.forget_figures()


def test_a_recount_never_blocks_the_page_and_runs_once(app, monkeypatch):
    """While a stale figure is counted again, every view gets the kept one at once, and only
    one recount runs however many views find it stale."""
    import threading
    import time

    release = threading.Event()
    calls = []

    def count():
        calls.append(1)
        if len(calls) > 1:
            release.wait(5)
        return len(calls)

    figure_cache.forget_figures()
    clock = [1000.0]
    monkeypatch.setattr(figure_cache.time, "monotonic", lambda: clock[0])
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    assert figure_cache.cached_figure(("slow", 1), count)[0] == 1
    clock[0] += 61
    began = time.perf_counter()
    seen = [figure_cache.cached_figure(("slow", 1), count)[0] for _ in range(5)]
    assert seen == [1] * 5 and time.perf_counter() - began < 1  # served without waiting
    release.set()
    figure_cache.wait_for_recounts()
    assert len(calls) == 2
    assert figure_cache.cached_figure(("slow", 1), count)[0] == 2
    figure_cache.forget_figures()
