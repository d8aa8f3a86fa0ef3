"""Pages of a long list that cost the same on page 1 and page 2,000.

`seek_page()` reads a page by its position in the sort order (keyset or "seek" paging): the
next page is the rows after the last row shown, found through the index that covers the sort,
so it never reads the rows before it (OFFSET would) and a record added between two page loads
is neither shown twice nor skipped. The links carry that position as an opaque cursor.

The first few pages are also reachable by number (a small OFFSET is cheap). The total is
counted up to `COUNT_LIMIT` rows only: beyond that the page says "more than 10,000", which
costs the same however large the list grows.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app, request
from sqlalchemy import Select, bindparam, func, literal_column, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db

COUNT_LIMIT = 10_000
NUMBERED_PAGES = 10  # pages 1..10 are linked by number; beyond, Next / Previous / Last
PAGE_ARGS = ("page", "after", "before", "last")  # a list's position, not its filters


@dataclass
class SeekPage:
    """One page of a list read by seek paging, with what the pager needs."""

    items: list[Any]
    per_page: int
    page: int  # the page's number as the links counted it (1 the first; 0 not known, as when
    # moving back from the last page of a list too long to count)
    total: int  # exact up to COUNT_LIMIT
    total_is_lower_bound: bool  # True: there are more than `total` records
    has_next: bool
    has_prev: bool
    next_cursor: str | None = None
    prev_cursor: str | None = None
    last_page: bool = False
    rows: list[Any] = field(default_factory=list, repr=False)

    @property
    def pages(self) -> int | None:
        """The number of pages, or None when the total is only known to be large."""
        if self.total_is_lower_bound:
            return None
        return max(1, -(-self.total // self.per_page))

    @property
    def numbered(self) -> list[int]:
        """The page numbers linked directly (the cheap ones near the start)."""
        top = NUMBERED_PAGES if self.pages is None else min(self.pages, NUMBERED_PAGES)
        return list(range(1, top + 1))


def encode_cursor(values: Sequence[Any]) -> str:
    def plain(v: Any) -> Any:
        if isinstance(v, datetime):
            return {"dt": v.isoformat()}
        if isinstance(v, date):
            return {"d": v.isoformat()}
        return v
    raw = json.dumps([plain(v) for v in values], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> list[Any] | None:
    """The sort values a cursor holds, or None for a missing or malformed one."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode())
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    out = []
    for v in values:
        if isinstance(v, dict) and "dt" in v:
            try:
                v = datetime.fromisoformat(v["dt"])
            except (TypeError, ValueError):
                return None
        elif isinstance(v, dict) and "d" in v:
            try:
                v = date.fromisoformat(v["d"])
            except (TypeError, ValueError):
                return None
        elif not isinstance(v, str | int | float) or isinstance(v, bool):
            return None
        out.append(v)
    return out


def bounded_count(stmt: Select, limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """(count, more): the rows `stmt` selects, counted up to `limit`."""
    inner = (stmt.order_by(None)  # the FROM stays when no filter names the table
             .with_only_columns(literal_column("1"), maintain_column_froms=True)
             .limit(limit + 1))
    n = db.session.scalar(select(func.count()).select_from(inner.subquery())) or 0
    return (limit, True) if n > limit else (n, False)


def seek_args() -> dict[str, Any]:
    """`seek_page`'s per_page (the configured one), page, after, before and last, from the
    request's address: what `seek_pager`'s links carry (PAGE_ARGS)."""
    return {"per_page": current_app.config["PER_PAGE"],
            "page": request.args.get("page", type=int), "after": request.args.get("after"),
            "before": request.args.get("before"), "last": request.args.get("last") == "1"}


def seek_page(stmt: Select, keys: Sequence[ColumnElement], *, descending: bool,
              per_page: int, page: int | None = None, after: str | None = None,
              before: str | None = None, last: bool = False,
              total: tuple[int, bool] | None = None) -> SeekPage:
    """A page of `stmt` (one entity selected, no ORDER BY) in the order of `keys`, whose last
    key must be unique (the id). `after`/`before` are cursors from a previous page; `last`
    asks for the end of the list; otherwise `page` is read by OFFSET (links to it stay small).
    With a cursor, `page` is only the number shown (None: not known). A page read by number
    that holds the end of the list gives the total itself (a search that finds a few people
    is not counted again); otherwise the list is counted up to COUNT_LIMIT.
    """
    after_values, before_values = decode_cursor(after, len(keys)), decode_cursor(before, len(keys))
    counted = total
    if counted is None and (last or after_values is not None or before_values is not None):
        counted = bounded_count(stmt)
    if last and not counted[1]:  # a known total: the last numbered page (an OFFSET of at most
        page, last = max(1, -(-counted[0] // per_page)), False  # COUNT_LIMIT index rows)
    forward = [k.desc() if descending else k.asc() for k in keys]
    backward = [k.asc() if descending else k.desc() for k in keys]
    query = stmt.add_columns(*keys)
    reverse = False
    if after_values is not None:
        query = query.where(_beyond(keys, after_values, descending)).order_by(*forward)
    elif before_values is not None:
        query = query.where(_beyond(keys, before_values, not descending)).order_by(*backward)
        reverse = True
    elif last:
        query = query.order_by(*backward)
        reverse = True
    else:
        page = max(1, page or 1)
        query = query.order_by(*forward).offset((page - 1) * per_page)
    rows = list(db.session.execute(query.limit(per_page + 1)))
    extra = len(rows) > per_page
    rows = rows[:per_page]
    if reverse:
        rows.reverse()
    if after_values is not None:
        has_prev, has_next = True, extra
    elif reverse:
        has_prev, has_next = extra, before_values is not None
    else:
        has_prev, has_next = page > 1, extra
        if counted is None and not extra and (rows or page == 1):  # this page ends the list
            counted = ((page - 1) * per_page + len(rows), False)
    count, more = counted if counted is not None else bounded_count(stmt)
    width = len(keys)
    return SeekPage(
        items=[r[0] for r in rows], per_page=per_page, page=max(0, page or 0), total=count,
        total_is_lower_bound=more, has_next=has_next, has_prev=has_prev,
        next_cursor=encode_cursor(list(rows[-1][-width:])) if rows and has_next else None,
        prev_cursor=encode_cursor(list(rows[0][-width:])) if rows and has_prev else None,
        last_page=last, rows=rows)


def _beyond(keys: Sequence[ColumnElement], values: Sequence[Any], descending: bool):
    """Rows after `values` in the order (before, when `descending`): one row-value comparison,
    which both databases answer with a range scan of the index on `keys`."""
    params = [bindparam(None, v, type_=k.type, unique=True) for k, v in zip(keys, values,
                                                                             strict=True)]
    left, right = tuple_(*keys), tuple_(*params)
    return left < right if descending else left > right
