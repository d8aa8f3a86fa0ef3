"""Tracer survey campaigns: surveys, who is invited, sending and reminding by e-mail (a
background job), and the response counts of the campaign page."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, insert, or_, select
from sqlalchemy.orm import aliased

from app.alumni.models import Alumnus, Consent, Programme
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import NotFound, ValidationFailed
from app.core.jobs import Job, JobContext, enqueue
from app.core.mail import Outgoing, render_email, send_bulk
from app.core.permissions import in_scope, require_writer
from app.core.tokens import hash_token, new_token
from app.core.urls import external_url
from app.employment import codes
from app.employment.models import (
    SurveyInvitation,
    SurveyQuestion,
    TracerSurvey,
    TracerSurveyCohort,
)
from app.extensions import db

_NAME, _LINK = "\x00name\x00", "\x00link\x00"  # markers filled in per recipient
CHUNK = 500  # invitations per sending round: tokens written, mails sent, state saved
SURVEY_LINK_DAYS_AFTER_CLOSE = 0  # links expire when the survey closes


@dataclass
class QuestionData:
    label: str
    kind: str
    choices: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class SurveyData:
    title: str | None = None
    reference_months: int | str | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    introduction: str | None = None
    cohorts: list[tuple[int, int]] = field(default_factory=list)  # (programme_id, year)
    questions: list[QuestionData] = field(default_factory=list)


def _clean_question(q: QuestionData, index: int, errors: dict[str, str]) -> dict[str, Any]:
    label = (q.label or "").strip()
    name = f"questions-{index}"
    if not label:
        errors[name] = "Each question needs a text."
    if q.kind not in codes.QUESTION_KINDS:
        errors[name] = "Choose a kind of question."
    choices = [c.strip() for c in (q.choices or []) if c and c.strip()]
    if q.kind == "choice" and len(choices) < 2:
        errors[name] = "A list question needs at least two options."
    return {"label": label[:300], "kind": q.kind, "choices": choices or None,
            "required": bool(q.required), "position": index}


def create_survey(data: SurveyData, *, institution_id: int, actor: Any) -> TracerSurvey:
    """An officer sets up a tracer survey for cohorts (programme + graduation year)."""
    require_writer(actor)
    if actor.role != "admin" and institution_id != actor.institution_id:
        raise ValidationFailed({"cohorts": "Survey your own institution's alumni."})
    errors: dict[str, str] = {}
    title = (data.title or "").strip()
    if not title:
        errors["title"] = "Give the survey a title."
    try:
        months = int(data.reference_months)
    except (TypeError, ValueError):
        months = 0
    if months not in codes.REFERENCE_MONTHS:
        errors["reference_months"] = "Choose 6, 12 or 24 months after graduation."
    if data.opens_on is None:
        errors["opens_on"] = "Give the opening date."
    if data.closes_on is None:
        errors["closes_on"] = "Give the closing date."
    elif data.opens_on and data.closes_on < data.opens_on:
        errors["closes_on"] = "The survey closes after it opens."
    cohorts = sorted(set(data.cohorts))
    if not cohorts:
        errors["cohorts"] = "Choose at least one programme and graduation year."
    programme_ids = {p for p, _ in cohorts}
    if programme_ids:
        found = set(db.session.scalars(select(Programme.id).where(
            Programme.id.in_(programme_ids), Programme.institution_id == institution_id)))
        if found != programme_ids:
            errors["cohorts"] = "Choose programmes of this institution."
    if any(not 1950 <= y <= date.today().year + 1 for _, y in cohorts):
        errors["cohorts"] = "A graduation year is out of range."
    questions = [_clean_question(q, i, errors) for i, q in enumerate(data.questions)]
    if errors:
        raise ValidationFailed(errors)
    survey = TracerSurvey(institution_id=institution_id, title=title[:200],
                          reference_months=months, opens_on=data.opens_on,
                          closes_on=data.closes_on,
                          introduction=(data.introduction or "").strip() or None,
                          created_by_id=actor.id)
    survey.cohorts = [TracerSurveyCohort(programme_id=p, cohort_year=y) for p, y in cohorts]
    survey.questions = [SurveyQuestion(**q) for q in questions]
    db.session.add(survey)
    db.session.flush()
    record_audit(actor, "tracer.create", survey,
                 after={"title": survey.title, "cohorts": [list(c) for c in cohorts],
                        "reference_months": months})
    return survey


def add_question(survey: TracerSurvey, data: QuestionData, *, actor: Any) -> SurveyQuestion:
    """Add an institution-defined question (only before anyone answered)."""
    require_writer(actor)
    if not in_scope(survey, actor):
        raise NotFound("No such survey.")
    if response_count(survey) > 0:
        raise ValidationFailed({"label": "People have answered; the questions are fixed now."})
    errors: dict[str, str] = {}
    values = _clean_question(data, len(survey.questions), errors)
    if errors:
        raise ValidationFailed({"label": next(iter(errors.values()))})
    question = SurveyQuestion(**values)
    survey.questions.append(question)
    db.session.flush()
    record_audit(actor, "tracer.question", survey, after={"label": question.label})
    return question


# --- who is invited --------------------------------------------------------------------------


def consent_withdrawn(purposes: tuple[str, ...] = ("tracer", "contact")):
    """SQL condition: the latest consent record of any of `purposes` is a withdrawal."""
    c, later = aliased(Consent), aliased(Consent)
    newer = select(later.id).where(later.alumnus_id == c.alumnus_id,
                                   later.purpose == c.purpose,
                                   later.recorded_at > c.recorded_at).exists()
    return select(c.id).where(c.alumnus_id == Alumnus.id, c.purpose.in_(purposes),
                              c.granted.is_(False), ~newer).exists()


def contactable():
    """SQL condition: an alumnus the office may send a tracer survey to."""
    return and_(Alumnus.archived_at.is_(None),
                Alumnus.status.not_in(("deceased", "opted_out")),
                Alumnus.email.is_not(None), Alumnus.email != "",
                ~consent_withdrawn())


def _in_cohorts(survey: TracerSurvey):
    return select(TracerSurveyCohort.id).where(
        TracerSurveyCohort.survey_id == survey.id,
        TracerSurveyCohort.programme_id == Alumnus.programme_id,
        TracerSurveyCohort.cohort_year == Alumnus.cohort_year,
    ).exists()


def cohort_population(survey: TracerSurvey) -> dict[str, int]:
    """How many alumni the cohorts hold, and how many of them may be invited."""
    base = select(func.count(Alumnus.id)).where(
        Alumnus.institution_id == survey.institution_id, _in_cohorts(survey),
        Alumnus.archived_at.is_(None))
    return {"cohort": db.session.scalar(base) or 0,
            "contactable": db.session.scalar(base.where(contactable())) or 0}


def prepare_invitations(survey: TracerSurvey) -> int:
    """Create an invitation row for every contactable alumnus of the cohorts not yet invited."""
    already = select(SurveyInvitation.id).where(SurveyInvitation.survey_id == survey.id,
                                                SurveyInvitation.alumnus_id == Alumnus.id)
    rows = db.session.execute(
        select(Alumnus.id, Alumnus.programme_id, Alumnus.cohort_year, Alumnus.email)
        .where(Alumnus.institution_id == survey.institution_id, _in_cohorts(survey),
               contactable(), ~already.exists())
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


def start_sending(survey: TracerSurvey, *, mode: str, actor: Any) -> Job:
    """Queue the invitations (mode "invite") or reminders ("remind") as a background job."""
    require_writer(actor)
    if not in_scope(survey, actor):
        raise NotFound("No such survey.")
    if mode not in ("invite", "remind"):
        raise ValidationFailed({"mode": "Send invitations or reminders."})
    if survey.closes_on < date.today():
        raise ValidationFailed({"mode": "The survey has closed."})
    if survey.opens_on > date.today():  # the link would only show "not open"
        raise ValidationFailed({"mode": f"The survey opens on {survey.opens_on:%d %b %Y}; "
                                        "send the invitations from then."})
    created = prepare_invitations(survey) if mode == "invite" else 0
    pending = db.session.scalar(_pending_stmt(survey.id, mode, count=True)) or 0
    if pending == 0:
        raise ValidationFailed({"mode": "Nobody is waiting for "
                                + ("an invitation." if mode == "invite" else "a reminder.")})
    job = enqueue(f"tracer_{mode}", "app.employment.tracer:send_invitations_job",
                  actor=actor, institution_id=survey.institution_id, total=pending,
                  survey_id=survey.id, mode=mode)
    record_audit(actor, f"tracer.{mode}", survey,
                 after={"job_id": job.id, "new_invitations": created, "to_send": pending})
    return job


# --- sending ---------------------------------------------------------------------------------


@dataclass
class InvitationMail(Outgoing):
    invitation_id: int = 0


def _pending_stmt(survey_id: int, mode: str, *, count: bool = False):
    cols = (func.count(SurveyInvitation.id),) if count else (
        SurveyInvitation.id, SurveyInvitation.token_hash, Alumnus.email, Alumnus.given_name,
        Alumnus.preferred_name, Alumnus.family_name)
    stmt = (select(*cols).join(Alumnus, Alumnus.id == SurveyInvitation.alumnus_id)
            .where(SurveyInvitation.survey_id == survey_id,
                   SurveyInvitation.undeliverable_at.is_(None),
                   SurveyInvitation.responded_at.is_(None), contactable()))
    if mode == "invite":
        stmt = stmt.where(SurveyInvitation.sent_at.is_(None))
    else:
        stmt = stmt.where(SurveyInvitation.sent_at.is_not(None))
    return stmt if count else stmt.order_by(SurveyInvitation.id)


def _link_expiry(survey: TracerSurvey):
    closes = survey.closes_on + timedelta(days=1 + SURVEY_LINK_DAYS_AFTER_CLOSE)
    from datetime import UTC, datetime, time

    return datetime.combine(closes, time.min, tzinfo=UTC)


def _permanent_refusal(error: Exception) -> bool:
    """The server refused the recipient for good (5xx), not a passing or connection fault."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def deliver(survey_id: int, *, mode: str, progress=None, chunk: int = CHUNK) -> dict[str, int]:
    """Send the pending invitations or reminders of a survey over one SMTP connection per
    round; write tokens first, then mark each message sent or undeliverable; commit per round
    so a stop half-way leaves what went out recorded."""
    survey = db.session.get(TracerSurvey, survey_id)
    if survey is None:
        raise NotFound("No such survey.")
    rows = db.session.execute(_pending_stmt(survey_id, mode)).all()
    total = len(rows)
    expires = _link_expiry(survey)
    institution = _institution_name(survey)
    subject = (f"{institution}: where are you now? A short survey for graduates"
               if mode == "invite" else f"Reminder: {institution} graduate survey")
    counts = {"sent": 0, "undeliverable": 0, "failed": 0, "total": total}
    if progress:
        progress(0, total, "Sending…")
    for start in range(0, total, chunk):
        batch = rows[start:start + chunk]
        _send_round(survey, batch, mode=mode, subject=subject, institution=institution,
                    expires=expires, counts=counts)
        db.session.commit()
        if progress:
            progress(start + len(batch), total,
                     f"{counts['sent']} sent, {counts['undeliverable']} undeliverable")
    return counts


def _send_round(survey: TracerSurvey, batch: list, *, mode: str, subject: str,
                institution: str, expires, counts: dict[str, int]) -> None:
    """One round over one connection: new links, send, then record each result (link hash,
    sent or reminded time; undeliverable; a passing error) in one write per kind of result.
    The round's transaction commits after the write, so links and times land together."""
    now = utcnow()
    tokens: dict[int, dict[str, Any]] = {}
    # One URL build per round: tokens are URL-safe, so the placeholder is simply replaced.
    link_pattern = external_url("employment.answer", token="TOKEN")
    # The text differs between recipients only in the name and the link: render it once per
    # round with markers and fill them in (plain-text mail is not HTML-escaped).
    proto = render_email(f"tracer_{mode}", to="", subject=subject, name=_NAME, survey=survey,
                         institution=institution, link=_LINK)
    mails = []
    for r in batch:
        raw, digest = new_token()
        tokens[r.id] = {"b_id": r.id, "token_hash": digest, "expires_at": expires,
                        "email": r.email,
                        "previous_token_hash": r.token_hash if mode == "remind" else None}
        name = " ".join(p for p in (r.preferred_name or r.given_name, r.family_name) if p)
        text = proto.text.replace(_NAME, name).replace(_LINK, link_pattern.replace("TOKEN", raw))
        mails.append(InvitationMail(r.email, subject, text, invitation_id=r.id))
    sent: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []

    def on_sent(item: InvitationMail, error: Exception | None) -> None:
        if error is None:
            sent.append(tokens[item.invitation_id])
        elif _permanent_refusal(error):
            refused.append({"b_id": item.invitation_id, "error": str(error)[:300]})
        else:  # a passing fault: the invitation stays unsent and goes out next time
            failed.append({"b_id": item.invitation_id, "error": str(error)[:300]})

    send_bulk(mails, on_sent)
    counts["sent"] += len(sent)
    counts["undeliverable"] += len(refused)
    counts["failed"] += len(failed)
    table = SurveyInvitation.__table__
    by_id = table.c.id == bindparam("b_id")
    # Core executemany: the ORM's bulk path costs more per row than the SMTP round trips.
    if sent:
        values: dict[str, Any] = {c: bindparam(c) for c in
                                  ("token_hash", "expires_at", "email", "previous_token_hash")}
        values["delivery_error"] = None
        if mode == "invite":
            values["sent_at"] = now
        else:
            values["reminded_at"] = now
            values["reminder_count"] = table.c.reminder_count + 1
        db.session.execute(table.update().where(by_id).values(**values), sent)
    if refused:
        db.session.execute(table.update().where(by_id).values(
            undeliverable_at=now, delivery_error=bindparam("error")), refused)
    if failed:
        db.session.execute(table.update().where(by_id).values(
            delivery_error=bindparam("error")), failed)


def _institution_name(survey: TracerSurvey) -> str:
    from app.alumni.models import Institution

    return db.session.get(Institution, survey.institution_id).name


def send_invitations_job(ctx: JobContext, *, survey_id: int, mode: str) -> dict[str, int]:
    """Background job: send a survey's invitations or reminders with a progress bar."""
    return deliver(survey_id, mode=mode, progress=ctx.progress)


# --- links and counts ------------------------------------------------------------------------


class LinkProblem(Exception):
    """A survey link that cannot be used: unknown, answered, expired or closed."""

    def __init__(self, reason: str, invitation: SurveyInvitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def find_invitation(raw: str) -> SurveyInvitation:
    """The invitation behind a survey link, or LinkProblem(unknown|answered|expired|closed)."""
    digest = hash_token(raw or "")
    invitation = db.session.scalar(select(SurveyInvitation).where(
        or_(SurveyInvitation.token_hash == digest,
            SurveyInvitation.previous_token_hash == digest)))
    if invitation is None:
        raise LinkProblem("unknown")
    check_answerable(invitation)
    return invitation


def check_answerable(invitation: SurveyInvitation) -> None:
    if invitation.responded_at is not None:
        raise LinkProblem("answered", invitation)
    if invitation.expired:
        raise LinkProblem("expired", invitation)
    if not invitation.survey.is_open(date.today()):
        raise LinkProblem("closed", invitation)


def response_count(survey: TracerSurvey) -> int:
    return db.session.scalar(select(func.count(SurveyInvitation.id)).where(
        SurveyInvitation.survey_id == survey.id,
        SurveyInvitation.responded_at.is_not(None))) or 0


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def campaign_stats(survey: TracerSurvey) -> dict[str, Any]:
    """Invited, delivered, undeliverable, responded, response rate gross (R / invited) and net
    (R / (invited − undeliverable)), overall and per programme and cohort."""
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
               func.count(inv.id).label("listed"))
        .where(inv.survey_id == survey.id)
        .group_by(inv.programme_id, inv.cohort_year)
    ).all()
    programmes = {p.id: p.code for p in db.session.scalars(
        select(Programme).where(Programme.institution_id == survey.institution_id))}

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
    return {"survey_id": survey.id, "total": figures(*totals), "groups": groups,
            "population": cohort_population(survey), "as_of": utcnow().isoformat()}


def open_invitations_for(alumnus: Alumnus) -> list[SurveyInvitation]:
    """The surveys an alumnus has been invited to and can still answer."""
    today = date.today()
    rows = db.session.scalars(
        select(SurveyInvitation).join(TracerSurvey)
        .where(SurveyInvitation.alumnus_id == alumnus.id,
               SurveyInvitation.responded_at.is_(None),
               TracerSurvey.opens_on <= today, TracerSurvey.closes_on >= today)
        .order_by(TracerSurvey.closes_on)
    )
    return list(rows)


def surveys_for(actor: Any):
    from app.core.permissions import scope

    return scope(select(TracerSurvey), TracerSurvey, actor).order_by(
        TracerSurvey.opens_on.desc(), TracerSurvey.id.desc())


def engaged_answering(institution_id: int, since: date, until: date
                      ) -> list[tuple[int, date]]:
    """Engagement source: (alumnus id, latest date) of tracer surveys answered in the window."""
    from datetime import UTC, datetime, time

    from app.core.db import as_utc
    from app.employment.models import SurveyResponse

    start = datetime.combine(since, time.min, tzinfo=UTC)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
    rows = db.session.execute(
        select(SurveyResponse.alumnus_id, func.max(SurveyResponse.submitted_at))
        .where(SurveyResponse.institution_id == institution_id,
               SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end)
        .group_by(SurveyResponse.alumnus_id))
    return [(a, as_utc(d).date()) for a, d in rows]
