"""The figures of the staff landing page: the institution's and each programme's current
figures with their last five years as small charts, each linking to its records.

Counting them takes seconds on a large register, so `refresh_dashboard` (a background job,
`flask report dashboard`, or the page itself when the figures are older than
DASHBOARD_MAX_AGE_MINUTES) counts them with the indicator functions and keeps them in
`dashboard_panel`; the page reads those rows and draws them once per refresh and language
(`drawn_panels`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import get_locale, gettext
from markupsafe import Markup
from sqlalchemy import delete, select
from sqlalchemy.orm import defer

from app.alumni.models import Institution, Programme
from app.core.db import as_utc, today, utcnow
from app.core.i18n import N_
from app.core.jobs import Job, JobContext, enqueue
from app.core.permissions import ADMIN, STAFF_READ
from app.core.urls import site_request_context
from app.extensions import db
from app.packs.models import DashboardPanel
from app.reports.indicators import Params, compute, make_selection, shared_queries
from app.reports.listing import page_value

JOB_KIND = "dashboard_refresh"
HANDLER = "app.packs.dashboard:refresh_dashboard_job"
DEPTH = 5
REFERENCE_MONTHS = 12
# (code, variant, label, years): "cohort" years are graduation years, "calendar" the years of
# the activity; E4 is the money received in the institution's currency.
FIGURES = (
    ("M1", "gross", N_("Response rate"), "cohort"),
    ("M2", "labour_force", N_("Employment rate"), "cohort"),
    ("M5", "median", N_("Waiting time (median)"), "cohort"),
    ("M6", "high", N_("Job match"), "cohort"),
    ("E1", "rate", N_("Engagement rate"), "calendar"),
    ("E3", "active_mentors", N_("Active mentors"), "calendar"),
    ("E4", "money", N_("Contributions"), "calendar"),
    ("X1", "total", N_("Exchange participants"), "calendar"),
)
# Figures whose indicator counts the whole institution whatever programmes are chosen (a
# contribution, an exchange participation belong to no programme): a programme's panel keeps
# their column empty and says so, instead of repeating the institution's figure.
WHOLE_INSTITUTION = frozenset({"E4", "X1"})
# The kept figures carry their English label; the page shows the reader's (figure_label).
LABELS = {f"{code}.{variant}": label for code, variant, label, _kind in FIGURES}


def figure_label(figure: dict) -> str:
    """A kept figure's label in the page's language (E4 with its currency)."""
    label = LABELS.get(figure.get("key", ""))
    if label is None:  # a figure kept before its label changed: as it was kept
        return figure.get("label", "")
    if figure.get("currency") and figure.get("key") == "E4.money":
        return gettext("%(figure)s (%(currency)s)", figure=gettext(label),
                       currency=figure["currency"])
    return gettext(label)


def last_cohorts(institution_id: int) -> list[int]:
    """The five latest graduation years of the register, oldest first."""
    from app.alumni.models import Alumnus

    years = db.session.scalars(
        select(Alumnus.cohort_year).where(Alumnus.institution_id == institution_id,
                                          Alumnus.cohort_year.is_not(None))
        .group_by(Alumnus.cohort_year).order_by(Alumnus.cohort_year.desc()).limit(DEPTH))
    return sorted(years)


def _records_href(result, programme_ids: list[int], years: list[int],
                  institution_id: int) -> str | None:
    if result.counted is None:
        return None
    args = {"code": result.code, "variant": result.variant, "which": "counted",
            "programme": programme_ids, "cohort": years, "months": REFERENCE_MONTHS,
            "institution": institution_id}
    if result.currency:
        args["currency"] = result.currency
    if result.as_of is not None:  # the figure's own day: the kept figure's records
        args["as_of"] = result.as_of.isoformat()
    # a path on this site: the page that shows it is served by the same site (built on the
    # site's own address: a job's context on Flask's `localhost` is refused by TRUSTED_HOSTS)
    with site_request_context():
        return url_for("reports.records", **args)


def panel_figures(institution: Institution, programmes: list[Programme], cohorts: list[int],
                  calendar: list[int], *, whole: bool = True
                  ) -> tuple[list[dict], dict[str, str]]:
    """The figures of one panel (each over its five years) and their trend charts; a
    programme's panel (`whole` False) leaves out the WHOLE_INSTITUTION figures."""
    from app.packs.charts import sparkline

    ids = [p.id for p in programmes]
    figures, charts = [], {}
    for code, variant, label, kind in FIGURES:
        years = cohorts if kind == "cohort" else calendar
        if not whole and code in WHOLE_INSTITUTION:
            figures.append({"key": f"{code}.{variant}", "label": label, "whole_institution": True,
                            "unit": "count", "currency": None, "years": years,
                            "values": [None] * len(years), "href": None, "trend_href": None})
            continue
        values, last = [], None
        for year in years:
            as_of = min(today(), date(year, 12, 31))
            sel = make_selection(institution, ids, [year], REFERENCE_MONTHS, Params(as_of=as_of))
            last = compute(code, replace(sel), variant)
            values.append(last.value)
        key = f"{code}.{variant}"
        unit = last.unit if last else "count"
        currency = last.currency if last else None
        figures.append({
            "key": key, "label": label if code != "E4" else f"{label} ({currency})",
            "unit": unit, "currency": currency, "years": years, "values": values,
            "href": _records_href(last, ids, years[-1:], institution.id) if last else None,
            "trend_href": _records_href(last, ids, years, institution.id) if last else None})
        # no words in the kept chart (drawn once for every language): the page shows the label
        charts[key] = sparkline(values, [str(y) for y in years], unit=unit)
    return figures, charts


def refresh_dashboard(institution_id: int) -> int:
    """Count the landing page's figures of the institution and each programme again and
    keep them (replacing the earlier ones); returns the number of panels."""
    institution = db.session.get(Institution, institution_id)
    programmes = list(db.session.scalars(select(Programme).where(
        Programme.institution_id == institution_id).order_by(Programme.code)))
    cohorts = last_cohorts(institution_id) or [today().year - 1]
    this_year = today().year
    calendar = list(range(this_year - DEPTH + 1, this_year + 1))
    panels = []
    with shared_queries():  # each cohort's counted responses and aggregates read once
        for scope in [None, *programmes]:
            chosen = programmes if scope is None else [scope]
            if not chosen:
                continue
            figures, charts = panel_figures(institution, chosen, cohorts, calendar,
                                            whole=scope is None)
            panels.append(DashboardPanel(
                institution_id=institution_id, programme_id=scope.id if scope else None,
                label=institution.name if scope is None else f"{scope.code} {scope.name}",
                computed_at=utcnow(), figures=figures, charts=charts))
    db.session.execute(delete(DashboardPanel).where(
        DashboardPanel.institution_id == institution_id))
    db.session.add_all(panels)
    db.session.flush()
    return len(panels)


def refresh_dashboard_job(ctx: JobContext, *, of_institution: int) -> dict:
    """The background refresh (job "dashboard_refresh")."""
    return {"panels": refresh_dashboard(of_institution)}


def request_refresh(institution_id: int, *, actor: Any = None) -> Job | None:
    """Queue a refresh unless one is already waiting or running; the caller commits."""
    waiting = db.session.scalar(select(Job.id).where(
        Job.kind == JOB_KIND, Job.institution_id == institution_id,
        Job.status.in_(("queued", "running"))))
    if waiting is not None:
        return None
    # the job's own parameter is named apart from enqueue's institution_id (its scope)
    return enqueue(JOB_KIND, HANDLER, actor=actor, institution_id=institution_id,
                   of_institution=institution_id)


def panels_of(institution_id: int) -> list[DashboardPanel]:
    """The kept panels (without their charts): the institution's first, then programmes."""
    return list(db.session.scalars(
        select(DashboardPanel).options(defer(DashboardPanel.charts))
        .where(DashboardPanel.institution_id == institution_id)
        .order_by(*PANEL_ORDER)))


PANEL_ORDER = (DashboardPanel.programme_id.is_not(None), DashboardPanel.label)
# The panels as HTML, drawn once per refresh and language in each process: a visit reads the
# panels' ids and times (one small query) and finds them drawn (rendering eleven panels of
# figures with their five years costs more than the rest of the page).
_DRAWN: dict[tuple, Markup] = {}
_DRAWN_LIMIT = 64


def drawn_panels(institution_id: int, heads: list[tuple[int, Any]]) -> Markup:
    """The kept panels of the institution as drawn HTML; `heads` are their (id, counted at),
    in page order, which name the drawing (a refresh makes new panels, so a new drawing)."""
    key = (institution_id, tuple(heads), str(get_locale()))
    drawn = _DRAWN.get(key)
    if drawn is None:
        drawn = Markup(render_template("packs/_dashboard_panels.html",
                                       panels=panels_of(institution_id), fmt=page_value,
                                       label=figure_label))
        if len(_DRAWN) >= _DRAWN_LIMIT:
            _DRAWN.clear()
        _DRAWN[key] = drawn
    return drawn


def section_context(user: Any) -> dict | None:
    """The landing page's figures section for a staff member (None for anyone else)."""
    if not getattr(user, "is_authenticated", False) or user.role not in STAFF_READ:
        return None
    institution_id = user.institution_id
    if user.role == ADMIN or institution_id is None:
        from app.alumni.services import home_institution

        home = home_institution()
        institution_id = home.id if home else None
    if institution_id is None:
        return None
    heads = [tuple(row) for row in db.session.execute(
        select(DashboardPanel.id, DashboardPanel.computed_at)
        .where(DashboardPanel.institution_id == institution_id).order_by(*PANEL_ORDER))]
    computed_at = heads[0][1] if heads else None
    max_age = timedelta(minutes=current_app.config.get("DASHBOARD_MAX_AGE_MINUTES", 60))
    stale = computed_at is None or utcnow() - as_utc(computed_at) > max_age
    refreshing = False
    if stale and current_app.config.get("DASHBOARD_AUTO_REFRESH", True):
        refreshing = request_refresh(institution_id, actor=user) is not None
        db.session.commit()
    return {"computed_at": computed_at, "stale": stale, "refreshing": refreshing,
            "drawn": drawn_panels(institution_id, heads) if heads else Markup(""),
            "institution_id": institution_id}
