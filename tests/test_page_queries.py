"""No page runs more SQL statements because the register is larger (no N+1 loads).

The demo data is seeded at 50, 500 and 1,000 alumni (with its employment records, tracer
survey, events, exchanges and the duplicates queue); each page is requested by the demo
officer at each size, and the statements it runs are counted. A page whose count grows with
the register loads something per record.

At 50 alumni some cohorts of the tracer survey have no answers yet, and the figure functions
skip what they would compute from answers; those pages may run more statements at 500, and
at 1,000 at most one more per cohort of the survey than at 500 (a cohort whose answers
reach a figure family only then), never one more per alumnus.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from app.alumni.models import Alumnus, Institution
from app.auth.models import User
from app.employment.models import TracerSurvey, TracerSurveyCohort
from app.extensions import db
from app.imports.duplicates import scan_duplicates
from tests.conftest import _wipe, sign_in

PAGES = {
    "dashboard": "/dashboard",
    "register": "/alumni/",
    "register page 3": "/alumni/?page=3",
    "register next page": "{next}",
    "register last page": "/alumni/?last=1",
    "register by cohort": "/alumni/?sort=cohort&dir=desc",
    "register search Vietnamese": "/alumni/?q=nguyen",
    "register search Thai": "/alumni/?q=สม",
    "alumnus record": "/alumni/{alumnus}",
    "tracer campaign": "/tracer/{survey}",
    "tracer stats.json": "/tracer/{survey}/stats.json",
    "engagement rate": "/engagement/rate",
    "duplicates queue": "/duplicates/",
    "contribution totals": "/contributions/totals",
    "exchange figures": "/exchange/figures",
    "exchange figures, records of X2": "/exchange/figures?show=X2",
    "exchange figures, records of X5": "/exchange/figures?show=X5",
    "register export CSV": "/imports/export.csv",
    "outcome figures": "/outcomes",
    "evidence pack": "/reports",
}
# Pages that read kept figures (app.core.figure_cache), also measured with keeping on: a view
# that finds its figures kept.
KEPT_PAGES = ("dashboard", "tracer campaign", "tracer stats.json", "engagement rate",
              "exchange figures")
# Pages whose figures skip work for cohorts without answers (see above).
ANSWER_BRANCHES = {"tracer campaign"}
# Pages of lists that may end within the page at the smallest size: that page gives the total
# itself, and the list is not counted (app.core.pagination.seek_page): one statement fewer.
MAY_END_WITHIN = {"register page 3", "register search Vietnamese", "register search Thai"}
_measured: dict[int, dict[str, int]] = {}


def _measure(app, runner, size: int) -> dict[str, int]:
    result = runner.invoke(args=["seed-demo", "--alumni", str(size)])
    assert result.exit_code == 0, result.output
    home = db.session.scalar(select(Institution).where(Institution.is_home.is_(True)))
    scan_duplicates(home, actor=None)
    db.session.commit()
    officer = db.session.scalar(select(User).where(User.email == "officer@demo.alumnet.example"))
    # A record's page runs what its own records need: a record of the same shape at each size.
    fresh = Alumnus(institution_id=home.id, student_number="QC-0001", given_name="Malee",
                    family_name="Srisuk", status="active")
    fresh.refresh_search_text()
    db.session.add(fresh)
    db.session.commit()
    values = {
        "alumnus": fresh.id,
        "survey": db.session.scalar(select(TracerSurvey.id)),
    }
    client = app.test_client()
    sign_in(client, officer)
    first = client.get("/alumni/").get_data(as_text=True)
    marker = 'rel="next" href="'
    values["next"] = first[first.index(marker) + len(marker):].split('"')[0].replace("&amp;",
                                                                                     "&")
    counts: dict[str, int] = {
        "cohorts": db.session.scalar(select(func.count(TracerSurveyCohort.id)))}
    statements: list[str] = []
    checkouts: list[int] = []

    requests_thread = threading.get_ident()  # the test client serves in this thread

    def count(conn, cursor, statement, parameters, context, executemany):
        # A background thread a page started (a figure's recount, the landing page's count)
        # may still be running: its statements are not the request's.
        if threading.get_ident() == requests_thread:
            statements.append(statement)

    def count_checkout(dbapi_connection, record, proxy):
        if threading.get_ident() == requests_thread:
            checkouts.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    event.listen(db.engine.pool, "checkout", count_checkout)
    try:
        for name, url in PAGES.items():
            client.get(url.format(**values)).close()  # warm (first-use look-ups)
            statements.clear()
            checkouts.clear()
            response = client.get(url.format(**values))
            assert response.status_code == 200, (name, response.status_code)
            assert response.data  # read to the end, as a browser does (a streamed export)
            counts[name] = len(statements)
            counts[f"{name}: connections"] = len(checkouts)
        app.config["FIGURE_CACHE_SECONDS"] = 600
        for name in KEPT_PAGES:
            client.get(PAGES[name].format(**values)).close()  # counts and keeps
            statements.clear()
            checkouts.clear()
            response = client.get(PAGES[name].format(**values))
            assert response.status_code == 200, (name, response.status_code)
            counts[f"{name}, figures kept"] = len(statements)
            counts[f"{name}, figures kept: connections"] = len(checkouts)
    finally:
        app.config["FIGURE_CACHE_SECONDS"] = 0
        event.remove(db.engine, "before_cursor_execute", count)
        event.remove(db.engine.pool, "checkout", count_checkout)
    db.session.remove()
    _wipe(app)
    return counts


def _counts(app, runner) -> dict[int, dict[str, int]]:
    if not _measured:
        for size in (50, 500, 1000):
            _measured[size] = _measure(app, runner, size)
    return _measured


@pytest.mark.parametrize("page", list(PAGES) + [f"{p}, figures kept" for p in KEPT_PAGES])
def test_statements_per_request_do_not_grow_with_the_register(app, runner, page):
    counts = _counts(app, runner)
    seen = ", ".join(f"{counts[n][page]} at {n:,}" for n in sorted(counts))
    if page.split(",")[0] in ANSWER_BRANCHES and not page.endswith("kept"):
        assert counts[500][page] >= counts[50][page], f"{page}: statements {seen} alumni"
        assert counts[500][page] <= counts[1000][page] <= (
            counts[500][page] + counts[1000]["cohorts"]), f"{page}: statements {seen} alumni"
        return
    assert counts[1000][page] == counts[500][page], f"{page}: statements {seen} alumni"
    if page in MAY_END_WITHIN:
        assert counts[500][page] - 1 <= counts[50][page] <= counts[500][page], (
            f"{page}: statements {seen} alumni")
        return
    assert counts[500][page] == counts[50][page], f"{page}: statements {seen} alumni"


def test_a_view_that_finds_its_figures_kept_does_not_count_them(app, runner):
    counts = _counts(app, runner)[500]
    for page in KEPT_PAGES:
        assert counts[f"{page}, figures kept"] <= counts[page] + 1, page  # + the kept row
    # The campaign's outcome figures are a dozen indicator statements per cohort.
    assert counts["tracer campaign, figures kept"] < counts["tracer campaign"] / 2


@pytest.mark.parametrize("page", list(PAGES) + [f"{p}, figures kept" for p in KEPT_PAGES])
def test_a_page_takes_one_connection_from_the_pool(app, runner, page):
    """A page's reads, its kept figures and a record view's audit entry share the request's
    connection: each connection taken from the pool costs PostgreSQL a ping, a BEGIN and a
    ROLLBACK (three round trips) beside the page's own statements."""
    counts = _counts(app, runner)
    taken = {n: counts[n][f"{page}: connections"] for n in sorted(counts)}
    # The export commits its audit entry before it starts (the signed-in user is read again
    # after that commit) and is sent after its request ends, its rows read on a connection of
    # their own (app.imports.exports.CsvStream): three, whatever the register's size.
    allowed = {3} if page == "register export CSV" else {1}
    assert set(taken.values()) == allowed, f"{page}: connections taken {taken}"
