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
    assert figure_cache.cached_figure(("demo", 1), count)[0] == 3  # too old: counted again
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 0)
    assert figure_cache.cached_figure(("demo", 1), count)[0] == 4  # off: always counted
    figure_cache.forget_figures()
