"""Numbers from URLs and query strings stay inside what the database can hold.

Record ids are 32-bit integers on PostgreSQL; SQLite refuses anything past 64 bits with an
OverflowError. A twenty-digit id in a path is a 404 like any other unknown id; a twenty-digit
`?institution=` or `?page=` reads as a value that is not a number (as `?institution=abc` does).
"""

from __future__ import annotations

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest value of an INTEGER column on PostgreSQL


def record_number(value: str) -> int:
    """int(value) when it fits an id column; ValueError otherwise."""
    number = int(value)
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError(f"{value[:30]} is out of range")
    return number


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in every route: a number longer than any id matches no route at all (404),
    and one past the largest id is no match either."""

    regex = rf"\d{{1,{len(str(MAX_ID))}}}"

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class BoundedArgs(ImmutableMultiDict):
    """Query and form values: `.get(name, type=int)` gives the default for a number too large
    for the database, as it does for one that is not a number."""

    def get(self, key, default=None, type=None):  # noqa: A002 - MultiDict's signature
        return super().get(key, default, record_number if type is int else type)


class AlumnetRequest(Request):
    parameter_storage_class = BoundedArgs


def _page_in_range() -> None:
    # db.paginate reads ?page= and ?per_page= itself, with int(): a page past MAX_ID would
    # make an OFFSET the database refuses.
    for name in ("page", "per_page"):
        value = request.args.get(name)
        value = (value or "").strip()
        if value.isdecimal() and (len(value) > len(str(MAX_ID)) or int(value) > MAX_ID):
            abort(404)


def init_app(app: Flask) -> None:
    """Before the routes are added: bounded `int` converter, request class, page check."""
    app.url_map.converters["int"] = RecordIdConverter
    app.request_class = AlumnetRequest
    app.before_request(_page_in_range)
