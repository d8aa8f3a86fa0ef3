"""What employment adds to the others: the alumnus-page panels, the timeline source and the
engagement sources (jobs reported, tracer surveys answered)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from app.core.i18n import N_, format_date
from app.core.own_words import own_words
from app.core.panels import add_panel
from app.core.permissions import can_write
from app.core.timeline import TimelineItem, add_timeline_source, staff_link
from app.employment import codes
from app.employment.models import SurveyResponse, TracerSurvey
from app.employment.services import employment_history
from app.employment.services.records import reporting_activity
from app.employment.tracer import open_invitations_for
from app.employment.tracer.counts import answering_activity
from app.employment.tracer_import.kind import TRACER_KIND
from app.engagement.services import add_engagement_source
from app.extensions import db
from app.imports.pipeline import register_kind


def _staff_panel(alumnus: Any, viewer: Any) -> dict[str, Any]:
    return {"alumnus": alumnus, "jobs": employment_history(alumnus),
            "can_write": can_write(viewer), "codes": codes}


def _self_panel(alumnus: Any, viewer: Any) -> dict[str, Any]:
    return {"alumnus": alumnus, "jobs": employment_history(alumnus),
            "surveys": open_invitations_for(alumnus), "codes": codes}


def timeline(alumnus: Any) -> list[TimelineItem]:
    """What the alumnus did here: jobs they reported themselves and tracer surveys answered
    (records kept by the office are not the alumnus's activity; survey answers carry theirs)."""
    items = []
    for job in employment_history(alumnus):
        if job.source != "self":
            continue
        # Built for the page that shows it, so in its reader's language.
        what = job.job_title or gettext(codes.EMPLOYMENT_STATUSES.get(job.status, job.status))
        title = (gettext("Reported a job: %(what)s at %(employer)s", what=what,
                         employer=job.employer.name) if job.employer
                 else gettext("Reported a job: %(what)s", what=what))
        since = gettext("since %(date)s", date=format_date(job.start_date)) \
            if job.start_date else ""
        items.append(TimelineItem(
            when=job.updated_at or job.created_at, kind="employment",
            title=title, detail=since,
            url=staff_link("employment.edit_job", employment_id=job.id)))
    rows = db.session.execute(
        select(SurveyResponse.submitted_at, TracerSurvey.title, TracerSurvey.title_translations,
               TracerSurvey.id)
        .join(TracerSurvey, TracerSurvey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.alumnus_id == alumnus.id))
    for submitted_at, title, translations, survey_id in rows:
        items.append(TimelineItem(when=submitted_at, kind="survey",
                                  title=gettext("Answered the tracer survey “%(survey)s”",
                                                survey=own_words(title, translations)),
                                  url=staff_link("employment.survey", survey_id=survey_id)))
    return items


def register() -> None:
    """Called once by create_app (every registration is idempotent)."""
    add_panel("employment", "employment/_staff_panel.html", _staff_panel, where="staff",
              order=20)
    add_panel("employment", "employment/_self_panel.html", _self_panel, where="self", order=20)
    add_timeline_source("employment", timeline)
    # The engagement rate (E1) asks each feature once for the alumni active in a window.
    add_engagement_source("employment", N_("Jobs reported"), activity=reporting_activity,
                          kinds=("employment",))
    add_engagement_source("survey", N_("Tracer surveys answered"), activity=answering_activity,
                          kinds=("survey",))
    # Kind "tracer" in the import wizard, `flask import` and the jobs.
    register_kind(TRACER_KIND)
