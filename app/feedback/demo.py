"""Demo curriculum feedback: review meetings per programme, alumni and committee input, and
decisions along the workflow (some anonymous, some implemented)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from app.alumni.models import Alumnus
from app.core.db import today, utcnow
from app.core.seed import SeedContext
from app.extensions import db
from app.feedback.models import CurriculumFeedback, FeedbackDecision, ReviewMeeting

ORDER = 41

TOPICS = {
    "it": ["Cloud computing", "Cyber security", "Database design", "Agile teamwork"],
    "multimedia": ["Motion graphics", "UX research", "Client briefs"],
    "business": ["Digital marketing", "Bookkeeping software", "Export procedures"],
    "hospitality": ["Food safety (HACCP)", "Front office systems", "Guest complaints"],
    "health": ["Electronic health records", "Patient communication"],
    "agriculture": ["Precision farming", "Post-harvest handling"],
    "mechatronics": ["PLC programming", "Industrial IoT", "Hydraulics maintenance"],
    "other": ["Workplace English", "Report writing"],
}
GAPS = ["Had to learn it on the job in the first months.", "Employers expect it from day one.",
        "We used old versions at college.", None]
SUGGESTIONS = ["Add a practical lab on it.", "Invite industry trainers for a short course.",
               "Make it part of the internship tasks.", "Update the software used in class."]
FLOW = [("new",), ("new", "under_review"), ("new", "under_review", "accepted"),
        ("new", "under_review", "declined"), ("new", "under_review", "accepted", "implemented")]


def seed(ctx: SeedContext) -> None:
    """Two review meetings per programme, about six inputs each, with their decisions."""
    rng = ctx.rng
    if not ctx.programmes:
        return
    officer = ctx.users.get("officer")
    this_day = today()
    now = utcnow()
    meeting_rows = []
    for p in ctx.programmes:
        for months, kind, title in ((10, "advisory_committee", "Industry advisory committee"),
                                    (4, "curriculum_review", "Curriculum review")):
            held = this_day - timedelta(days=30 * months)
            meeting_rows.append({
                "institution_id": ctx.institution.id, "programme_id": p.id, "held_on": held,
                "kind": kind, "title": f"{title} {held:%b %Y}",
                "minutes_ref": f"{p.code}-{kind[:3].upper()}-{held:%Y%m}",
                "created_by_id": officer.id if officer else None, "created_at": now})
    db.session.execute(insert(ReviewMeeting), meeting_rows)
    meetings: dict[int, list] = {}
    for m in db.session.execute(select(ReviewMeeting.id, ReviewMeeting.programme_id,
                                       ReviewMeeting.held_on).order_by(ReviewMeeting.held_on)):
        meetings.setdefault(m.programme_id, []).append(m)
    alumni: dict[int, list[int]] = {}
    for a in db.session.execute(select(Alumnus.id, Alumnus.programme_id)
                                .where(Alumnus.institution_id == ctx.institution.id)):
        alumni.setdefault(a.programme_id, []).append(a.id)

    items, plans = [], []
    for p in ctx.programmes:
        early, late = meetings[p.id]
        for _ in range(6):
            committee = rng.random() < 0.3
            pool = alumni.get(p.id) or []
            if not committee and not pool:
                continue
            flow = rng.choice(FLOW)
            items.append({
                "institution_id": ctx.institution.id, "programme_id": p.id,
                "source": "committee" if committee else "alumnus",
                "alumnus_id": None if committee else rng.choice(pool),
                "anonymous": (not committee) and rng.random() < 0.3,
                "meeting_id": early.id if committee else None,
                "topic_kind": rng.choice(["module", "competency"]),
                "topic": rng.choice(TOPICS.get(p.study_area, TOPICS["other"])),
                "relevance": None if committee else rng.randint(2, 5),
                "skill_gap": rng.choice(GAPS), "suggestion": rng.choice(SUGGESTIONS),
                "status": flow[-1],
                "received_on": early.held_on if committee else
                early.held_on - timedelta(days=rng.randint(5, 120)),
                "created_at": now, "updated_at": now})
            plans.append((flow, late))
    db.session.execute(insert(CurriculumFeedback), items)
    ids = list(db.session.scalars(select(CurriculumFeedback.id)
                                  .where(CurriculumFeedback.institution_id == ctx.institution.id)
                                  .order_by(CurriculumFeedback.id)))
    notes = {"under_review": "Tabled for the next review meeting.",
             "accepted": "Agreed to add it to the programme.",
             "declined": "Already covered by an existing module.",
             "implemented": "Included in the module outline from the next intake."}
    decisions = []
    for fb_id, (flow, late) in zip(ids, plans, strict=True):
        for step, (frm, to) in enumerate(zip(flow, flow[1:], strict=False)):
            when = late.held_on + timedelta(days=[-20, 0, 60][min(step, 2)])
            decisions.append({
                "institution_id": ctx.institution.id, "feedback_id": fb_id,
                "from_status": frm, "to_status": to, "note": notes[to],
                "meeting_id": late.id if to in ("accepted", "declined") else None,
                "decided_by_id": officer.id if officer else None,
                "decided_at": min(now, now.replace(year=when.year, month=when.month,
                                                   day=when.day))})
    if decisions:
        db.session.execute(insert(FeedbackDecision), decisions)
    ctx.summary.append(f"{len(meeting_rows)} review meetings, {len(items)} curriculum "
                       f"feedback items, {len(decisions)} decisions")
