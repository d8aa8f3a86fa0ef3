"""Exchange figures on a small hand-built data set with known answers."""

from __future__ import annotations

from datetime import date

import pytest

from app.exchange import figures, services


@pytest.fixture
def data(xw, add_participation, make_alumnus, db):
    """Nine participations in two batches (see the comments for what each one counts as)."""
    home, vn = xw.world.home, xw.partner_vn
    officer = xw.officer
    batch_2019 = services.create_batch(services.BatchData(
        name="SEAMEO TVET Exchange", year=2019, batch_number=4, mode="physical"), actor=officer)
    db.session.commit()
    alumni = {n: make_alumnus(home, student_number=n, cohort_year=2024)
              for n in ("S2", "S3", "S5", "O1", "O2", "O3", "O4")}
    a = xw.world.alumnus.student_number
    s1 = add_participation(a, "completed", evaluation_submitted=True)                  # TH it
    s2 = add_participation("S2", "completed", partner=vn, study_area="business")       # VN
    add_participation("S3", "completed", evaluation_submitted=True)                    # TH it
    add_participation("S4", "withdrawn", withdrawn_from="in_progress", study_area="health")
    add_participation("S5", "withdrawn", withdrawn_from="accepted", partner=vn)        # not started
    add_participation("S6", "nominated")                                               # not started
    add_participation("P1", "completed", incoming=True, partner=vn, study_area="hospitality",
                      evaluation_submitted=True)
    add_participation("P2", "in_progress", incoming=True)                              # TH it
    add_participation("B1", "completed", batch=batch_2019, study_area="mechatronics")  # TH
    services.record_recognition(s1, True, "2", date(2022, 7, 1), actor=officer)
    services.record_recognition(s2, False, None, date(2022, 7, 1), actor=officer)
    db.session.commit()
    return alumni


def test_participant_counts(xw, data):
    report = figures.exchange_figures(actor=xw.officer)
    assert report.figure("X1a").breakdown == {
        "SEAMEO TVET Exchange (2019, batch 4)": 1,
        "SEAMEO TVET Virtual Exchange (2022, batch 1)": 6}
    assert report.figure("X1b").breakdown == {"Incoming": 2, "Outgoing": 5}
    assert report.figure("X1c").breakdown == {"Thailand": 5, "Viet Nam": 2}
    areas = report.figure("X1d").breakdown
    assert areas["Computer science / IT / informatics"] == 3
    assert sum(areas.values()) == 7
    counted = {p.student_number for p in report.figure("X1b").records}
    assert "S5" not in counted and "S6" not in counted and "S4" in counted


def test_rates(xw, data):
    report = figures.exchange_figures(actor=xw.officer)
    completion = report.figure("X2")
    assert (completion.numerator, completion.denominator, completion.rate) == (5, 6, 83.3)
    assert {p.student_number for p in completion.records} - {
        p.student_number for p in completion.counted} == {"S4"}
    evaluation = report.figure("X3")
    assert (evaluation.numerator, evaluation.denominator, evaluation.rate) == (3, 5, 60.0)
    recognition = report.figure("X4")
    assert (recognition.numerator, recognition.denominator, recognition.rate) == (1, 4, 25.0)
    assert [p.student_number for p in recognition.counted] == [xw.world.alumnus.student_number]


def test_figures_for_one_batch_and_other_institutions(xw, data, make_user, db):
    one = figures.exchange_figures(actor=xw.officer, batch_id=xw.batch.id)
    assert one.figure("X2").denominator == 5
    other = make_user("officer", xw.world.other)
    assert figures.exchange_figures(actor=other).figure("X1a").numerator == 0


def test_employment_of_exchange_alumni_beside_their_cohort(xw, data, db):
    from app.employment.models import Employment

    def job(alumnus, status, start, end=None):
        db.session.add(Employment(institution_id=xw.world.home.id, alumnus_id=alumnus.id,
                                  status=status, start_date=start, end_date=end,
                                  source="officer"))

    job(xw.world.alumnus, "unemployed_seeking", date(2024, 7, 1), date(2024, 10, 1))
    job(xw.world.alumnus, "wage_employed", date(2024, 10, 1))      # exchange: employed
    job(data["S2"], "unemployed_seeking", date(2024, 7, 1))          # exchange: seeking
    job(data["S3"], "further_study", date(2024, 8, 1))               # exchange: outside
    job(data["S5"], "wage_employed", date(2024, 8, 1))               # never started: other
    job(data["O1"], "self_employed", date(2024, 9, 1))               # other: employed
    job(data["O2"], "unemployed_seeking", date(2024, 9, 1))
    job(data["O3"], "unemployed_seeking", date(2024, 9, 1))
    db.session.commit()
    result = figures.employment_comparison(actor=xw.officer)
    assert [c.cohort for c in result.cohorts] == [2024]
    row = result.cohorts[0]
    assert (row.exchange_employed, row.exchange_labour_force, row.exchange_rate) == (1, 2, 50.0)
    assert (row.others_employed, row.others_labour_force, row.others_rate) == (2, 4, 50.0)
    statuses = {r.student_number: (r.status, r.exchange) for r in result.records}
    assert statuses[xw.world.alumnus.student_number] == ("wage_employed", True)
    assert statuses["S5"] == ("wage_employed", False)
    assert "O4" not in statuses  # no employment record: not counted


def test_x5_records_are_listed_a_page_at_a_time_and_whole_in_the_download(
        xw, data, db, app, as_role, make_alumnus, monkeypatch):
    """X5's records are every alumnus of the exchange cohorts with an employment record (a
    list as long as those cohorts): the page shows them a page at a time, each once, with
    the status the counts used; the download holds the whole list."""
    import csv
    import io
    import re

    from app.employment.models import Employment

    job_of = {}
    for n in range(7):
        alumnus = make_alumnus(xw.world.home, student_number=f"Q{n}", cohort_year=2024)
        job_of[alumnus.student_number] = "wage_employed" if n % 2 else "unemployed_seeking"
        db.session.add(Employment(institution_id=xw.world.home.id, alumnus_id=alumnus.id,
                                  status=job_of[alumnus.student_number],
                                  start_date=date(2024, 9, 1), source="officer"))
    make_alumnus(xw.world.home, student_number="Q-none", cohort_year=2024)  # no record
    db.session.add(Employment(institution_id=xw.world.home.id, alumnus_id=data["S2"].id,
                              status="unemployed_seeking", start_date=date(2024, 7, 1),
                              end_date=date(2024, 9, 30), source="officer"))
    db.session.add(Employment(institution_id=xw.world.home.id, alumnus_id=data["S2"].id,
                              status="self_employed", start_date=date(2024, 10, 1),
                              source="officer"))
    job_of[data["S2"].student_number] = "self_employed"  # the latest spell
    db.session.commit()
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    client = as_role("quality")
    seen, url, pages = [], "/exchange/figures?show=X5", 0
    while url and pages < 10:
        html = client.get(url).get_data(as_text=True)
        pages += 1
        rows = re.findall(r'<tr><td><a href="/alumni/\d+">[^<]*</a></td><td>(\d+)</td>'
                          r"<td>([^<]*)</td><td>(Yes|No)</td></tr>", html)
        assert 0 < len(rows) <= 3
        seen += rows
        following = re.search(r'rel="next" href="([^"]+)"', html)
        url = following.group(1).replace("&amp;", "&") if following else None
    assert pages == 3 and len(seen) == 8  # 7 + S2, each once; "Q-none" has no record
    assert "8 records" in html
    download = client.get("/exchange/figures/x5-records.csv")
    assert download.status_code == 200
    listed = {r["Student number"]: r for r in csv.DictReader(
        io.StringIO(download.get_data(as_text=True).lstrip("\ufeff")))}
    assert set(listed) == set(job_of)
    assert listed["S2"]["Latest employment status"] == "Self-employed / own business"
    assert listed["S2"]["Exchange alumnus"] == "Yes" and listed["Q1"]["Exchange alumnus"] == "No"
    assert {r[1] for r in seen} == {"Wage employed", "Unemployed and seeking work",
                                    "Self-employed / own business"}


def test_figures_page(xw, data, as_role):
    page = as_role("quality").get("/exchange/figures?show=X2").get_data(as_text=True)
    assert "83.3 %" in page and "5 of 6" in page
    assert "Records counted for X2" in page


def test_the_page_keeps_x1_to_x4_a_while_and_lists_the_records_as_they_are_now(
        xw, data, app, db, as_role, add_participation, monkeypatch):
    """On the page X1-X4 are kept a while (counted once, then read on every view, saying when
    they were counted) and their cards drawn once per count and language; the records behind
    a figure are read when shown, the download counts afresh, and a recount shows the new
    participation."""
    from datetime import timedelta

    from flask import template_rendered

    from app.core.db import utcnow
    from app.core.figure_cache import KeptFigure, wait_for_recounts

    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 60)
    rendered = []

    def seen(sender, template, context, **extra):
        rendered.append(template.name)

    client = as_role("quality")
    template_rendered.connect(seen, app)
    try:
        first = client.get("/exchange/figures").get_data(as_text=True)
        assert "83.3 %" in first and "5 of 6" in first and "Counted at" in first
        add_participation("S7", "withdrawn", withdrawn_from="in_progress")  # X2: 5 of 7
        db.session.commit()
        shown = client.get("/exchange/figures?show=X2").get_data(as_text=True)
        assert "5 of 6" in shown  # the kept count
        assert rendered.count("exchange/_figure_cards.html") == 1  # drawn once
        assert shown.count('<td><a href="/exchange/participations/') == 7  # the records now
        assert ",5,7,71.4," in client.get("/exchange/figures.csv").get_data(as_text=True)
        db.session.execute(KeptFigure.__table__.update().values(
            counted_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        client.get("/exchange/figures")  # served the old count, recounts in the background
        wait_for_recounts()
        assert "5 of 7" in client.get("/exchange/figures").get_data(as_text=True)
        assert rendered.count("exchange/_figure_cards.html") == 3  # old count again, new one
    finally:
        template_rendered.disconnect(seen, app)
