"""The landing page's figures: counted by the indicator functions, kept, shown with their
trend charts, each linking to its records; refreshed in the background when old."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.core.db import today
from app.core.jobs import Job, wait_for_idle
from app.packs.dashboard import (
    FIGURES,
    JOB_KIND,
    WHOLE_INSTITUTION,
    panels_of,
    refresh_dashboard,
)
from app.packs.models import DashboardPanel
from app.reports.indicators import Params, compute, make_selection


def test_the_figures_equal_the_indicator_functions(hand_cohort, db):
    home = hand_cohort.institution
    assert refresh_dashboard(home.id) == 3  # the institution, DIT, DMK
    db.session.commit()
    panels = {p.programme_id: p for p in panels_of(home.id)}
    dit = panels[hand_cohort.programme.id]
    assert [f["key"] for f in dit.figures] == [f"{c}.{v}" for c, v, _, _ in FIGURES]
    checked = 0
    for figure in dit.figures:
        code, variant = figure["key"].split(".")
        for year, value in zip(figure["years"], figure["values"], strict=True):
            sel = make_selection(home, [hand_cohort.programme], [year], 12,
                                 Params(as_of=min(today(), date(year, 12, 31))))
            if code in WHOLE_INSTITUTION:
                # the indicator counts the whole institution whatever the programmes: the
                # programme's panel leaves it empty and says so, rather than repeat it
                every = make_selection(home, list(hand_cohort.institution.programmes), [year],
                                       12, Params(as_of=min(today(), date(year, 12, 31))))
                assert compute(code, sel, variant).value == compute(code, every, variant).value
                assert value is None and figure["whole_institution"], figure["key"]
            else:
                assert value == compute(code, sel, variant).value, (figure["key"], year)
            checked += 1
    assert checked == len(FIGURES) * 3 + len([f for f in FIGURES if f[3] == "calendar"]) * 2
    assert {f["key"].split(".")[0] for f in dit.figures if f.get("whole_institution")} \
        == WHOLE_INSTITUTION
    whole = panels[None]
    assert not any(f.get("whole_institution") for f in whole.figures)
    response = next(f for f in dit.figures if f["key"] == "M1.gross")
    assert response["years"] == [2020, 2023, 2024] and response["values"][-1] == 0.75
    whole = panels[None]
    assert next(f for f in whole.figures if f["key"] == "M2.labour_force")["values"][-1] == 0.8


def test_the_landing_page_shows_them_with_charts_and_links(hand_cohort, as_role, db):
    refresh_dashboard(hand_cohort.institution.id)
    db.session.commit()
    for role in ("officer", "quality", "admin"):
        html = as_role(role).get("/dashboard").get_data(as_text=True)
        assert "Figures" in html and "Response rate" in html and "75.0 %" in html, role
        assert "/outcomes/records?code=M1" in html
        assert "By programme" in html and "DIT" in html
        # contributions and exchange participants belong to no programme: said, not repeated
        assert html.count("whole institution only") == 2 * 2  # two figures, two programmes
    panel = panels_of(hand_cohort.institution.id)[0]
    chart = as_role("quality").get(f"/dashboard/panels/{panel.id}/M1.gross.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    # no words in a kept chart (drawn once for every language): the page labels it
    assert b"<svg" in chart.data and b"Response rate" not in chart.data
    assert as_role("quality").get(f"/dashboard/panels/{panel.id}/nothing.svg").status_code == 404


def test_others_get_none_of_them(hand_cohort, as_role, db):
    refresh_dashboard(hand_cohort.institution.id)
    db.session.commit()
    panel = panels_of(hand_cohort.institution.id)[0]
    assert as_role("alumnus").get("/dashboard").status_code == 403
    assert as_role("alumnus").get(f"/dashboard/panels/{panel.id}/M1.gross.svg"
                                  ).status_code == 403
    other = as_role("other_officer")
    assert other.get(f"/dashboard/panels/{panel.id}/M1.gross.svg").status_code == 404
    html = other.get("/dashboard").get_data(as_text=True)
    assert "75.0 %" not in html and "have not been counted yet" in html


def test_the_panels_are_drawn_once_per_refresh_and_language(hand_cohort, as_role, db):
    from app.packs import dashboard

    home = hand_cohort.institution
    refresh_dashboard(home.id)
    db.session.commit()
    client = as_role("officer")
    assert "75.0 %" in client.get("/dashboard").get_data(as_text=True)
    drawn = [v for k, v in dashboard._DRAWN.items() if k[0] == home.id]
    client.get("/dashboard")
    assert [v for k, v in dashboard._DRAWN.items() if k[0] == home.id] == drawn  # reused
    thai = client.get("/dashboard", headers={"Accept-Language": "th"})
    assert thai.status_code == 200
    # A refresh makes new panels: the next visit draws what was counted, not the old drawing.
    refresh_dashboard(home.id)
    for panel in panels_of(home.id):
        panel.figures = [{**f, "values": [*f["values"][:-1], 0.5]} if f["key"] == "M1.gross"
                         else f for f in panel.figures]
    db.session.commit()
    html = client.get("/dashboard").get_data(as_text=True)
    assert "50.0 %" in html and "75.0 %" not in html.split("By programme")[0]


@pytest.fixture
def auto_refresh(app):
    app.config["DASHBOARD_AUTO_REFRESH"] = True
    yield
    app.config["DASHBOARD_AUTO_REFRESH"] = False


def test_a_visit_counts_old_or_missing_figures_in_the_background(hand_cohort, as_role, db,
                                                                 auto_refresh):
    client = as_role("officer")
    first = client.get("/dashboard").get_data(as_text=True)
    assert "The figures are being counted" in first
    client.get("/dashboard")  # a second visit queues no second count
    assert db.session.scalar(db.select(db.func.count(Job.id)).where(
        Job.kind == JOB_KIND)) == 1
    wait_for_idle(120)
    assert db.session.scalar(db.select(db.func.count(DashboardPanel.id))) == 3
    assert "75.0 %" in client.get("/dashboard").get_data(as_text=True)
    assert client.post("/dashboard/refresh").status_code == 302
    wait_for_idle(120)
    assert db.session.scalar(db.select(db.func.count(DashboardPanel.id))) == 3


def test_production_counts_them_with_links_on_the_site_address(tmp_path):
    """In a fresh process with production's settings, which trust only the host of BASE_URL:
    the count (the same function the background job runs) builds its links on the site's own
    address. Built on Flask's `localhost` it failed there at the first link, so the landing
    page's figures were never counted in production."""
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items()
           if k not in ("ALUMNET_CONFIG", "TRUSTED_HOSTS", "REDIS_URL", "FLASK_DEBUG")}
    env.update(FLASK_APP="wsgi", DATABASE_URL=f"sqlite:///{tmp_path / 'site.db'}",
               SECRET_KEY="kR3v9-Qe7tLm2xWp8ZcN4bYh6JsA1dUf5gHo0iVy",
               BASE_URL="https://alumni.example.edu/alumnet")

    def flask(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    flask("db", "upgrade")
    flask("seed-demo", "--alumni", "40")
    assert "panel(s) of DEMO counted" in flask("report", "dashboard", "--institution", "demo")
    with sqlite3.connect(tmp_path / "site.db") as conn:
        kept = [row[0] for row in conn.execute("SELECT figures FROM dashboard_panel")]
    assert kept
    hrefs = [f["href"] for figures in kept for f in json.loads(figures) if f["href"]]
    assert hrefs and all(h.startswith("/alumnet/outcomes/records?") for h in hrefs), hrefs[:3]
