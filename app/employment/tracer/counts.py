"""Counts of a tracer survey campaign: responses, response rates per programme and cohort,
and the engagement source for surveys answered."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select

from app.alumni.models import Programme
from app.core.figure_cache import cached_figure
from app.employment.models import SurveyInvitation, SurveyResponse, TracerSurvey
from app.employment.tracer.audience import cohort_population
from app.engagement.services import day_window, latest_activity
from app.extensions import db


def response_count(survey: TracerSurvey) -> int:
    return db.session.scalar(select(func.count(SurveyInvitation.id)).where(
        SurveyInvitation.survey_id == survey.id,
        SurveyInvitation.responded_at.is_not(None))) or 0


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# The invitation figures are polled while a campaign sends (stats.json, every few seconds):
# kept this long at most, so each poll reads them instead of every invitation of the campaign
# (a campaign of the whole register is as long as the register).
INVITATION_FIGURE_SECONDS = 5


def invitation_figures(survey_id: int, institution_id: int) -> dict[str, Any]:
    """Invited, delivered, undeliverable, responded, response rate gross (R / invited) and net
    (R / (invited − undeliverable)), overall ("total") and per programme and cohort
    ("groups"), counted now over the survey's invitations."""
    inv = SurveyInvitation
    sent = or_(inv.sent_at.is_not(None), inv.undeliverable_at.is_not(None))
    rows = db.session.execute(
        select(inv.programme_id, inv.cohort_year,
               func.count(case((sent, 1))).label("invited"),
               func.count(case((and_(inv.sent_at.is_not(None), inv.undeliverable_at.is_(None)),
                                1))).label("delivered"),
               func.count(inv.undeliverable_at).label("undeliverable"),
               func.count(inv.responded_at).label("responded"),
               func.count(inv.reminded_at).label("reminded"),
               func.count().label("listed"))  # every row: the index alone answers
        .where(inv.survey_id == survey_id)
        .group_by(inv.programme_id, inv.cohort_year)
    ).all()
    programmes = {p.id: p.code for p in db.session.execute(
        select(Programme.id, Programme.code).where(Programme.institution_id == institution_id))}

    def figures(invited: int, delivered: int, undeliverable: int, responded: int,
                reminded: int, listed: int) -> dict[str, Any]:
        return {"invited": invited, "delivered": delivered, "undeliverable": undeliverable,
                "responded": responded, "reminded": reminded, "not_yet_sent": listed - invited,
                "rate_gross": _rate(responded, invited),
                "rate_net": _rate(responded, invited - undeliverable)}

    groups = []
    totals = [0] * 6
    for r in sorted(rows, key=lambda r: (programmes.get(r.programme_id, ""), r.cohort_year or 0)):
        values = (r.invited, r.delivered, r.undeliverable, r.responded, r.reminded, r.listed)
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        groups.append({"programme": programmes.get(r.programme_id, "—"),
                       "cohort": r.cohort_year, **figures(*values)})
    return {"total": figures(*totals), "groups": groups}


def campaign_stats(survey: TracerSurvey) -> dict[str, Any]:
    """The campaign's invitation figures (`invitation_figures`, a few seconds old at most;
    "as_of" says when they were counted) and its cohort's size (a minute old at most;
    "population_as_of")."""
    # counted again in the background when old: plain values, not the request's survey
    survey_id, institution_id = survey.id, survey.institution_id
    invitations, as_of = cached_figure(("campaign_invitations", survey_id),
                                       lambda: invitation_figures(survey_id, institution_id),
                                       max_seconds=INVITATION_FIGURE_SECONDS)
    ref = SimpleNamespace(id=survey_id, institution_id=institution_id)
    population, counted_at = cached_figure(("cohort_population", survey_id),
                                           lambda: cohort_population(ref))
    return {"survey_id": survey_id, **invitations, "population": population,
            "population_as_of": counted_at.isoformat(), "as_of": as_of.isoformat()}


def answering_activity(institution_id: int, since: date, until: date, alumnus: Any = None
                       ) -> list[Select]:
    """Engagement source (SQL): (alumnus id, when) of tracer surveys answered in the window."""
    start, end = day_window(since, until)
    stmt = select(SurveyResponse.alumnus_id, SurveyResponse.submitted_at).where(
        SurveyResponse.institution_id == institution_id,
        SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end)
    return [stmt if alumnus is None else stmt.where(SurveyResponse.alumnus_id == alumnus)]


def engaged_answering(institution_id: int, since: date, until: date
                      ) -> list[tuple[int, date]]:
    """(alumnus id, latest date) of tracer surveys answered in the window."""
    return latest_activity(answering_activity(institution_id, since, until))
