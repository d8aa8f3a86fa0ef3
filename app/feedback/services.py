"""Curriculum feedback services: alumni input, committee input, meetings, the review workflow,
the per-programme chain input → decision → action, and what staff may see of anonymous input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, distinct, func, select, update
from sqlalchemy.orm import selectinload

from app.alumni.models import Alumnus, Institution, Programme
from app.core.audit import record_audit
from app.core.db import today, utcnow
from app.core.errors import Conflict, ValidationFailed
from app.core.i18n import N_, format_date, format_month
from app.core.panels import read_once
from app.core.permissions import (
    ALUMNUS,
    in_scope,
    require_own_institution,
    require_self,
    require_writer_in_scope,
    scope,
)
from app.engagement.services import latest_activity
from app.extensions import db
from app.feedback.models import (
    MEETING_KINDS,
    SOURCES,
    STATUSES,
    TOPIC_KINDS,
    CurriculumFeedback,
    FeedbackDecision,
    ReviewMeeting,
)

# The workflow: each status and the ones that may follow it. Nothing skips a step.
FLOW: dict[str, tuple[str, ...]] = {
    "new": ("under_review",),
    "under_review": ("accepted", "declined"),
    "accepted": ("implemented",),
}
# A decision to accept or decline is taken at a review meeting, so it must name one.
NEEDS_MEETING = ("accepted", "declined")
ANONYMOUS_LABEL = N_("Anonymous alumnus")
# Anonymous input is written to the audit log under this actor, never the alumnus's account.
ANONYMOUS_ACTOR = SimpleNamespace(id=None, email="anonymous alumnus", role=ALUMNUS)


@dataclass
class FeedbackData:
    topic_kind: str | None = None
    topic: str | None = None
    relevance: int | None = None
    skill_gap: str | None = None
    suggestion: str | None = None
    anonymous: bool = False


@dataclass
class MeetingData:
    programme_id: int | None = None
    held_on: date | None = None
    kind: str | None = None
    title: str | None = None
    minutes_ref: str | None = None


def _clean(data: FeedbackData, *, relevance_required: bool) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if data.topic_kind not in TOPIC_KINDS:
        errors["topic_kind"] = gettext("Choose module or competency.")
    topic = (data.topic or "").strip()
    if not topic:
        errors["topic"] = gettext("Name the module or competency.")
    relevance = data.relevance
    if relevance is None and relevance_required:
        errors["relevance"] = gettext("Rate how relevant it is to your work, 1 to 5.")
    elif relevance is not None and not 1 <= relevance <= 5:
        errors["relevance"] = gettext("Choose a rating from 1 to 5.")
    gap = (data.skill_gap or "").strip() or None
    suggestion = (data.suggestion or "").strip() or None
    if not gap and not suggestion:
        errors["suggestion"] = gettext("Tell us the skill gap or your suggestion (or both).")
    if errors:
        raise ValidationFailed(errors)
    return {"topic_kind": data.topic_kind, "topic": topic[:200], "relevance": relevance,
            "skill_gap": gap, "suggestion": suggestion}


def submit_feedback(alumnus: Alumnus, data: FeedbackData, *, actor: Any) -> CurriculumFeedback:
    """An alumnus gives feedback on their own programme, optionally anonymous to staff."""
    require_self(alumnus, actor, gettext("You can give feedback as yourself only."))
    if alumnus.programme_id is None:
        raise ValidationFailed({"topic": gettext("Your record has no programme; ask the alumni "
                                                 "office to add it first.")})
    values = _clean(data, relevance_required=True)
    feedback = CurriculumFeedback(
        institution_id=alumnus.institution_id, programme_id=alumnus.programme_id,
        source="alumnus", alumnus_id=alumnus.id, anonymous=bool(data.anonymous),
        status="new", received_on=today(), **values)
    db.session.add(feedback)
    db.session.flush()
    # The audit log is read by administrators: anonymous input is logged without the account,
    # the source address or the time of day (the entry keeps the date only).
    record_audit(ANONYMOUS_ACTOR if feedback.anonymous else actor, "feedback.submit", feedback,
                 after={"programme_id": feedback.programme_id, "anonymous": feedback.anonymous},
                 anonymous=feedback.anonymous)
    return feedback


def _check_meeting(meeting_id: int | None, programme_id: int, actor: Any, field: str
                   ) -> ReviewMeeting | None:
    if meeting_id is None:
        return None
    meeting = db.session.get(ReviewMeeting, meeting_id)
    if meeting is None or not in_scope(meeting, actor) or meeting.programme_id != programme_id:
        raise ValidationFailed({field: gettext("Choose a review meeting of this programme.")})
    return meeting


def record_committee_input(meeting: ReviewMeeting, data: FeedbackData, *, actor: Any
                           ) -> CurriculumFeedback:
    """The office records input an advisory committee gave at a meeting."""
    require_writer_in_scope(actor, meeting, message="No such meeting.")
    values = _clean(data, relevance_required=False)
    feedback = CurriculumFeedback(
        institution_id=meeting.institution_id, programme_id=meeting.programme_id,
        source="committee", meeting_id=meeting.id, anonymous=False, status="new",
        received_on=meeting.held_on, **values)
    db.session.add(feedback)
    db.session.flush()
    record_audit(actor, "feedback.committee_input", feedback,
                 after={"programme_id": feedback.programme_id, "meeting_id": meeting.id})
    return feedback


def create_meeting(data: MeetingData, *, institution: Institution, actor: Any) -> ReviewMeeting:
    """Record a review meeting (advisory committee, curriculum review) of a programme."""
    require_own_institution(
        actor, institution.id, "You can record meetings of your own institution only.")
    errors: dict[str, str] = {}
    programme = db.session.get(Programme, data.programme_id) if data.programme_id else None
    if programme is None or programme.institution_id != institution.id:
        errors["programme_id"] = gettext("Choose a programme of this institution.")
    if data.held_on is None:
        errors["held_on"] = gettext("Enter the date the meeting took place.")
    if data.kind not in MEETING_KINDS:
        errors["kind"] = gettext("Choose the kind of meeting.")
    if not (data.title or "").strip():
        errors["title"] = gettext(
            "Give it a short title, e.g. 'Industry advisory committee, 1st 2026'.")
    if errors:
        raise ValidationFailed(errors)
    meeting = ReviewMeeting(
        institution_id=institution.id, programme_id=programme.id, held_on=data.held_on,
        kind=data.kind, title=data.title.strip()[:200],
        minutes_ref=(data.minutes_ref or "").strip()[:200] or None, created_by_id=actor.id)
    db.session.add(meeting)
    db.session.flush()
    record_audit(actor, "review_meeting.create", meeting,
                 after={"programme_id": programme.id, "held_on": data.held_on.isoformat()})
    return meeting


def decide_feedback(feedback: CurriculumFeedback, to: str, *, note: str,
                    meeting_id: int | None = None, actor: Any) -> FeedbackDecision:
    """Move feedback one step along FLOW, recording the note, who, when and the meeting."""
    require_writer_in_scope(actor, feedback, message="No such feedback.")
    frm = feedback.status
    if to not in FLOW.get(frm, ()):
        raise Conflict(gettext("Feedback that is %(current)s cannot become %(next)s.",
                               current=gettext(STATUSES.get(frm, frm)).lower(),
                               next=gettext(STATUSES.get(to, to)).lower()))
    errors: dict[str, str] = {}
    if not (note or "").strip():
        errors["note"] = gettext("Write down what was decided or done, and why.")
    try:
        meeting = _check_meeting(meeting_id, feedback.programme_id, actor, "meeting_id")
    except ValidationFailed as exc:
        errors.update({k: v[0] for k, v in exc.field_errors.items()})
        meeting = None
    if meeting is not None and meeting.held_on < feedback.received_on:
        # received_words: anonymous input shows the month only, here too
        errors["meeting_id"] = gettext(
            "This meeting was held before the feedback came in (%(date)s): choose a later "
            "meeting.", date=received_words(feedback))
    elif meeting is not None and meeting.held_on > today():
        errors["meeting_id"] = gettext(
            "This meeting has not taken place yet (%(date)s): record the decision once it has.",
            date=format_date(meeting.held_on))
    if to in NEEDS_MEETING and meeting is None and "meeting_id" not in errors:
        errors["meeting_id"] = gettext(
            "Accepting or declining is decided at a review meeting: choose it.")
    if errors:
        raise ValidationFailed(errors)
    # Apply only if nobody moved it meanwhile (two officers deciding at once).
    result = db.session.execute(
        update(CurriculumFeedback)
        .where(CurriculumFeedback.id == feedback.id, CurriculumFeedback.status == frm)
        .values(status=to, updated_at=utcnow()).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict(gettext(
            "Someone decided on this feedback at the same moment. Reload the page."))
    db.session.expire(feedback, ["status", "updated_at"])
    decision = FeedbackDecision(
        institution_id=feedback.institution_id, feedback_id=feedback.id, from_status=frm,
        to_status=to, note=note.strip(), meeting_id=meeting.id if meeting else None,
        decided_by_id=actor.id, decided_at=utcnow())
    db.session.add(decision)
    db.session.flush()
    record_audit(actor, f"feedback.{to}", feedback, before={"status": frm},
                 after={"status": to, "meeting_id": decision.meeting_id})
    return decision


# --- what staff see -----------------------------------------------------------------------


def contributor_label(feedback: CurriculumFeedback) -> str:
    """Who gave the input, as staff may see it: never the name of an anonymous alumnus."""
    if feedback.source == "committee":
        return "Advisory committee" + (f" ({feedback.meeting.title})" if feedback.meeting else "")
    if feedback.source == "employer_survey":
        return f"Employer survey {feedback.survey_year}"
    if feedback.anonymous or feedback.alumnus is None:
        return ANONYMOUS_LABEL
    return feedback.alumnus.display_name


def contributor_words(feedback: CurriculumFeedback) -> str:
    """`contributor_label` in the page's language (the exports keep the English)."""
    if feedback.source == "committee":
        return (gettext("Advisory committee (%(meeting)s)", meeting=feedback.meeting.title)
                if feedback.meeting else gettext("Advisory committee"))
    if feedback.source == "employer_survey":
        return gettext("Employer survey %(year)s", year=feedback.survey_year)
    if feedback.anonymous or feedback.alumnus is None:
        return gettext(ANONYMOUS_LABEL)
    return feedback.alumnus.display_name


def received_words(feedback: CurriculumFeedback) -> str:
    """`received_label` in the page's language: the month only for anonymous input."""
    if feedback.source == "alumnus" and feedback.anonymous:
        return format_month(feedback.received_on)
    return format_date(feedback.received_on)


def received_label(feedback: CurriculumFeedback) -> str:
    """When it came in; anonymous input shows the month only, so a date cannot point to a
    person (e.g. next to the day the alumnus updated their contact details)."""
    if feedback.source == "alumnus" and feedback.anonymous:
        return feedback.received_on.strftime("%b %Y")
    return feedback.received_on.strftime("%d %b %Y")


def feedback_list(*, actor: Any, programme_id: int | None = None, status: str | None = None):
    stmt = scope(select(CurriculumFeedback), CurriculumFeedback, actor).options(
        selectinload(CurriculumFeedback.programme), selectinload(CurriculumFeedback.alumnus),
        selectinload(CurriculumFeedback.meeting))
    if programme_id:
        stmt = stmt.where(CurriculumFeedback.programme_id == programme_id)
    if status in STATUSES:
        stmt = stmt.where(CurriculumFeedback.status == status)
    return stmt.order_by(CurriculumFeedback.received_on.desc(), CurriculumFeedback.id.desc())


def meetings_for(actor: Any, programme_id: int | None = None) -> list[ReviewMeeting]:
    stmt = scope(select(ReviewMeeting), ReviewMeeting, actor)
    if programme_id:
        stmt = stmt.where(ReviewMeeting.programme_id == programme_id)
    return list(db.session.scalars(stmt.order_by(ReviewMeeting.held_on.desc())))


def programme_chain(programme: Programme, *, actor: Any) -> list[CurriculumFeedback]:
    """Every input for a programme with its decisions, oldest first (the evidence chain)."""
    stmt = (scope(select(CurriculumFeedback), CurriculumFeedback, actor)
            .where(CurriculumFeedback.programme_id == programme.id)
            .options(selectinload(CurriculumFeedback.decisions)
                     .selectinload(FeedbackDecision.meeting),
                     selectinload(CurriculumFeedback.decisions)
                     .selectinload(FeedbackDecision.decided_by),
                     selectinload(CurriculumFeedback.alumnus),
                     selectinload(CurriculumFeedback.meeting))
            .order_by(CurriculumFeedback.received_on, CurriculumFeedback.id))
    return list(db.session.scalars(stmt))


def programme_counts(programme: Programme) -> dict[str, int]:
    """Inputs, alumni who gave any (anonymous ones counted too, never named), decisions."""
    base = select(func.count(CurriculumFeedback.id)).where(
        CurriculumFeedback.programme_id == programme.id)
    return {
        "inputs": db.session.scalar(base) or 0,
        "alumni": db.session.scalar(
            select(func.count(distinct(CurriculumFeedback.alumnus_id))).where(
                CurriculumFeedback.programme_id == programme.id)) or 0,
        "committee": db.session.scalar(
            base.where(CurriculumFeedback.source == "committee")) or 0,
        "accepted": db.session.scalar(
            base.where(CurriculumFeedback.status.in_(("accepted", "implemented")))) or 0,
        "implemented": db.session.scalar(
            base.where(CurriculumFeedback.status == "implemented")) or 0,
    }


def step(feedback: CurriculumFeedback, *statuses: str) -> FeedbackDecision | None:
    """The (latest) decision that moved the feedback into one of `statuses`."""
    found = [d for d in feedback.decisions if d.to_status in statuses]
    return found[-1] if found else None


CHAIN_COLUMNS = [
    "Input", "Received", "Source", "Given by", "Kind", "Module / competency", "Relevance (1-5)",
    "Skill gap", "Suggestion", "Status",
    "Review started", "Review note",
    "Decision", "Decided on", "Decided by", "Decision note", "Decision meeting", "Minutes",
    "Implemented on", "Action taken", "Action meeting",
]


def chain_rows(items: list[CurriculumFeedback]) -> list[list[Any]]:
    """One row per input: input → decision → action, as staff may see it (for the export)."""
    rows = []
    for fb in items:
        review = step(fb, "under_review")
        decision = step(fb, "accepted", "declined")
        action = step(fb, "implemented")
        rows.append([
            fb.id, received_label(fb), SOURCES.get(fb.source, fb.source), contributor_label(fb),
            TOPIC_KINDS.get(fb.topic_kind, fb.topic_kind), fb.topic, fb.relevance, fb.skill_gap,
            fb.suggestion,
            STATUSES[fb.status],
            review.decided_at.date().isoformat() if review else None,
            review.note if review else None,
            STATUSES[decision.to_status] if decision else None,
            decision.decided_at.date().isoformat() if decision else None,
            decision.decided_by.label if decision and decision.decided_by else None,
            decision.note if decision else None,
            decision.meeting.label if decision and decision.meeting else None,
            decision.meeting.minutes_ref if decision and decision.meeting else None,
            action.decided_at.date().isoformat() if action else None,
            action.note if action else None,
            action.meeting.label if action and action.meeting else None,
        ])
    return rows


# --- the alumnus's own view ---------------------------------------------------------------


def own_feedback(alumnus: Alumnus) -> list[CurriculumFeedback]:
    """Everything the alumnus gave, anonymous or not (only they see the anonymous ones; read
    once for a page's panels and timeline)."""
    return read_once("own_feedback", alumnus, lambda: list(db.session.scalars(
        select(CurriculumFeedback).where(CurriculumFeedback.alumnus_id == alumnus.id)
        .options(selectinload(CurriculumFeedback.decisions))
        .order_by(CurriculumFeedback.received_on.desc(), CurriculumFeedback.id.desc()))))


def feedback_activity(institution_id: int, since: date, until: date, alumnus: Any = None
                      ) -> list[Select]:
    """Engagement source (SQL): (alumnus id, day) of feedback given under their name in the
    window. Anonymous feedback is left out: the rate's lists name the alumni behind it."""
    f = CurriculumFeedback
    stmt = select(f.alumnus_id, f.received_on).where(
        f.institution_id == institution_id, f.alumnus_id.is_not(None), f.anonymous.is_(False),
        f.received_on >= since, f.received_on <= until)
    return [stmt if alumnus is None else stmt.where(f.alumnus_id == alumnus)]


def engaged_alumni(institution_id: int, since: date, until: date) -> list[tuple[int, date]]:
    """(alumnus id, latest date) of feedback given under their name in the window."""
    return latest_activity(feedback_activity(institution_id, since, until))


def named_feedback(alumnus: Alumnus) -> list[CurriculumFeedback]:
    """The alumnus's feedback that staff may attribute to them (not the anonymous items)."""
    return [fb for fb in own_feedback(alumnus) if not fb.anonymous]
