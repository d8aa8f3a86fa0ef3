"""The Outcomes page and the records behind a figure, as each role sees them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import planner_statistics, query_plan, statements_run


def outcomes_url(cohort, **extra):
    query = f"programme={cohort.programme.id}&cohort=2024&months=12"
    for k, v in extra.items():
        query += f"&{k}={v}"
    return f"/outcomes?{query}"


def test_officer_and_quality_read_the_figures(hand_cohort, as_role):
    for role in ("officer", "quality", "admin"):
        page = as_role(role).get(outcomes_url(hand_cohort))
        assert page.status_code == 200, role
        html = page.get_data(as_text=True)
        assert "Response rate (gross)" in html
        assert "75.0 %" in html and "9 / 12" in html  # M1 gross
        assert "80.0 %" in html and "4 / 5" in html  # M2 over the labour force
        # the graduates without a programme or a graduation year are named, not hidden
        assert "2 graduates of the register have no programme or graduation year" in html


def test_a_click_opens_the_records_it_counted(hand_cohort, as_role):
    client = as_role("quality")
    html = client.get(outcomes_url(hand_cohort)).get_data(as_text=True)
    link = re.search(r'href="(/outcomes/records\?[^"]*code=M2[^"]*which=counted[^"]*)"', html)
    assert link, "no records link for M2"
    page = client.get(link.group(1).replace("&amp;", "&"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    a = hand_cohort.alumni
    for key in ("a1", "a2", "a3", "a4"):  # the employed
        assert a[key].student_number in text
    for key in ("a5", "a9", "a10"):  # further study, seeking, undeliverable
        assert a[key].student_number not in text
    assert "4 records" in text


def test_the_records_of_a_competency_gap_show_its_two_levels(hand_cohort, as_role):
    page = as_role("quality").get(outcomes_url(hand_cohort).replace(
        "/outcomes?", "/outcomes/records?code=M10&variant=it&which=counted&"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    a = hand_cohort.alumni
    assert a["a1"].student_number in text and a["a2"].student_number not in text
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", text)
    assert cells[-3:] == ["Use of information technology", "2", "4"]  # a1: at graduation, now
    assert "1 record" in text


def test_the_ban_pt_table_shows_the_minimum(hand_cohort, as_role):
    html = as_role("officer").get(outcomes_url(hand_cohort, framework="ban-pt")).get_data(
        as_text=True)
    assert "8.d.1 · Waiting time for the first job" in html
    assert "TS-2" in html and "TS-1" in html
    assert "49.2 %" in html  # Prmin for 12 graduates


def test_alumni_get_nothing(hand_cohort, as_role):
    client = as_role("alumnus")
    assert client.get(outcomes_url(hand_cohort)).status_code == 403
    assert client.get("/outcomes/records?code=M1&programme="
                      f"{hand_cohort.programme.id}&cohort=2024").status_code == 403


def test_another_institutions_officer_sees_none_of_ours(hand_cohort, as_role):
    client = as_role("other_officer")
    page = client.get(outcomes_url(hand_cohort))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Choose programmes of this institution." in html
    assert "Response rate (gross)" not in html
    records = client.get(f"/outcomes/records?code=M1&variant=gross&which=counted"
                         f"&programme={hand_cohort.programme.id}&cohort=2024")
    assert records.status_code == 404
    assert hand_cohort.alumni["a1"].student_number not in records.get_data(as_text=True)


def test_the_campaign_page_shows_the_cohorts_figures(hand_cohort, as_role):
    html = as_role("officer").get(f"/tracer/{hand_cohort.survey.id}").get_data(as_text=True)
    assert "Outcome figures of the cohort" in html
    # over the whole cohort: 9 of 12 (the campaign's own rate is over those invited)
    assert "Response rate (gross)" in html and "75.0 %" in html and "9 / 12" in html
    assert "Employment rate (labour force)" in html and "80.0 %" in html
    assert "Median monthly income (IDR)" in html and "4,000,000 IDR" in html


def test_the_campaign_outcome_table_is_rendered_once_per_count_and_language(
        app, db, world, hand_cohort, as_role, monkeypatch):
    """The campaign page's outcome figures change when they are counted again (a minute at
    most): their table is rendered once per count, language and calendar, and the page shows
    it on every view; in another language, or after a recount, it is rendered again."""
    from flask import template_rendered

    from app.core.db import utcnow
    from app.core.figure_cache import KeptFigure, wait_for_recounts
    from tests.conftest import sign_in, user_in

    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    rendered = []

    def seen(sender, template, context, **extra):
        rendered.append(template.name)

    url = f"/tracer/{hand_cohort.survey.id}"
    officer = as_role("officer")
    template_rendered.connect(seen, app)
    try:
        pages = [officer.get(url).get_data(as_text=True) for _ in range(3)]
        assert rendered.count("employment/_campaign_outcomes.html") == 1
        assert rendered.count("employment/survey.html") == 3
        assert all("Response rate (gross)" in p and "9 / 12" in p for p in pages)
        thai = app.test_client()
        sign_in(thai, user_in(world, "officer", "th"))
        page = thai.get(url).get_data(as_text=True)
        assert rendered.count("employment/_campaign_outcomes.html") == 2
        assert "Response rate (gross)" not in page and "9 / 12" in page
        # counted again (the kept figure made old): the next view renders the new count
        db.session.execute(KeptFigure.__table__.update().values(
            counted_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        before = rendered.count("employment/_campaign_outcomes.html")
        officer.get(url)
        wait_for_recounts()
        officer.get(url)
        assert rendered.count("employment/_campaign_outcomes.html") >= before + 1
    finally:
        template_rendered.disconnect(seen, app)


@pytest.mark.parametrize("statistics", [True, False])
def test_the_years_offered_and_those_outside_the_cohorts_are_read_from_the_indexes(
        db, world, make_alumnus, make_programme, make_institution, as_role, statistics):
    """The Outcomes page offers the years of the register's records that the figures count
    (not archived), newest first, and counts the records outside every cohort exactly as the
    evidence pack lists them, without a pass over the register (one index step per year,
    two counts over the register's sort indexes), with the planner's statistics of a register
    of 100,000 and without any."""
    from app.alumni.models import Alumnus
    from app.alumni.register import (
        count_outside_cohorts,
        institution_cohort_years,
        outside_cohorts,
    )

    other = make_institution(code="OTH")
    for year in (2019, 2022, 2022, 2024):
        make_alumnus(world.home, programme_id=world.programme.id, cohort_year=year)
    make_alumnus(world.home, programme_id=world.programme.id, cohort_year=2017,
                 archived_at=datetime(2025, 1, 1))  # archived: counted nowhere, not offered
    make_alumnus(other, cohort_year=2016)  # another institution's
    no_year = make_alumnus(world.home, programme_id=world.programme.id, cohort_year=None)
    no_programme = make_alumnus(world.home, programme_id=None, cohort_year=2022)
    neither = make_alumnus(world.home, programme_id=None, cohort_year=None)
    make_alumnus(world.home, programme_id=None, cohort_year=None,
                 archived_at=datetime(2025, 1, 1))
    make_alumnus(other, programme_id=None, cohort_year=None)
    db.session.commit()

    years = institution_cohort_years(world.home.id)
    assert years[:3] == [2024, 2022, 2019] and 2017 not in years and 2016 not in years
    assert years == sorted({a.cohort_year for a in db.session.scalars(select(Alumnus).where(
        Alumnus.institution_id == world.home.id, Alumnus.archived_at.is_(None)))
        if a.cohort_year}, reverse=True)
    listed = set(db.session.scalars(select(Alumnus.id).where(outside_cohorts(world.home.id))))
    assert listed == {no_year.id, no_programme.id, neither.id}
    assert count_outside_cohorts(world.home.id) == 3
    html = as_role("quality").get("/outcomes").get_data(as_text=True)
    assert "3 graduates of the register have no programme or graduation year" in html
    assert f'value="{years[0]}"' in html or f">{years[0]}<" in html

    conn = db.session.connection()
    planner_statistics(conn, 100_000 if statistics else None)
    if conn.dialect.name == "sqlite":
        from app.reports import services

        _, statements = statements_run(conn.engine, lambda: (
            services.cohort_years_of(world.home), services.outside_cohorts(world.home.id)))
        assert len(statements) == 2
        for statement, parameters in statements:
            plan = query_plan(conn, statement, parameters)
            scans = [step for step in plan if re.search(r"SCAN alumnus\b(?!_)", step)]
            assert not scans and any("USING INDEX ix_alumnus_register_" in s for s in plan), plan
