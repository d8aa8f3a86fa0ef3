"""Who is invited to a tracer survey: the alumni of its cohorts the mail gate lets a tracer
invitation reach."""

from __future__ import annotations

from sqlalchemy import and_, case, func, insert, select

from app.alumni.models import Alumnus
from app.core.db import utcnow
from app.core.mail import mail_exclusion
from app.employment.models import SurveyInvitation, TracerSurvey, TracerSurveyCohort
from app.extensions import db


def invitable():
    """SQL condition: an alumnus a tracer invitation may go to. The mail gate's own rule for
    the tracer purpose (app.core.mail.mail_exclusion, registered by mailings): not deceased,
    archived or opted out, an address that has not bounced, tracer consent not withdrawn (no
    record counts as not withdrawn). "contact" is alumni news and events, a purpose of its own:
    saying No to it leaves the surveys on."""
    return mail_exclusion("tracer").is_(None)


def _in_cohorts(survey: TracerSurvey):
    return select(TracerSurveyCohort.id).where(
        TracerSurveyCohort.survey_id == survey.id,
        TracerSurveyCohort.programme_id == Alumnus.programme_id,
        TracerSurveyCohort.cohort_year == Alumnus.cohort_year,
    ).exists()


def cohort_population(survey: TracerSurvey) -> dict[str, int]:
    """How many alumni the cohorts hold, and how many of them may be invited: one pass over
    the cohorts' own records (through the institution + programme + cohort index), not over
    the whole register."""
    row = db.session.execute(
        select(func.count(Alumnus.id), func.count(case((invitable(), 1))))
        .select_from(TracerSurveyCohort)
        .join(Alumnus, and_(Alumnus.institution_id == survey.institution_id,
                            Alumnus.programme_id == TracerSurveyCohort.programme_id,
                            Alumnus.cohort_year == TracerSurveyCohort.cohort_year))
        .where(TracerSurveyCohort.survey_id == survey.id, Alumnus.archived_at.is_(None))
    ).one()
    return {"cohort": row[0] or 0, "contactable": row[1] or 0}


def prepare_invitations(survey: TracerSurvey) -> int:
    """Create an invitation row for every contactable alumnus of the cohorts not yet invited."""
    already = select(SurveyInvitation.id).where(SurveyInvitation.survey_id == survey.id,
                                                SurveyInvitation.alumnus_id == Alumnus.id)
    rows = db.session.execute(
        select(Alumnus.id, Alumnus.programme_id, Alumnus.cohort_year, Alumnus.email)
        .where(Alumnus.institution_id == survey.institution_id, _in_cohorts(survey),
               invitable(), ~already.exists())
        .order_by(Alumnus.id)
    ).all()
    if rows:
        now = utcnow()
        db.session.execute(insert(SurveyInvitation), [
            {"survey_id": survey.id, "institution_id": survey.institution_id,
             "alumnus_id": r.id, "programme_id": r.programme_id, "cohort_year": r.cohort_year,
             "email": r.email, "created_at": now, "reminder_count": 0}
            for r in rows
        ])
    return len(rows)
