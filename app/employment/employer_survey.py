"""Employer satisfaction survey: employers of a programme's alumni rate the seven
competencies on four levels, by one-time link; results per programme and year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select, update

from app.alumni.models import Alumnus, Programme
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import ValidationFailed
from app.core.i18n import N_, in_language
from app.core.jobs import Job, JobContext, enqueue
from app.core.mail import TRANSACTIONAL, queue_email, render_email
from app.core.permissions import require_writer_in_scope
from app.core.tokens import LinkUnusable, find_by_token, new_token
from app.core.urls import external_url
from app.employment import codes
from app.employment.models import (
    Employer,
    EmployerFeedback,
    EmployerFeedbackRequest,
    EmployerRating,
    Employment,
)
from app.employment.satisfaction import answered_employer_ids, satisfaction_figures
from app.extensions import db

# The competencies as an employer reads them about our graduates (the alumni form asks
# about "my field").
COMPETENCY_LABELS = {**codes.COMPETENCIES, "expertise": N_("Expertise in their field")}


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


def _check_year(year: Any) -> int:
    last_year = utcnow().year + 1
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= last_year:
        raise ValidationFailed({"year": gettext("Give a year from %(first)s to %(last)s.",
                                                first=2000, last=last_year)})
    return year


def invite_employers(programme: Programme, year: int, *, actor: Any,
                     ask_again: bool = False) -> Job:
    """Ask each employer of the programme's alumni to rate them for `year`: the requests are
    recorded now and a background job e-mails the one-time links once the caller commits.

    Employers already asked for that programme and year, or whose answer is recorded, are
    skipped unless `ask_again`: then they get a new link (an earlier unanswered link stops
    working) and their new answer replaces the old one in the figure, which stays in history.
    """
    require_writer_in_scope(actor, programme, message="No such programme.")
    year = _check_year(year)
    earlier = list(db.session.scalars(select(EmployerFeedbackRequest).where(
        EmployerFeedbackRequest.programme_id == programme.id,
        EmployerFeedbackRequest.year == year)))
    done = {r.employer_id for r in earlier} | answered_employer_ids(programme.id, year)
    employers = [e for e in employers_of_programme(programme)
                 if ask_again or e.id not in done]
    if not employers:
        raise ValidationFailed({"programme_id": gettext(
            "Every employer of this programme's alumni with a contact e-mail has been asked "
            "or has answered for this year: tick “Ask again” to send them new links, or add "
            "the contact e-mail on an employer's page, or choose another programme or year.")
            if done else gettext(
            "No employer of this programme's alumni has a contact e-mail: add it on an "
            "employer's page, or choose another programme or year.")})
    now = utcnow()
    for req in earlier:
        if req.responded_at is None and not req.expired:
            req.expires_at = now  # the new link replaces it
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
                 after={"year": year, "to_send": len(requests), "job_id": job.id,
                        "ask_again": ask_again})
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
        # Employers have no account: the institution's default language, which the link
        # carries so the form opens in it (its menu switches).
        with in_language(None, programme.institution_id) as language:
            mail = render_email(
                "employer_survey", to=req.email, purpose=TRANSACTIONAL,
                subject=gettext("%(institution)s: how are our %(programme)s graduates doing at "
                                "work?", institution=institution, programme=programme.code),
                employer=req.employer, programme=programme, institution=institution,
                year=req.year, days=days,
                link=external_url("employment.employer_answer", token=raw, lang=language))
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
    """The request behind an employer's link, or LinkUnusable(unknown|answered|expired)."""
    return find_by_token(EmployerFeedbackRequest, raw, spent_reason="answered",
                         spent=lambda r: r.responded_at is not None,
                         expired=lambda r: r.expired)


@dataclass
class EmployerAnswer:
    ratings: dict[str, str | None] = field(default_factory=dict)  # competency -> level
    comments: str | None = None
    respondent_name: str | None = None
    respondent_position: str | None = None
    graduates_employed: int | str | None = None


def _clean_answer(answer: EmployerAnswer, errors: dict[str, str]) -> int | None:
    """The answer's rules (every competency rated on the four levels; a count of graduates);
    returns the count."""
    for key in codes.COMPETENCIES:
        if answer.ratings.get(key) not in codes.SATISFACTION_LEVELS:
            errors[f"rating_{key}"] = gettext("Choose one of the four levels.")
    count = answer.graduates_employed
    if count not in (None, ""):
        try:
            count = int(count)
            if not 0 <= count <= 100000:
                raise ValueError
        except (TypeError, ValueError):
            errors["graduates_employed"] = gettext("Give a whole number from 0 to 100,000.")
    else:
        count = None
    return count


def _feedback(answer: EmployerAnswer, count: int | None, **keys: Any) -> EmployerFeedback:
    feedback = EmployerFeedback(
        respondent_name=(answer.respondent_name or "").strip()[:200] or None,
        respondent_position=(answer.respondent_position or "").strip()[:200] or None,
        graduates_employed=count, comments=(answer.comments or "").strip() or None, **keys)
    feedback.ratings = [EmployerRating(competency=k, level=answer.ratings[k])
                        for k in codes.COMPETENCIES]
    db.session.add(feedback)
    db.session.flush()
    return feedback


def submit_employer_feedback(req: EmployerFeedbackRequest, answer: EmployerAnswer
                             ) -> EmployerFeedback:
    """Store the employer's ratings once; the link is then spent. An answer recorded before
    for the same programme and year stays in history; this one counts."""
    if req.responded_at is not None:
        raise LinkUnusable("answered", req)
    errors: dict[str, str] = {}
    count = _clean_answer(answer, errors)
    if errors:
        raise ValidationFailed(errors)
    req.responded_at = utcnow()
    feedback = _feedback(answer, count, institution_id=req.institution_id, request_id=req.id,
                         employer_id=req.employer_id, programme_id=req.programme_id,
                         year=req.year)
    record_audit(None, "employer_survey.answer", feedback,
                 after={"employer_id": req.employer_id, "programme_id": req.programme_id})
    return feedback


def record_employer_feedback(employer: Employer, programme: Programme, year: int,
                             answer: EmployerAnswer, *, actor: Any) -> EmployerFeedback:
    """The office records an employer's ratings given another way (a call, a paper form).
    It counts as that employer's answer for the programme and year until a later one."""
    require_writer_in_scope(actor, employer, programme, message="No such employer or programme.")
    errors: dict[str, str] = {}
    if employer.institution_id != programme.institution_id:
        errors["programme_id"] = gettext("Choose a programme of the employer's institution.")
    try:
        year = _check_year(year)
    except ValidationFailed as exc:
        errors.update({k: " ".join(v) for k, v in exc.field_errors.items()})
    count = _clean_answer(answer, errors)
    if errors:
        raise ValidationFailed(errors)
    feedback = _feedback(answer, count, institution_id=employer.institution_id,
                         request_id=None, employer_id=employer.id, programme_id=programme.id,
                         year=year)
    record_audit(actor, "employer_survey.record", feedback,
                 after={"employer_id": employer.id, "programme_id": programme.id,
                        "year": year})
    return feedback


def satisfaction_results(actor: Any) -> list[dict[str, Any]]:
    """The figures of `satisfaction.satisfaction_figures` as plain rows: per programme and
    year the employers asked and answering (each employer once, the latest answer counting),
    and per competency the shares rated very good / good / fair / poor, with the comments."""
    return [{"programme": f.programme_label, "year": f.year, "asked": len(f.asked),
             "answered": f.answered, "recorded_without_link": f.recorded_without_link,
             "earlier": len(f.earlier), "competencies": f.competencies,
             "comments": f.comments, "figure": f}
            for f in satisfaction_figures(actor)]
