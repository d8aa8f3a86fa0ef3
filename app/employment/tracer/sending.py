"""Sending a tracer survey's invitations and reminders by e-mail: queued as a background
job, then sent in rounds over one SMTP connection each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import bindparam, func, select

from app.alumni.models import Alumnus, Institution
from app.auth.models import User
from app.core.audit import record_audit
from app.core.db import today, utcnow
from app.core.errors import NotFound, ValidationFailed
from app.core.i18n import format_date, in_language
from app.core.jobs import Job, JobContext, enqueue
from app.core.mail import Outgoing, permanent_refusal, queue_email, render_email
from app.core.permissions import require_writer_in_scope
from app.core.tokens import new_token
from app.core.urls import external_url
from app.employment.models import SurveyInvitation, TracerSurvey
from app.employment.tracer.audience import invitable, prepare_invitations
from app.extensions import db

_NAME, _LINK = "\x00name\x00", "\x00link\x00"  # markers filled in per recipient
CHUNK = 500  # invitations per sending round: tokens written, mails sent, state saved
SURVEY_LINK_DAYS_AFTER_CLOSE = 0  # links expire when the survey closes
SENDING_JOB = "app.employment.tracer:send_invitations_job"  # queued jobs name it


def start_sending(survey: TracerSurvey, *, mode: str, actor: Any,
                  base_url: str | None = None) -> Job:
    """Queue the invitations (mode "invite") or reminders ("remind") as a background job;
    `base_url` (the address the officer works at) is kept with the job for the mailed links,
    which it builds without a request (BASE_URL, when set, wins)."""
    require_writer_in_scope(actor, survey, message="No such survey.")
    if mode not in ("invite", "remind"):
        raise ValidationFailed({"mode": gettext("Send invitations or reminders.")})
    if survey.closes_on < today():
        raise ValidationFailed({"mode": gettext(
            "The survey closed on %(date)s; set up a new survey to ask these cohorts again.",
            date=format_date(survey.closes_on))})
    if survey.opens_on > today():  # the link would only show "not open"
        raise ValidationFailed({"mode": gettext(
            "The survey opens on %(date)s; send the invitations from then.",
            date=format_date(survey.opens_on))})
    created = prepare_invitations(survey) if mode == "invite" else 0
    pending = db.session.scalar(_pending_stmt(survey.id, mode, count=True)) or 0
    if pending == 0:
        raise ValidationFailed({"mode": gettext(
            "Nobody is waiting for an invitation: everyone in the cohorts who can be invited "
            "has one.") if mode == "invite" else gettext(
            "Nobody is waiting for a reminder: everyone invited has answered or cannot be "
            "reached.")})
    job = enqueue(f"tracer_{mode}", SENDING_JOB,
                  actor=actor, institution_id=survey.institution_id, total=pending,
                  survey_id=survey.id, mode=mode, base_url=base_url)
    record_audit(actor, f"tracer.{mode}", survey,
                 after={"job_id": job.id, "new_invitations": created, "to_send": pending})
    return job


def is_sending_job(job: Job, survey: TracerSurvey) -> bool:
    """Whether `job` sends this survey's invitations or reminders."""
    return (job.handler == SENDING_JOB and job.institution_id == survey.institution_id
            and (job.params or {}).get("survey_id") == survey.id)


@dataclass
class InvitationMail(Outgoing):
    invitation_id: int = 0


def _pending_stmt(survey_id: int, mode: str, *, count: bool = False):
    cols = (func.count(SurveyInvitation.id),) if count else (
        SurveyInvitation.id, SurveyInvitation.token_hash, Alumnus.email, Alumnus.id.label("aid"),
        Alumnus.given_name,
        Alumnus.preferred_name, Alumnus.family_name, SurveyInvitation.previous_token_hash,
        SurveyInvitation.expires_at, SurveyInvitation.email.label("sent_to"),
        User.language)
    stmt = (select(*cols).join(Alumnus, Alumnus.id == SurveyInvitation.alumnus_id)
            .where(SurveyInvitation.survey_id == survey_id,
                   SurveyInvitation.undeliverable_at.is_(None),
                   SurveyInvitation.responded_at.is_(None), invitable()))
    if not count:  # the account's language, when the alumnus has an account
        stmt = stmt.outerjoin(User, User.id == Alumnus.user_id)
    if mode == "invite":
        stmt = stmt.where(SurveyInvitation.sent_at.is_(None))
    else:
        stmt = stmt.where(SurveyInvitation.sent_at.is_not(None))
    return stmt if count else stmt.order_by(SurveyInvitation.id)


def _link_expiry(survey: TracerSurvey):
    closes = survey.closes_on + timedelta(days=1 + SURVEY_LINK_DAYS_AFTER_CLOSE)
    return datetime.combine(closes, time.min, tzinfo=UTC)


def deliver(survey_id: int, *, mode: str, progress=None, chunk: int | None = None,
            base_url: str | None = None, saved=None) -> dict[str, int]:
    """Send the pending invitations or reminders of a survey over one SMTP connection per
    round (`chunk` messages; config TRACER_SENDING_ROUND, else 500); write tokens first, then
    mark each message sent or undeliverable; commit per round so a stop half-way leaves what
    went out recorded, and tell `saved(saved, not_saved, **counts)` after each commit. Links
    start with `base_url` (see app.core.urls.external_url); without an address production
    fails before sending."""
    chunk = chunk or current_app.config.get("TRACER_SENDING_ROUND") or CHUNK
    survey = db.session.get(TracerSurvey, survey_id)
    if survey is None:
        raise NotFound("No such survey.")
    rows = db.session.execute(_pending_stmt(survey_id, mode)).all()
    total = len(rows)
    # One URL build per campaign: tokens are URL-safe, so the placeholder is simply replaced.
    link_pattern = external_url("employment.answer", token="TOKEN", base_url=base_url)
    expires = _link_expiry(survey)
    institution = _institution_name(survey)
    counts = {"sent": 0, "undeliverable": 0, "failed": 0, "suppressed": 0, "total": total}
    if progress:
        progress(0, total, "Sending…")
    word = "invitations" if mode == "invite" else "reminders"

    def committed() -> None:
        if saved is None:
            return
        done = counts["sent"] + counts["undeliverable"]
        saved(f"{counts['sent']} of {total} {word} sent and recorded, {counts['undeliverable']} "
              f"addresses marked undeliverable",
              f"the other {total - done} {word} were not recorded as sent; they go out at the "
              "next sending",
              **counts)

    for start in range(0, total, chunk):
        batch = rows[start:start + chunk]
        # An error here leaves the last committed() as the truth: this round rolls back.
        stopped = _send_round(survey, batch, mode=mode,
                              institution=institution, expires=expires,
                              link_pattern=link_pattern, counts=counts)
        db.session.commit()
        committed()
        if stopped is not None:  # the server is down: what this round learnt is saved; stop
            raise stopped
        if progress:
            progress(start + len(batch), total,
                     f"{counts['sent']} sent, {counts['undeliverable']} undeliverable")
    return counts


def _subject(mode: str, institution: str) -> str:
    """The subject line, in the language being rendered (see app.core.i18n.in_language)."""
    if mode == "invite":
        return gettext("%(institution)s: where are you now? A short survey for graduates",
                       institution=institution)
    return gettext("Reminder: %(institution)s graduate survey", institution=institution)


def _send_round(survey: TracerSurvey, batch: list, *, mode: str,
                institution: str, expires, link_pattern: str,
                counts: dict[str, int]) -> Exception | None:
    """One round: write the new links and commit them, then the queued messages go out over
    one connection, then record each result (sent or reminded time; undeliverable; a passing
    error) in one write per kind of result. A message that did not go out gets its old link
    back, so a reminder that failed leaves the first message's link working."""
    now = utcnow()
    table = SurveyInvitation.__table__
    by_id = table.c.id == bindparam("b_id")
    link_columns = ("token_hash", "expires_at", "email", "previous_token_hash")
    # The text differs between recipients only in the name and the link: render it once per
    # round and language with markers and fill them in (plain-text mail is not HTML-escaped).
    # Each alumnus gets it in their account's language, else the institution's default; the
    # link opens the form in the same language.
    protos = {}
    for language in {r.language for r in batch}:
        with in_language(language, survey.institution_id) as chosen:
            protos[language] = (_subject(mode, institution), render_email(
                f"tracer_{mode}", to="", subject="", purpose="tracer", name=_NAME,
                survey=survey, institution=institution, link=_LINK), chosen)
    links, old_links, mails = [], {}, []
    for r in batch:
        raw, digest = new_token()
        links.append({"b_id": r.id, "token_hash": digest, "expires_at": expires,
                      "email": r.email,
                      "previous_token_hash": r.token_hash if mode == "remind" else None})
        old_links[r.id] = {"b_id": r.id, "token_hash": r.token_hash, "expires_at": r.expires_at,
                           "email": r.sent_to, "previous_token_hash": r.previous_token_hash}
        name = " ".join(p for p in (r.preferred_name or r.given_name, r.family_name) if p)
        subject, proto, language = protos[r.language]
        link = f"{link_pattern.replace('TOKEN', raw)}?lang={language}"
        text = proto.text.replace(_NAME, name).replace(_LINK, link)
        mails.append(InvitationMail(r.email, subject, text, invitation_id=r.id, purpose="tracer",
                                    alumnus_id=r.aid, kind=proto.kind, language=language))
    # Core executemany: the ORM's bulk path costs more per row than the SMTP round trips.
    db.session.execute(table.update().where(by_id).values(
        **{c: bindparam(c) for c in link_columns}), links)
    queued = queue_email(mails, tell=False)
    db.session.commit()  # the links are saved before any message carries one
    sent = [item.invitation_id for item in queued.sent]
    refused, failed = [], []
    # Held back by the mail gate at send time (consent withdrawn since the list was read, …):
    # not sent, so the old link comes back and the invitation waits, as for a passing fault.
    held = [{"b_id": item.invitation_id} for item, _ in queued.suppressed]
    counts["suppressed"] += len(held)
    for item, error in queued.failed:
        if permanent_refusal(error):  # also in the gate's bounce list (core.mail)
            refused.append({"b_id": item.invitation_id, "error": str(error)[:300]})
        else:  # a passing fault: the invitation stays unsent and goes out next time
            failed.append({"b_id": item.invitation_id, "error": str(error)[:300]})
    counts["sent"] += len(sent)
    counts["undeliverable"] += len(refused)
    counts["failed"] += len(failed)
    if sent:
        values: dict[str, Any] = {"delivery_error": None}
        if mode == "invite":
            values["sent_at"] = now
        else:
            values["reminded_at"] = now
            values["reminder_count"] = table.c.reminder_count + 1
        db.session.execute(table.update().where(table.c.id.in_(sent)).values(**values))
    if refused or failed or held:
        db.session.execute(table.update().where(by_id).values(
            **{c: bindparam(c) for c in link_columns}),
            [old_links[row["b_id"]] for row in refused + failed + held])
    if refused:
        db.session.execute(table.update().where(by_id).values(
            undeliverable_at=now, delivery_error=bindparam("error")), refused)
    if failed:
        db.session.execute(table.update().where(by_id).values(
            delivery_error=bindparam("error")), failed)
    return queued.error  # the server could not be reached: the caller saves, then stops


def _institution_name(survey: TracerSurvey) -> str:
    return db.session.get(Institution, survey.institution_id).name


def send_invitations_job(ctx: JobContext, *, survey_id: int, mode: str,
                         base_url: str | None = None) -> dict[str, int]:
    """Background job: send a survey's invitations or reminders with a progress bar."""
    return deliver(survey_id, mode=mode, progress=ctx.progress, base_url=base_url,
                   saved=ctx.saved)
