"""Demo mentoring: mentors among the alumni, current students, mentorships in every state,
session logs and outcome ratings. Bulk rows through Core insert()."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert, select

from app.alumni.models import Alumnus
from app.core.db import today, utcnow
from app.core.seed import SeedContext
from app.extensions import db
from app.mentoring.models import (
    INDUSTRIES,
    OPEN_STATES,
    SESSION_MODES,
    MentoringSession,
    MentorProfile,
    Mentorship,
    Student,
)

ORDER = 40

GIVEN = ["Anh", "Budi", "Chanthou", "Dewi", "Farid", "Hoa", "Intan", "Jirayu", "Kyaw", "Lina",
         "Mai", "Nattapong", "Putri", "Rizal", "Sokha", "Thida", "Wei Ling", "Yusuf"]
FAMILY = ["Nguyen", "Santoso", "Srey", "Lestari", "Rahman", "Tran", "Wijaya", "Saelim", "Aung",
          "Hassan", "Pham", "Chaiyaporn", "Halim", "Putra", "Chea", "Win", "Tan", "Ismail"]
EXPERTISE = ["job interviews", "cv writing", "networking", "plc programming", "web development",
             "food safety", "hotel operations", "digital marketing", "starting a business",
             "cad design", "patient care", "crop management", "data analysis", "customer service"]
AREA_INDUSTRIES = {"it": "J", "multimedia": "R", "business": "G", "hospitality": "I",
                   "health": "Q", "agriculture": "A", "mechatronics": "C", "other": "S"}
LANGS = ["en", "ms", "id", "th", "vi", "km", "my"]
STATES = ["active"] * 5 + ["completed"] * 4 + ["proposed"] * 2 + ["accepted", "declined",
                                                                   "cancelled"]


def seed(ctx: SeedContext) -> None:
    """Mentors (about one alumnus in twelve), students and mentorships with sessions."""
    rng = ctx.rng
    if not ctx.programmes or not ctx.alumnus_ids:
        return
    area_of = {p.id: p.study_area for p in ctx.programmes}
    alumni = db.session.execute(
        select(Alumnus.id, Alumnus.programme_id, Alumnus.user_id)
        .where(Alumnus.institution_id == ctx.institution.id, Alumnus.status == "active")).all()
    demo_alumnus = next((a for a in alumni if a.user_id is not None), None)
    chosen = [a for a in alumni if a is not demo_alumnus]
    rng.shuffle(chosen)
    chosen = chosen[:max(3, min(60, len(alumni) // 12))]
    if demo_alumnus is not None:
        chosen.insert(0, demo_alumnus)
    now = utcnow()
    mentor_rows = []
    for a in chosen:
        industry = AREA_INDUSTRIES.get(area_of.get(a.programme_id, "other"), "S")
        extra = rng.sample(sorted(INDUSTRIES), 1)
        mentor_rows.append({
            "institution_id": ctx.institution.id, "alumnus_id": a.id,
            "expertise": ",".join(sorted(rng.sample(EXPERTISE, 2))),
            "industries": ",".join(sorted({industry, *extra})),
            "languages": ",".join(sorted({"en", rng.choice(LANGS)})),
            "capacity": rng.choice([1, 2, 2, 3, 4]), "load": 0,
            "available": rng.random() > 0.1, "about": None,
            "created_at": now - timedelta(days=rng.randint(30, 400)), "updated_at": now})
    db.session.execute(insert(MentorProfile), mentor_rows)
    mentors = db.session.execute(
        select(MentorProfile.id, MentorProfile.alumnus_id, MentorProfile.capacity,
               Alumnus.programme_id)
        .join(Alumnus, Alumnus.id == MentorProfile.alumnus_id)
        .where(MentorProfile.institution_id == ctx.institution.id)).all()

    this_day = today()
    student_rows = []
    for i in range(max(20, min(400, ctx.alumni_count // 3))):
        programme = ctx.programmes[i % len(ctx.programmes)]
        student_rows.append({
            "institution_id": ctx.institution.id,
            "student_number": f"{this_day.year % 100:02d}S{programme.code}{i + 1:04d}",
            "given_name": rng.choice(GIVEN), "family_name": rng.choice(FAMILY),
            "email": f"student{i + 1}@students.example.org", "programme_id": programme.id,
            "expected_graduation": date(this_day.year + rng.randint(0, 2), rng.choice([6, 11]), 30),
            "industries": AREA_INDUSTRIES.get(programme.study_area, "S"),
            "languages": ",".join(sorted({"en", rng.choice(LANGS)})),
            "created_at": now, "updated_at": now})
    db.session.execute(insert(Student), student_rows)
    students = db.session.execute(
        select(Student.id, Student.programme_id)
        .where(Student.institution_id == ctx.institution.id).order_by(Student.id)).all()

    load = {m.id: 0 for m in mentors}
    by_programme: dict[int, list] = {}
    for m in mentors:
        by_programme.setdefault(m.programme_id, []).append(m)
    officer_id = ctx.users["officer"].id if "officer" in ctx.users else None
    pairs = []
    for s in students:
        if rng.random() > 0.45:
            continue
        state = rng.choice(STATES)
        pool = by_programme.get(s.programme_id) or mentors
        # Open mentorships hold a place: never past capacity, as the service enforces.
        free = [m for m in pool if state not in OPEN_STATES or load[m.id] < m.capacity]
        if not free:
            continue
        mentor = min(free, key=lambda m: (load[m.id], rng.random()))
        if state in OPEN_STATES:
            load[mentor.id] += 1
        proposed = now - timedelta(days=rng.randint(20, 300))
        started = (proposed + timedelta(days=rng.randint(3, 14))).date() \
            if state in ("active", "completed") else None
        ended = started + timedelta(days=rng.randint(60, 150)) if state == "completed" else None
        pairs.append({
            "institution_id": ctx.institution.id, "mentor_id": mentor.id, "student_id": s.id,
            "status": state, "goals": rng.choice([None, "First job", "Internship search",
                                                  "Portfolio review", "Study plan"]),
            "match_score": rng.randint(40, 85), "proposed_at": proposed,
            "proposed_by_id": officer_id,
            "responded_at": None if state == "proposed" else proposed + timedelta(days=2),
            "started_on": started, "ended_on": min(ended, this_day) if ended else None,
            "status_note": None,
            "mentor_rating": rng.randint(3, 5) if state == "completed" else None,
            "mentor_outcome": None,
            "student_rating": rng.randint(3, 5) if state == "completed" else None,
            "student_outcome": None,
            "student_outcome_by": "link" if state == "completed" else None,
            "student_token_hash": None, "student_token_expires": None,
            "created_at": proposed, "updated_at": now})
    if pairs:
        db.session.execute(insert(Mentorship), pairs)
    for mentor_id, count in load.items():
        if count:
            db.session.execute(MentorProfile.__table__.update()
                               .where(MentorProfile.id == mentor_id).values(load=count))
    active = db.session.execute(
        select(Mentorship.id, Mentorship.started_on, Mentorship.ended_on)
        .where(Mentorship.institution_id == ctx.institution.id,
               Mentorship.status.in_(("active", "completed")))).all()
    sessions = []
    for m in active:
        last = m.ended_on or this_day
        span = max(1, (last - m.started_on).days)
        for _ in range(rng.randint(1, 6)):
            sessions.append({
                "institution_id": ctx.institution.id, "mentorship_id": m.id,
                "held_on": m.started_on + timedelta(days=rng.randint(0, span)),
                "minutes": rng.choice([30, 45, 60, 60, 90]),
                "mode": rng.choice(sorted(SESSION_MODES)), "notes": None,
                "recorded_by_id": None, "created_at": now})
    if sessions:
        db.session.execute(insert(MentoringSession), sessions)
    ctx.summary.append(f"{len(mentor_rows)} mentors, {len(student_rows)} students, "
                       f"{len(pairs)} mentorships, {len(sessions)} sessions")
