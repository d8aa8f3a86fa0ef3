"""Demo data: employers, employment records, a tracer survey with answers, employer ratings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from app.alumni.models import Alumnus
from app.core.db import today, utcnow
from app.core.seed import SeedContext
from app.core.tokens import new_token
from app.employment import codes
from app.employment.models import (
    Employer,
    EmployerFeedback,
    EmployerRating,
    Employment,
    SurveyInvitation,
    SurveyResponse,
    TracerSurvey,
    TracerSurveyCohort,
)
from app.employment.services import normalise_employer_name
from app.employment.tracer import invitable
from app.extensions import db

ORDER = 30

EMPLOYERS = [
    ("Petronas Digital Sdn Bhd", "J", "MY", "Kuala Lumpur", "large", "state_enterprise"),
    ("Siam Robotics Co., Ltd.", "C", "TH", "Bangkok", "medium", "private"),
    ("PT Astra International Tbk", "C", "ID", "Jakarta", "large", "private"),
    ("Vingroup JSC", "L", "VN", "Hanoi", "large", "private"),
    ("Jollibee Foods Corporation", "I", "PH", "Manila", "large", "private"),
    ("Penang General Hospital", "Q", "MY", "George Town", "large", "government"),
    ("Mekong Agro Cooperative", "A", "VN", "Can Tho", "small", "ngo"),
    ("Kuala Lumpur Creative Studio", "R", "MY", "Kuala Lumpur", "micro", "private"),
    ("Singapore Airlines Engineering", "H", "SG", "Singapore", "large", "private"),
    ("Makati Business Services Inc.", "N", "PH", "Makati", "medium", "private"),
]
INCOME = {"MY": ("MYR", 2500, 6000), "TH": ("THB", 15000, 40000), "ID": ("IDR", 4_500_000,
          12_000_000), "VN": ("VND", 8_000_000, 25_000_000), "PH": ("PHP", 18000, 45000),
          "SG": ("SGD", 2800, 5500)}


def seed(ctx: SeedContext) -> None:
    """Employers of the region, a job history for most alumni, last year's tracer survey with
    invitations and answers, and employer ratings for two programmes."""
    rng, inst = ctx.rng, ctx.institution
    now = utcnow()
    employer_ids, names = [], {}
    for name, isic, country, city, size, kind in EMPLOYERS:
        employer = Employer(institution_id=inst.id, name=name,
                            normalised_name=normalise_employer_name(name), isic_section=isic,
                            country=country, city=city, size=size, employer_type=kind,
                            contact_email=f"hr@{normalise_employer_name(name).split()[0]}"
                                          ".example")
        db.session.add(employer)
        db.session.flush()
        employer_ids.append((employer.id, country))
        names[employer.id] = name

    alumni = db.session.execute(
        select(Alumnus.id, Alumnus.programme_id, Alumnus.cohort_year, Alumnus.graduation_date)
        .where(Alumnus.institution_id == inst.id)).all()
    statuses = (["wage_employed"] * 62 + ["self_employed"] * 10 + ["further_study"] * 10
                + ["unemployed_seeking"] * 10 + ["not_in_labour_force"] * 3
                + ["military_service", "ordination", "family_care"] * 2)
    jobs = []
    for a in alumni:
        if rng.random() < 0.25:
            continue  # not every alumnus has told us anything
        status = rng.choice(statuses)
        start = (a.graduation_date or date(a.cohort_year or 2022, 6, 30)) + timedelta(
            days=rng.randint(0, 300))
        row = {"institution_id": inst.id, "alumnus_id": a.id, "status": status,
               "start_date": min(start, today()), "source": rng.choice(
                   ["self", "officer", "import"]), "verified": rng.random() < 0.3,
               "created_at": now, "updated_at": now, "employer_id": None, "hours": None,
               "contract": None, "job_title": None, "isco_group": None, "income_amount": None,
               "income_currency": None, "relevance": None, "education_level": None,
               "workplace_level": None, "months_to_find": rng.randint(0, 12)}
        if status in codes.EMPLOYED:
            employer_id, country = rng.choice(employer_ids)
            currency, low, high = INCOME[country]
            row.update(employer_id=employer_id, hours=rng.choice(["full_time"] * 5
                                                                  + ["part_time"]),
                       contract=rng.choice(["permanent", "permanent", "temporary",
                                            "freelance"]),
                       job_title=rng.choice(["Technician", "Assistant engineer", "Supervisor",
                                             "Analyst", "Cook", "Nurse", "Designer"]),
                       isco_group=rng.choice(["2", "3", "3", "3", "4", "5", "7"]),
                       income_amount=Decimal(rng.randint(low, high)), income_currency=currency,
                       relevance=rng.choice([5, 5, 4, 4, 4, 3, 2, 1]),
                       education_level=rng.choice(["same", "same", "higher", "lower", "none"]),
                       workplace_level=rng.choice(["local", "national", "multinational"]))
        jobs.append(row)
    if jobs:
        db.session.execute(insert(Employment), jobs)

    # Last year's cohort surveyed at 12 months: invitations, some undeliverable, answers.
    cohort = today().year - 2
    survey = TracerSurvey(institution_id=inst.id, title=f"Graduates {cohort} at 12 months",
                          reference_months=12, opens_on=today() - timedelta(days=20),
                          closes_on=today() + timedelta(days=40),
                          created_by_id=ctx.users["officer"].id)
    survey.cohorts = [TracerSurveyCohort(programme_id=p.id, cohort_year=cohort)
                      for p in ctx.programmes]
    db.session.add(survey)
    db.session.flush()
    contactable_ids = set(db.session.scalars(select(Alumnus.id).where(
        Alumnus.institution_id == inst.id, Alumnus.cohort_year == cohort, invitable())))
    invited = [a for a in alumni if a.id in contactable_ids]
    expires = now + timedelta(days=40)
    invitations = []
    for a in invited:
        outcome = rng.random()
        invitations.append({
            "survey_id": survey.id, "institution_id": inst.id, "alumnus_id": a.id,
            "programme_id": a.programme_id, "cohort_year": a.cohort_year,
            "token_hash": new_token()[1], "expires_at": expires, "created_at": now,
            "sent_at": None if outcome < 0.04 else now - timedelta(days=19),
            "undeliverable_at": now - timedelta(days=19) if outcome < 0.04 else None,
            "responded_at": now - timedelta(days=rng.randint(1, 18))
            if outcome > 0.45 else None, "reminder_count": 0})
    if invitations:
        db.session.execute(insert(SurveyInvitation), invitations)
    responded = db.session.scalars(select(SurveyInvitation).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.responded_at.is_not(None))
        .order_by(SurveyInvitation.id))  # the same answers for the same seed, whatever the plan
    for inv in responded:
        status = rng.choice(statuses)
        employed = status in codes.EMPLOYED
        employer_id, country = rng.choice(employer_ids)
        currency, low, high = INCOME[country]
        months = rng.choice([0, 1, 2, 3, 4, 6, 8, 12])
        response = SurveyResponse(
            institution_id=inst.id, survey_id=survey.id, invitation_id=inv.id,
            alumnus_id=inv.alumnus_id, submitted_at=inv.responded_at, channel="link",
            status=status, job_within_6_months=employed and months <= 6,
            months_to_first_job=months if employed else None,
            employer_name=names[employer_id] if employed else None,
            income_amount=Decimal(rng.randint(low, high)) if employed else None,
            income_currency=currency if employed else None,
            relevance=rng.choice([5, 4, 4, 3, 2]) if employed else None,
            education_level=rng.choice(["same", "higher", "lower"]) if employed else None,
            workplace_level=rng.choice(["local", "national", "multinational"])
            if employed else None,
            further_study=status == "further_study")
        response.set_ratings({k: (rng.randint(2, 4), rng.randint(3, 5))
                              for k in codes.COMPETENCIES})
        db.session.add(response)

    # Employer ratings for the first two programmes, last year.
    for programme in ctx.programmes[:2]:
        for employer_id, _country in employer_ids[:5]:
            feedback = EmployerFeedback(
                institution_id=inst.id, employer_id=employer_id, programme_id=programme.id,
                year=today().year - 1, respondent_name="HR manager",
                comments=rng.choice([None, "Strong practical skills; English could improve.",
                                     "Please add more teamwork projects."]))
            feedback.ratings = [EmployerRating(competency=k, level=rng.choice(
                ["very_good", "good", "good", "fair", "poor"])) for k in codes.COMPETENCIES]
            db.session.add(feedback)
    db.session.flush()
    ctx.summary.append(f"{len(employer_ids)} employers, {len(jobs)} employment records, "
                       f"a tracer survey of {len(invitations)} graduates")
