"""Figures that may be a minute or a few old, kept in the database with the time they were
counted so the page can say so.

Only for counts over a whole register or cohort that a page shows on every view (the
dashboard's tiles, a tracer campaign's cohort size and outcome figures, the engagement rate,
the exchange figures): counting them costs in proportion to the register, and being a minute
old changes no decision. `FIGURE_CACHE_SECONDS` sets the age (0 in tests: always counted
afresh, in the request); a figure a page polls while it changes (a sending campaign's
invitation figures) asks for a shorter one with `max_seconds`.

A page never waits for a recount. Once a kept figure is older than that age, the request
that finds it so is served the kept figure (with the time it was counted) and claims the
recount: one background thread of its process counts the figure again and keeps it, while
every other request and worker process goes on reading the kept one. Only a figure's first
count ever (nothing kept yet) happens in a request. The kept figures live in the
`kept_figure` table, so every worker process shares them and a worker that gunicorn starts
afresh (`max_requests`) finds them there.

`compute` runs outside the request: it must not read `request`, `current_user` or objects
loaded by the request's session (pass ids and plain values), and its value is pickled into
the table (plain values and dataclasses; no ORM objects, no queries). Only this module
writes the table, from values the application computed itself. A value kept by the previous
release is read by the next until it is counted again: a field added to a kept dataclass
needs a default the class itself holds (`= None`, not a `default_factory`), or a new key.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from flask import Flask, current_app
from markupsafe import Markup
from sqlalchemy import LargeBinary, String, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.core.background import yield_to_requests
from app.core.db import Base, utcnow

T = TypeVar("T")
# A recount claimed longer ago than this is taken to have died with its process.
CLAIM_TIMEOUT = timedelta(minutes=10)
_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()
# Rendered parts of pages (kept_fragment), the most recently used last.
FRAGMENTS_KEPT = 1024
_fragments: OrderedDict[Hashable, Markup] = OrderedDict()
_fragments_lock = threading.Lock()


class KeptFigure(Base):
    """One kept figure: its pickled value, when it was counted, and whether (since when) a
    process is counting it again."""

    __tablename__ = "kept_figure"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    counted_at: Mapped[datetime] = mapped_column()
    recount_started_at: Mapped[datetime | None] = mapped_column()


def _engine():
    from app.extensions import db

    return db.engine


def _name(key: Hashable) -> str:
    return repr(key)[:300]


def _read(name: str) -> tuple[Any, datetime] | None:
    """(value, when it was counted) of a kept figure, or None when nothing is kept. Read on
    the request's own connection (Core: nothing of the session is flushed), not on one of its
    own: on PostgreSQL each connection taken from the pool costs a ping, a BEGIN and a
    ROLLBACK, three round trips beside the one read (the register's, the dashboard's and the
    engagement page's one, the exchange figures' and the campaign figures' two)."""
    from app.extensions import db

    table = KeptFigure.__table__
    kept = db.session.connection().execute(select(table.c.value, table.c.counted_at)
                                           .where(table.c.key == name)).first()
    return None if kept is None else (pickle.loads(kept.value), kept.counted_at)


def _keep(name: str, value: Any, counted_at: datetime) -> None:
    """Write the figure (its own short transaction, not the request's)."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    table = KeptFigure.__table__
    with _engine().begin() as conn:
        done = conn.execute(update(table).where(table.c.key == name).values(
            value=data, counted_at=counted_at, recount_started_at=None)).rowcount
        if done:
            return
    try:
        with _engine().begin() as conn:
            conn.execute(insert(table).values(key=name, value=data, counted_at=counted_at))
    except IntegrityError:  # another process kept it first: this count is as good
        with _engine().begin() as conn:
            conn.execute(update(table).where(table.c.key == name).values(
                value=data, counted_at=counted_at, recount_started_at=None))


def _claim(name: str, now: datetime) -> bool:
    """Whether this process takes the recount (no other process is counting it)."""
    table = KeptFigure.__table__
    with _engine().begin() as conn:
        return conn.execute(update(table).where(
            table.c.key == name,
            or_(table.c.recount_started_at.is_(None),
                table.c.recount_started_at < now - CLAIM_TIMEOUT))
            .values(recount_started_at=now)).rowcount == 1


def _recount(app: Flask, name: str, compute: Callable[[], Any]) -> None:
    """Count a kept figure again in this (background) thread, then keep it."""
    yield_to_requests()
    try:
        with app.app_context():
            value = compute()
            _keep(name, value, utcnow())
    except Exception:  # noqa: BLE001 - the kept figure stays; the claim lapses, then retried
        app.logger.exception("Recounting the kept figure %s failed", name)
    finally:
        with _threads_lock:
            _threads.discard(threading.current_thread())


def cached_figure(key: Hashable, compute: Callable[[], T], *,
                  max_seconds: int | None = None) -> tuple[T, datetime]:
    """(value, when it was counted): the kept value while it is younger than the configured
    age (or `max_seconds`, when shorter: a figure a page polls as it changes); when older,
    still the kept value, while a background thread counts it again; when nothing is kept yet
    (or keeping is off), `compute()` run now."""
    max_age = current_app.config.get("FIGURE_CACHE_SECONDS", 0)
    if max_seconds is not None:
        max_age = min(max_age, max_seconds)
    if max_age <= 0:
        return compute(), utcnow()
    name = _name(key)
    kept = _read(name)
    now = utcnow()
    if kept is not None:
        value, counted_at = kept
        if now - counted_at >= timedelta(seconds=max_age) and _claim(name, now):
            thread = threading.Thread(target=_recount, name="alumnet-figure", daemon=True,
                                      args=(current_app._get_current_object(), name, compute))
            with _threads_lock:
                _threads.add(thread)
            thread.start()
        return value, counted_at
    value, counted_at = compute(), utcnow()
    _keep(name, value, counted_at)
    return value, counted_at


def kept_figure(key: Hashable, max_age: timedelta) -> Any | None:
    """The value kept for `key` when it was counted within `max_age`, else None; never counts
    and never claims a recount (a page that takes another page's kept figure as a bound, such
    as the register's pager taking the landing page's count). None while keeping is off."""
    if current_app.config.get("FIGURE_CACHE_SECONDS", 0) <= 0:
        return None
    kept = _read(_name(key))
    return kept[0] if kept is not None and kept[1] >= utcnow() - max_age else None


def kept_fragment(key: Hashable, render: Callable[[], str]) -> Markup:
    """A part of a page rendered once and kept in this process: drawn from kept figures, or
    the same for every reader of a role and language (the menus, app.core.nav). `key` must
    name all the part shows (the figure's key and when it was counted, the
    language and calendar, the application root of its links), so a recount or another
    reader's language renders it again. A campaign's outcome table (60-odd figures formatted
    and translated) was two fifths of the campaign page's time, on every view of figures
    that change once a minute at most."""
    with _fragments_lock:
        found = _fragments.get(key)
        if found is not None:
            _fragments.move_to_end(key)
            return found
    html = Markup(render())  # noqa: S704 - a template's output, escaped when rendered
    with _fragments_lock:
        _fragments[key] = html
        while len(_fragments) > FRAGMENTS_KEPT:
            _fragments.popitem(last=False)
    return html


def wait_for_recounts(timeout: float = 10.0) -> None:
    """Wait until this process's recounts have finished (tests, and a web worker leaving)."""
    with _threads_lock:
        running = list(_threads)
    for thread in running:
        thread.join(timeout)


def forget_figures() -> None:
    """Drop every kept figure and fragment (tests)."""
    with _fragments_lock:
        _fragments.clear()
    with _engine().begin() as conn:
        conn.execute(KeptFigure.__table__.delete())
