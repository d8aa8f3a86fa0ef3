"""Mailings: officers write a message to a segment of their alumni, see who it reaches and
who is excluded and why, and send it as a background job through the mail gate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import markdown
import nh3
from flask_babel import gettext
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from app.alumni.models import CONSENT_PURPOSES, Alumnus, Institution
from app.core.audit import add_with_audit, change_with_audit, record_audit
from app.core.db import utcnow
from app.core.errors import Conflict, ValidationFailed
from app.core.i18n import format_number, in_language
from app.core.jobs import Job, JobContext, enqueue
from app.core.mail import Outgoing, queue_email, render_email
from app.core.pagination import SeekPage, seek_page
from app.core.permissions import ADMIN, require_own_institution, require_writer_in_scope
from app.extensions import db
from app.mailings.gate import EXCLUSION_REASONS, exclusion_reason  # noqa: F401 - re-exported
from app.mailings.models import MailBounce, Mailing, SuppressedMail
from app.mailings.segments import Segment, check_segment, count_segment, reachable_recipients

# What officers may write for: the consent purposes of mail (tracer invitations are sent by
# the tracer survey pages, directory and photos are not mail).
MAILING_PURPOSES = {p: CONSENT_PURPOSES[p] for p in ("contact", "fundraising", "mentoring")}
SENDING_JOB = "app.mailings.services:send_mailing_job"
ROUND = 200  # messages per commit and SMTP connection


@dataclass
class MailingData:
    purpose: str
    subject: str
    body: str
    segment: Segment


def body_html(body: str) -> str:
    """The Markdown body as HTML, sanitised (nh3): what the preview and the e-mail show."""
    return nh3.clean(markdown.markdown(body or "", extensions=["sane_lists"]))


def _clean(data: MailingData) -> dict[str, Any]:
    errors = {}
    if data.purpose not in MAILING_PURPOSES:
        errors["purpose"] = gettext("Choose what the message is for.")
    subject = " ".join((data.subject or "").split())
    if not subject:
        errors["subject"] = gettext("Write a subject.")
    elif len(subject) > 200:
        errors["subject"] = gettext("Keep the subject under 200 characters.")
    body = (data.body or "").strip()
    if not body:
        errors["body"] = gettext("Write the message.")
    elif len(body) > 50_000:
        errors["body"] = gettext("Keep the message under %(limit)s characters.",
                                 limit=format_number(50_000))
    try:
        check_segment(data.segment)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    if errors:
        raise ValidationFailed(errors)
    return {"purpose": data.purpose, "subject": subject, "body": body,
            "segment": data.segment.as_dict()}


def create_mailing(data: MailingData, *, institution_id: int, actor: Any) -> Mailing:
    """Save a draft mailing of the institution (nothing is sent yet)."""
    require_own_institution(actor, institution_id, "You write to your own institution's alumni.")
    values = _clean(data)
    return add_with_audit(Mailing(institution_id=institution_id, created_by_id=actor.id,
                                  status="draft", **values), "mailing.create", actor)


def update_mailing(mailing: Mailing, data: MailingData, *, actor: Any) -> Mailing:
    """Change a draft."""
    require_writer_in_scope(actor, mailing, message="No such mailing.")
    if mailing.status != "draft":
        raise Conflict(gettext("This mailing has been sent; it cannot be changed."))
    return change_with_audit(mailing, _clean(data), "mailing.update", actor)


def mailing_count(mailing: Mailing):
    """The segment's size now, and who the gate's rule excludes, per reason."""
    return count_segment(mailing.institution_id, Segment.from_dict(mailing.segment),
                         mailing.purpose)


def send_mailing(mailing: Mailing, *, actor: Any, base_url: str | None = None) -> Job:
    """Start sending a draft as a background job (handed over after the caller commits)."""
    require_writer_in_scope(actor, mailing, message="No such mailing.")
    claimed = db.session.execute(
        Mailing.__table__.update().where(Mailing.id == mailing.id, Mailing.status == "draft")
        .values(status="sending", queued_at=utcnow(), sent_by_id=actor.id))
    if claimed.rowcount != 1:
        raise Conflict(gettext("This mailing is already being sent or has been sent."))
    db.session.refresh(mailing)
    job = enqueue("mailing", SENDING_JOB, actor=actor, institution_id=mailing.institution_id,
                  mailing_id=mailing.id, base_url=base_url)
    db.session.flush()
    mailing.job_id = job.id
    record_audit(actor, "mailing.send", mailing, after={"job": job.id})
    return job


def send_mailing_job(ctx: JobContext, *, mailing_id: int, base_url: str | None = None
                     ) -> dict[str, Any]:
    """The job: count the segment's exclusions, then send to the rest in rounds; each round
    is queued, committed and sent through the mail gate (which may still hold a message back:
    consent withdrawn since), and its results are saved on the mailing."""
    mailing = db.session.get(Mailing, mailing_id)
    segment = Segment.from_dict(mailing.segment)
    counted = count_segment(mailing.institution_id, segment, mailing.purpose)
    rows = db.session.execute(reachable_recipients(mailing.institution_id, segment,
                                                   mailing.purpose)).all()
    excluded = dict(counted.excluded)
    mailing.recipients, mailing.excluded = counted.total, excluded
    html = body_html(mailing.body)
    institution = db.session.get(Institution, mailing.institution_id).name
    # The officer's subject and body go as written; the text around them (the signature, and
    # the unsubscribe footer the gate adds) is in each alumnus's account language, else the
    # institution's default: one rendering per language.
    protos: dict[str | None, Outgoing] = {}
    for language in {r.language for r in rows}:
        with in_language(language, mailing.institution_id):
            protos[language] = render_email(
                "mailing", "", mailing.subject, purpose=mailing.purpose, body=mailing.body,
                body_html=html, institution=institution)
    sent = failed = 0
    ctx.progress(0, len(rows), "Sending…")
    for start in range(0, len(rows), ROUND):
        batch = rows[start:start + ROUND]
        queued = queue_email([Outgoing(r.email, mailing.subject, protos[r.language].text,
                                       protos[r.language].html, purpose=mailing.purpose,
                                       alumnus_id=r.id, kind="mailing", base_url=base_url,
                                       language=protos[r.language].language) for r in batch],
                             tell=False)
        db.session.commit()  # the round goes out now, through the gate
        sent += len(queued.sent)
        failed += len(queued.failed)
        for _, reason in queued.suppressed:
            excluded[reason] = excluded.get(reason, 0) + 1
        # addresses refused for good were recorded by the gate's bounce list (core.mail)
        mailing = db.session.get(Mailing, mailing_id)
        mailing.sent_count, mailing.failed_count, mailing.excluded = sent, failed, dict(excluded)
        db.session.commit()
        ctx.saved(f"{sent} sent and counted", "the rest of the segment was not sent",
                  sent=sent, failed=failed)
        if queued.error is not None:  # the server is down: what went out is counted; stop
            _finish(mailing_id, "failed")
            raise queued.error
        ctx.progress(start + len(batch), len(rows), f"{sent} sent, {failed} failed")
    _finish(mailing_id, "sent")
    return {"sent": sent, "failed": failed, "excluded": sum(excluded.values())}


def _finish(mailing_id: int, status: str) -> None:
    db.session.execute(Mailing.__table__.update().where(Mailing.id == mailing_id)
                       .values(status=status, finished_at=utcnow()))
    db.session.commit()


def mailing_of_dead_job(job: Job) -> str:
    """A sending job whose process died: the mailing is marked failed with what it counted."""
    mailing_id = (job.params or {}).get("mailing_id")
    mailing = db.session.get(Mailing, mailing_id) if mailing_id else None
    if mailing is None:
        return "nothing"
    mailing.status, mailing.finished_at = "failed", utcnow()
    return f"{mailing.sent_count} messages were sent and counted"



# --- the messages the gate held back -------------------------------------------------------


@dataclass
class HeldMessage:
    """One message the gate did not send, with its recipient alumnus (None: not an alumnus,
    or the record is gone)."""

    mail: SuppressedMail
    alumnus: Alumnus | None


def held_messages(actor: Any, *, reason: str = "", per_page: int, page: int | None = None,
                  after: str | None = None, before: str | None = None,
                  last: bool = False) -> tuple[SeekPage, list[HeldMessage]]:
    """The messages the mail gate held back, newest first, seek-paged: an officer's or quality
    staff member's are those to alumni of their institution; an administrator sees every one,
    those to no alumnus record too. `reason` filters (a key of EXCLUSION_REASONS)."""
    stmt = select(SuppressedMail)
    if actor.role != ADMIN:
        stmt = stmt.join(Alumnus, Alumnus.id == SuppressedMail.alumnus_id).where(
            Alumnus.institution_id == actor.institution_id)
    if reason:
        stmt = stmt.where(SuppressedMail.reason == reason)
    found = seek_page(stmt, (SuppressedMail.created_at, SuppressedMail.id), descending=True,
                      per_page=per_page, page=page, after=after, before=before, last=last)
    ids = {m.alumnus_id for m in found.items if m.alumnus_id is not None}
    alumni = {a.id: a for a in db.session.scalars(
        select(Alumnus).where(Alumnus.id.in_(ids))
        .options(selectinload(Alumnus.institution)))} if ids else {}
    return found, [HeldMessage(m, alumni.get(m.alumnus_id)) for m in found.items]


def forget_bounces(addresses: set[str]) -> int:
    """Drop what the mail server said about these addresses once nobody holds them (erasure:
    the address goes with the person; called after their records are anonymised). An address
    another alumnus or account still holds keeps its record, for their mail. Returns the rows
    deleted."""
    from app.auth.models import User

    wanted = {a.strip().lower() for a in addresses if a and a.strip()}
    if not wanted:
        return 0
    still_held = set(db.session.scalars(select(func.lower(Alumnus.email)).where(
        func.lower(Alumnus.email).in_(wanted))))
    still_held |= set(db.session.scalars(select(func.lower(User.email)).where(
        func.lower(User.email).in_(wanted))))
    gone = wanted - still_held
    if not gone:
        return 0
    return db.session.execute(delete(MailBounce).where(MailBounce.address.in_(gone))).rowcount
