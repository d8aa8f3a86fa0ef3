"""Demo exchange records: partners in ID/PH/TH/VN, a 2022 virtual batch and a 2019 physical
batch with agreements and participants (some of them demo alumni), and a credit rule."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from faker import Faker
from sqlalchemy import insert, select

from app.alumni.institutions import InstitutionData, create_institution
from app.alumni.models import Alumnus, Institution
from app.core.db import utcnow
from app.core.seed import SeedContext
from app.exchange.models import ExchangeParticipation
from app.exchange.services import (
    AgreementData,
    BatchData,
    CreditRuleData,
    create_agreement,
    create_batch,
    credits_for_hours,
    link_exchange_alumni,
    set_credit_rule,
)
from app.extensions import db

ORDER = 60

PARTNERS = [
    ("PNJ-ID", "Politeknik Negeri Jakarta", "ID", "polytechnic", "id_ID"),
    ("TUP-PH", "Technological University of the Philippines", "PH", "university_of_technology",
     "fil_PH"),
    ("RMUTT-TH", "Rajamangala University of Technology Thanyaburi", "TH",
     "university_of_technology", "th_TH"),
]
AREAS = ("it", "multimedia", "business", "hospitality", "health", "agriculture", "mechatronics")
PROJECTS = ("Smart farm sensor dashboard", "Heritage tourism video", "Online shop for a "
            "community enterprise", "Hotel front-office role play", "Community health survey app",
            "Line-following robot", "Coffee brand identity")


def _partners(ctx: SeedContext) -> list[tuple[Institution, str]]:
    out = []
    for code, name, country, kind, locale in PARTNERS:
        inst = db.session.scalar(select(Institution).where(Institution.code == code))
        if inst is None:
            inst = create_institution(InstitutionData(code=code, name=name, country=country,
                                                      kind=kind), actor=None)
        out.append((inst, locale))
    vietnam = ctx.partner or create_institution(InstitutionData(
        code="PARTNER", name="Mekong Partner Technical College", country="VN", kind="college"),
        actor=None)
    out.append((vietnam, "vi_VN"))
    return out


def seed(ctx: SeedContext) -> None:
    """Partners, two batches, agreements, participants and the demo credit rule."""
    if ctx.institution is None:
        return
    rng = ctx.rng
    officer = ctx.users.get("officer")
    home = ctx.institution
    partners = _partners(ctx)
    set_credit_rule(home.id, CreditRuleData(hours_per_credit="40", rounding="half_down",
                                            max_credits="3"), actor=officer)
    rule = CreditRuleData(hours_per_credit="40", rounding="half_down", max_credits="3")
    virtual = create_batch(BatchData(
        name="SEAMEO TVET Virtual Student Exchange", year=2022, batch_number=1, mode="virtual",
        window_start=date(2022, 5, 16), window_end=date(2022, 6, 24),
        coordinator="Dr. Siti Aminah binti Yusof",
        notes="Pilot virtual batch: 2 to 6 weeks agreed per pair of institutions."),
        actor=officer)
    physical = create_batch(BatchData(
        name="SEA-TVET Student Exchange", year=2019, batch_number=4, mode="physical",
        window_start=date(2019, 7, 1), window_end=date(2019, 9, 30),
        coordinator="Mr. Ahmad bin Ismail"), actor=officer)
    for partner, _ in partners:
        create_agreement(virtual, AgreementData(
            first_institution_id=home.id, second_institution_id=partner.id, duration_days=28,
            hours_per_day="4", places_first_to_second=6, places_second_to_first=4,
            status="completed", signed_date=date(2022, 4, 8)), actor=officer)
    for partner, _ in partners[1:3]:
        create_agreement(physical, AgreementData(
            first_institution_id=home.id, second_institution_id=partner.id, duration_days=60,
            hours_per_day="6", places_first_to_second=5, places_second_to_first=5,
            status="completed", signed_date=date(2019, 5, 20)), actor=officer)

    # Outgoing students are demo alumni of the cohorts that studied then.
    alumni = list(db.session.execute(
        select(Alumnus.id, Alumnus.student_number, Alumnus.given_name, Alumnus.family_name,
               Alumnus.email, Alumnus.cohort_year, Alumnus.user_id)
        .where(Alumnus.institution_id == home.id).order_by(Alumnus.id)))
    demo_user = next((a for a in alumni if a.user_id), None)
    fakers = {}
    for _, locale in partners:
        fakers[locale] = Faker(locale)
        fakers[locale].seed_instance(rng.randint(0, 10**9))
    rows = []
    now = utcnow()

    def add(batch, year_alumni, outgoing: int, incoming: int, start: date, weeks: tuple,
            hours_per_week: int) -> None:
        chosen = rng.sample(year_alumni, min(outgoing, len(year_alumni)))
        if batch is virtual and demo_user is not None and demo_user not in chosen:
            chosen[0:1] = [demo_user]
        people = [("outgoing", a.student_number, a.given_name, a.family_name, a.email)
                  for a in chosen]
        for i in range(incoming):
            partner, locale = partners[i % len(partners)]
            f = fakers[locale]
            people.append(("incoming", f"{partner.code[:3]}{rng.randint(10000, 99999)}",
                           f.first_name(), f.last_name(), None))
        for i, (direction, number, given, family, email) in enumerate(people):
            partner, _ = partners[i % len(partners)]
            begin = start + timedelta(days=rng.randint(0, 10))
            length = rng.choice(weeks)
            hours = Decimal(length * hours_per_week)
            roll = rng.random()
            status = ("completed" if roll < 0.82 else "withdrawn" if roll < 0.9
                      else "in_progress" if batch is virtual and roll < 0.95 else "completed")
            if direction == "outgoing" and number == getattr(demo_user, "student_number", None):
                status = "completed"
            done = status == "completed"
            recognised = done and direction == "outgoing" and rng.random() < 0.7
            rows.append({
                "institution_id": home.id, "batch_id": batch.id, "direction": direction,
                "student_number": number, "given_name": given, "family_name": family,
                "email": email, "programme_code": None,
                "sending_institution_id": home.id if direction == "outgoing" else partner.id,
                "receiving_institution_id": partner.id if direction == "outgoing" else home.id,
                "study_area": rng.choice(AREAS), "level": "diploma",
                "start_date": begin, "end_date": begin + timedelta(weeks=length),
                "hours": hours, "project": rng.choice(PROJECTS),
                "mentor_teacher": fakers[rng.choice(list(fakers))].name(),
                "e_buddy": None, "industry_partner": None,
                "performance_result": rng.choice(["excellent", "very_good", "good"])
                if done else None,
                "evaluation_submitted": done and rng.random() < 0.8,
                "certificate_number": None, "status": status,
                "withdrawn_from": "in_progress" if status == "withdrawn" else None,
                "status_changed_at": now,
                "credits_recognised": (True if recognised else None),
                "credits": credits_for_hours(hours, rule) if recognised else None,
                "recognition_date": begin + timedelta(weeks=length + 3) if recognised else None,
                "created_at": now, "updated_at": now,
            })

    studying_2022 = [a for a in alumni if a.cohort_year and 2023 <= a.cohort_year <= 2025]
    studying_2019 = [a for a in alumni if a.cohort_year and 2020 <= a.cohort_year <= 2022]
    add(virtual, studying_2022 or alumni, 24, 12, date(2022, 5, 16), (3, 4, 5, 6), 20)
    add(physical, studying_2019 or alumni, 10, 8, date(2019, 7, 1), (6, 8, 10), 30)
    # Participants may share a number only across batches or sending institutions.
    seen, unique_rows = set(), []
    for row in rows:
        key = (row["batch_id"], row["sending_institution_id"], row["student_number"].lower())
        if key not in seen:
            seen.add(key)
            unique_rows.append(row)
    db.session.execute(insert(ExchangeParticipation), unique_rows)
    db.session.flush()
    for p in db.session.scalars(select(ExchangeParticipation).where(
            ExchangeParticipation.status == "completed",
            ExchangeParticipation.institution_id == home.id)):
        p.certificate_number = f"{home.code}-{p.batch.year}-B{p.batch.batch_number}-{p.id:05d}"
    linked = link_exchange_alumni(home.id, actor=officer)
    ctx.summary.append(f"{len(unique_rows)} exchange participants in 2 batches "
                       f"({linked} linked to alumni)")
