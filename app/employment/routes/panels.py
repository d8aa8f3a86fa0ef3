"""Panels on the alumnus pages and the timeline source of this feature."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select

from app.core.panels import add_panel
from app.core.permissions import can_write
from app.core.timeline import TimelineItem, add_timeline_source
from app.employment import codes
from app.employment.models import SurveyResponse, TracerSurvey
from app.employment.services import employment_history
from app.employment.tracer import open_invitations_for
from app.extensions import db


def _staff_panel(alumnus: Any, viewer: Any) -> dict[str, Any]:
    return {"alumnus": alumnus, "jobs": employment_history(alumnus),
            "can_write": can_write(viewer), "codes": codes}


def _self_panel(alumnus: Any, viewer: Any) -> dict[str, Any]:
    return {"alumnus": alumnus, "jobs": employment_history(alumnus),
            "surveys": open_invitations_for(alumnus), "codes": codes}


def timeline(alumnus: Any) -> list[TimelineItem]:
    """Jobs reported and tracer surveys answered."""
    items = []
    for job in employment_history(alumnus):
        employer = job.employer.name if job.employer else ""
        title = codes.EMPLOYMENT_STATUSES.get(job.status, job.status)
        if job.job_title:
            title = f"{job.job_title} ({title})"
        items.append(TimelineItem(
            when=job.start_date or job.created_at, kind="employment", title=title,
            detail=" · ".join(p for p in (employer, codes.SOURCES.get(job.source, "")) if p),
            url=url_for("employment.edit_job", employment_id=job.id)))
    rows = db.session.execute(
        select(SurveyResponse.submitted_at, TracerSurvey.title, TracerSurvey.id)
        .join(TracerSurvey, TracerSurvey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.alumnus_id == alumnus.id))
    for submitted_at, title, survey_id in rows:
        items.append(TimelineItem(when=submitted_at, kind="survey",
                                  title=f"Answered the tracer survey “{title}”",
                                  url=url_for("employment.survey", survey_id=survey_id)))
    return items


def register_extensions() -> None:
    add_panel("employment", "employment/_staff_panel.html", _staff_panel, where="staff",
              order=20)
    add_panel("employment", "employment/_self_panel.html", _self_panel, where="self", order=20)
    add_timeline_source("employment", timeline)
