"""The panels of an alumnus's page and its timeline share what they read of the alumnus."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from sqlalchemy import event

from app.employment.models import Employment
from app.employment.services import employment_history

# The records that a panel and the timeline (built by the engagement panel) both show.
SHARED = ("employment", "mentor_profile", "curriculum_feedback", "contribution",
          "exchange_participation")


def _reads_of(app, client, url: str) -> tuple[Counter, str]:
    tables: Counter = Counter()

    def count(conn, cursor, statement, parameters, context, executemany):
        found = re.match(r"\s*SELECT\s.*?\sFROM\s+(\w+)", statement, re.S)
        if found:
            tables[found.group(1)] += 1

    from app.extensions import db

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        page = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert page.status_code == 200
    return tables, page.get_data(as_text=True)


def test_the_record_page_reads_each_shared_record_once(app, db, world, as_role):
    db.session.add(Employment(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                              status="wage_employed", job_title="Welding inspector",
                              start_date=date(2025, 2, 1), source="self"))
    db.session.commit()
    tables, html = _reads_of(app, as_role("officer"), f"/alumni/{world.alumnus.id}")
    assert {t: tables[t] for t in SHARED} == dict.fromkeys(SHARED, 1), tables
    # Both the employment panel and the timeline show the job read once.
    assert html.count("Welding inspector") >= 2
    assert "Reported a job: Welding inspector" in html


def test_outside_a_page_each_read_is_afresh(app, db, world):
    with app.test_request_context():
        assert employment_history(world.alumnus) == []
        db.session.add(Employment(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                                  status="unemployed_seeking", source="officer"))
        db.session.flush()
        assert [j.status for j in employment_history(world.alumnus)] == ["unemployed_seeking"]
