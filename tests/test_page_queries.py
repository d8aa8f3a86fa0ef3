"""No page runs more SQL statements because the register is larger (no N+1 loads).

The demo data is seeded at 50, 500 and 1,000 alumni (with its employment records, tracer
survey, events, exchanges and the duplicates queue); each page is requested by the demo
officer at each size, and the statements it runs are counted. A page whose count grows with
the register loads something per record.

At 50 alumni some cohorts of the tracer survey have no answers yet, and the figure functions
skip what they would compute from answers; those pages may run more statements at 500, but
never more at 1,000 than at 500.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from app.alumni.models import Alumnus, Institution
from app.auth.models import User
from app.employment.models import TracerSurvey
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
    "register export CSV": "/imports/export.csv",
}
# Pages whose figures skip work for cohorts without answers (see above).
ANSWER_BRANCHES = {"tracer campaign"}
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
    counts: dict[str, int] = {}
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for name, url in PAGES.items():
            client.get(url.format(**values)).close()  # warm (first-use look-ups)
            statements.clear()
            response = client.get(url.format(**values))
            assert response.status_code == 200, (name, response.status_code)
            assert response.data  # read to the end, as a browser does (a streamed export)
            counts[name] = len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    db.session.remove()
    _wipe(app)
    return counts


def _counts(app, runner) -> dict[int, dict[str, int]]:
    if not _measured:
        for size in (50, 500, 1000):
            _measured[size] = _measure(app, runner, size)
    return _measured


@pytest.mark.parametrize("page", list(PAGES))
def test_statements_per_request_do_not_grow_with_the_register(app, runner, page):
    counts = _counts(app, runner)
    seen = ", ".join(f"{counts[n][page]} at {n:,}" for n in sorted(counts))
    assert counts[1000][page] == counts[500][page], f"{page}: statements {seen} alumni"
    if page in ANSWER_BRANCHES:
        assert counts[500][page] >= counts[50][page], f"{page}: statements {seen} alumni"
    else:
        assert counts[500][page] == counts[50][page], f"{page}: statements {seen} alumni"
