"""Employer satisfaction survey: employers of a programme's alumni rate the seven
competencies on four levels, by one-time link; results per programme and year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import case, func, select, update

from app.alumni.models import Alumnus, Programme
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import NotFound, ValidationFailed
from app.core.jobs import Job, JobContext, enqueue
from app.core.mail import queue_email, render_email
from app.core.permissions import in_scope, require_writer, scope
from app.core.tokens import hash_token, new_token
from app.core.urls import external_url
from app.employment import codes
from app.employment.models import (
    Employer,
    EmployerFeedback,
    EmployerFeedbackRequest,
    EmployerRating,
    Employment,
)
from app.employment.tracer import LinkProblem
from app.extensions import db

# The competencies as an employer reads them about our graduates (the alumni form asks
# about "my field").
COMPETENCY_LABELS = {**codes.COMPETENCIES, "expertise": "Expertise in their field"}


def employers_of_programme(programme: Programme) -> list[Employer]:
    """Employers (with a contact e-mail) who employ or employed alumni of the programme."""
    stmt = (select(Employer).where(
        Employer.institution_id == programme.institution_id,
        Employer.contact_email.is_not(None), Employer.contact_email != "",
        select(Employment.id).join(Alumnus, Alumnus.id == Employment.alumnus_id)
        .where(Employment.employer_id == Employer.id,
               Alumnus.programme_id == programme.id).exists())
        .order_by(Employer.normalised_name))
    return list(db.session.scalars(stmt))


SENDING_JOB = "app.employment.employer_survey:send_employer_invitations_job"


def invite_employers(programme: Programme, year: int, *, actor: Any) -> Job:
    """Ask each employer of the programme's alumni to rate them for `year` (employers already
    asked for that programme and year are skipped): the requests are recorded now and a
    background job e-mails the one-time links once the caller commits."""
    require_writer(actor)
    if not in_scope(programme, actor):
        raise NotFound("No such programme.")
    last_year = utcnow().year + 1
    if not 2000 <= int(year) <= last_year:
        raise ValidationFailed({"year": f"Give a year from 2000 to {last_year}."})
    asked = set(db.session.scalars(select(EmployerFeedbackRequest.employer_id).where(
        EmployerFeedbackRequest.programme_id == programme.id,
        EmployerFeedbackRequest.year == year)))
    employers = [e for e in employers_of_programme(programme) if e.id not in asked]
    if not employers:
        raise ValidationFailed({"programme_id": (
            "No employer of this programme's alumni with a contact e-mail is waiting for a "
            "link: add the contact e-mail on an employer's page, or choose another programme "
            "or year.")})
    days = max(1, current_app.config["INVITATION_TTL_HOURS"] // 24) * 2
    requests = []
    for employer in employers:
        _, digest = new_token()  # replaced by the link's own token when the job sends it
        requests.append(EmployerFeedbackRequest(
            institution_id=programme.institution_id, employer_id=employer.id,
            programme_id=programme.id, year=year, email=employer.contact_email,
            token_hash=digest, expires_at=utcnow() + timedelta(days=days),
            created_by_id=actor.id))
    db.session.add_all(requests)
    db.session.flush()
    job = enqueue("employer_survey", SENDING_JOB, actor=actor,
                  institution_id=programme.institution_id, total=len(requests),
                  request_ids=[r.id for r in requests], days=days)
    record_audit(actor, "employer_survey.invite", programme,
                 after={"year": year, "to_send": len(requests), "job_id": job.id})
    return job


def send_employer_invitations_job(ctx: JobContext, *, request_ids: list[int],
                                  days: int) -> dict[str, int]:
    """Background job: write each request's link, let the mail go after that commit, then
    record each one sent or undeliverable."""
    requests = list(db.session.scalars(select(EmployerFeedbackRequest).where(
        EmployerFeedbackRequest.id.in_(request_ids),
        EmployerFeedbackRequest.sent_at.is_(None),
        EmployerFeedbackRequest.undeliverable_at.is_(None))
        .order_by(EmployerFeedbackRequest.id)))
    by_mail, mails = {}, []
    for req in requests:
        raw, req.token_hash = new_token()
        programme, institution = req.programme, req.programme.institution.name
        mail = render_email("employer_survey", to=req.email,
                            subject=f"{institution}: how are our {programme.code} graduates "
                                    "doing at work?",
                            employer=req.employer, programme=programme,
                            institution=institution, year=req.year, days=days,
                            link=external_url("employment.employer_answer", token=raw))
        by_mail[id(mail)] = req.id
        mails.append(mail)
    queued = queue_email(mails, tell=False)
    db.session.commit()  # the links are saved before any message carries one
    now, sent = utcnow(), [by_mail[id(item)] for item in queued.sent]
    refused = [by_mail[id(item)] for item, error in queued.failed if error is not queued.error]
    if sent:
        db.session.execute(update(EmployerFeedbackRequest).where(
            EmployerFeedbackRequest.id.in_(sent)).values(sent_at=now))
    if refused:
        db.session.execute(update(EmployerFeedbackRequest).where(
            EmployerFeedbackRequest.id.in_(refused)).values(undeliverable_at=now))
    if queued.error is not None:  # the server is down: keep what was learnt, the rest waits
        db.session.commit()
        raise queued.error
    ctx.progress(len(mails), len(mails), f"{len(sent)} sent, {len(refused)} undeliverable")
    return {"sent": len(sent), "undeliverable": len(refused)}


def find_request(raw: str) -> EmployerFeedbackRequest:
    """The request behind an employer's link, or LinkProblem(unknown|answered|expired)."""
    req = db.session.scalar(select(EmployerFeedbackRequest).where(
        EmployerFeedbackRequest.token_hash == hash_token(raw or "")))
    if req is None:
        raise LinkProblem("unknown")
    if req.responded_at is not None:
        raise LinkProblem("answered")
    if req.expired:
        raise LinkProblem("expired")
    return req


@dataclass
class EmployerAnswer:
    ratings: dict[str, str | None] = field(default_factory=dict)  # competency -> level
    comments: str | None = None
    respondent_name: str | None = None
    respondent_position: str | None = None
    graduates_employed: int | str | None = None


def submit_employer_feedback(req: EmployerFeedbackRequest, answer: EmployerAnswer
                             ) -> EmployerFeedback:
    """Store the employer's ratings once; the link is then spent."""
    if req.responded_at is not None:
        raise LinkProblem("answered")
    errors: dict[str, str] = {}
    for key in codes.COMPETENCIES:
        if answer.ratings.get(key) not in codes.SATISFACTION_LEVELS:
            errors[f"rating_{key}"] = "Choose one of the four levels."
    count = answer.graduates_employed
    if count not in (None, ""):
        try:
            count = int(count)
            if not 0 <= count <= 100000:
                raise ValueError
        except (TypeError, ValueError):
            errors["graduates_employed"] = "Give a whole number from 0 to 100,000."
    else:
        count = None
    if errors:
        raise ValidationFailed(errors)
    req.responded_at = utcnow()
    feedback = EmployerFeedback(
        institution_id=req.institution_id, request_id=req.id, employer_id=req.employer_id,
        programme_id=req.programme_id, year=req.year,
        respondent_name=(answer.respondent_name or "").strip()[:200] or None,
        respondent_position=(answer.respondent_position or "").strip()[:200] or None,
        graduates_employed=count, comments=(answer.comments or "").strip() or None)
    feedback.ratings = [EmployerRating(competency=k, level=answer.ratings[k])
                        for k in codes.COMPETENCIES]
    db.session.add(feedback)
    db.session.flush()
    record_audit(None, "employer_survey.answer", feedback,
                 after={"employer_id": req.employer_id, "programme_id": req.programme_id})
    return feedback


def satisfaction_results(actor: Any) -> list[dict[str, Any]]:
    """Per programme and year: employers asked and answering (ratings recorded without a
    link count in both, and are counted apart), and per competency the shares rated very
    good / good / fair / poor, with the comments."""
    rows = db.session.execute(
        scope(select(EmployerFeedback.programme_id, EmployerFeedback.year,
                     EmployerRating.competency, EmployerRating.level,
                     func.count(EmployerRating.id)),
              EmployerFeedback, actor)
        .join(EmployerRating, EmployerRating.feedback_id == EmployerFeedback.id)
        .group_by(EmployerFeedback.programme_id, EmployerFeedback.year,
                  EmployerRating.competency, EmployerRating.level)
    ).all()
    asked = dict(((p, y), n) for p, y, n in db.session.execute(
        scope(select(EmployerFeedbackRequest.programme_id, EmployerFeedbackRequest.year,
                     func.count(EmployerFeedbackRequest.id)),
              EmployerFeedbackRequest, actor)
        .group_by(EmployerFeedbackRequest.programme_id, EmployerFeedbackRequest.year)))
    # Ratings recorded without an e-mailed request (entered by the office, earlier rounds)
    # were asked for too, just not by link: they count as asked and answered, so the figure
    # never reads "5 of 0 employers answered".
    answered, without_link = {}, {}
    for p, y, n, unlinked in db.session.execute(
            scope(select(EmployerFeedback.programme_id, EmployerFeedback.year,
                         func.count(EmployerFeedback.id),
                         func.count(case((EmployerFeedback.request_id.is_(None), 1)))),
                  EmployerFeedback, actor)
            .group_by(EmployerFeedback.programme_id, EmployerFeedback.year)):
        answered[(p, y)], without_link[(p, y)] = n, unlinked
        asked[(p, y)] = asked.get((p, y), 0) + unlinked
    counts: dict[tuple[int, int], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(codes.SATISFACTION_LEVELS, 0)))
    for programme_id, year, competency, level, n in rows:
        counts[(programme_id, year)][competency][level] = n
    programmes = {p.id: p for p in db.session.scalars(
        scope(select(Programme), Programme, actor))}
    out = []
    for key in sorted(set(counts) | set(asked), key=lambda k: (-k[1], k[0])):
        programme_id, year = key
        per = {}
        for competency in codes.COMPETENCIES:
            levels = counts[key][competency] if key in counts else dict.fromkeys(
                codes.SATISFACTION_LEVELS, 0)
            n = sum(levels.values())
            per[competency] = {lvl: (round(100.0 * c / n, 1) if n else None)
                               for lvl, c in levels.items()} | {"n": n}
        comments = list(db.session.execute(
            select(Employer.name, EmployerFeedback.comments)
            .join(Employer, Employer.id == EmployerFeedback.employer_id)
            .where(EmployerFeedback.programme_id == programme_id,
                   EmployerFeedback.year == year, EmployerFeedback.comments.is_not(None))))
        programme = programmes.get(programme_id)
        out.append({"programme": programme.label if programme else str(programme_id),
                    "year": year, "asked": asked.get(key, 0), "answered": answered.get(key, 0),
                    "recorded_without_link": without_link.get(key, 0),
                    "competencies": per, "comments": comments})
    return out
