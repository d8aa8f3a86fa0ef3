"""A small cohort built by hand, every answer chosen so each indicator can be worked out on
paper in the tests (see `HandCohort` for who is who)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from app.core.db import utcnow
from app.employment.models import (
    Employer,
    EmployerFeedback,
    EmployerRating,
    SurveyInvitation,
    SurveyResponse,
    TracerSurvey,
    TracerSurveyCohort,
)
from app.reports.models import MinimumWage

GRADUATED = date(2024, 6, 30)


def make_survey(db, institution, cohorts, months=12, title="Tracer", **kw) -> TracerSurvey:
    survey = TracerSurvey(institution_id=institution.id, title=title, reference_months=months,
                          opens_on=date(2025, 6, 1), closes_on=date(2025, 8, 1), **kw)
    survey.cohorts = [TracerSurveyCohort(programme_id=p.id, cohort_year=y) for p, y in cohorts]
    db.session.add(survey)
    db.session.flush()
    return survey


def invite(db, survey, alumnus, *, undeliverable=False) -> SurveyInvitation:
    inv = SurveyInvitation(survey_id=survey.id, institution_id=survey.institution_id,
                           alumnus_id=alumnus.id, programme_id=alumnus.programme_id,
                           cohort_year=alumnus.cohort_year, email=alumnus.email,
                           sent_at=utcnow(),
                           undeliverable_at=utcnow() if undeliverable else None)
    db.session.add(inv)
    db.session.flush()
    return inv


def respond(db, survey, alumnus, status, *, at=None, ratings=None, **values) -> SurveyResponse:
    """An invitation answered with `status` and the given core values."""
    inv = invite(db, survey, alumnus)
    at = at or datetime(2025, 7, 1, 9, 0)
    inv.responded_at = at
    response = SurveyResponse(institution_id=survey.institution_id, survey_id=survey.id,
                              invitation_id=inv.id, alumnus_id=alumnus.id, submitted_at=at,
                              channel="link", status=status, **values)
    response.set_ratings(ratings or {})
    db.session.add(response)
    db.session.flush()
    return response


@dataclass
class HandCohort:
    """Programme DIT of Home Polytechnic (Indonesia), cohort 2024, 12 graduates (N = 12):

    a1 wage employed, full-time permanent, 2 months, relevance 5, same level, multinational,
       6,000,000 IDR in Jakarta (regional minimum 5,000,000); answered an older 12-month
       survey as unemployed first: only the latest counts
    a2 wage employed, part-time temporary, job begun before graduation (start date, no
       months), relevance 4, higher level, local, 3,000,000 IDR in Bandung (national 3,500,000)
    a3 self-employed, full-time, 8 months, relevance 2, lower level, national, 500 USD in
       Singapore (no minimum wage on record)
    a4 wage employed, full-time temporary, 14 months, relevance 3, same level, local,
       4,000,000 IDR, no place given (national 3,500,000)
    a5 further study; a6 not in the labour force; a7 military service; a8 ordination;
    a9 unemployed and seeking (also answered a 6-month survey as employed: not counted at 12)
    a10 invited, undeliverable, no response; a11 invited, no response; a12 not invited.
    Outside: an archived DIT 2024 graduate who responded, a DIT 2023 graduate who responded,
    a graduate with no programme, one with no cohort year.
    R = 9, undeliverable = 1.
    """

    institution: object
    programme: object
    other_programme: object
    survey: object
    alumni: dict


@pytest.fixture
def hand_cohort(db, world, make_alumnus, make_programme) -> HandCohort:
    home = world.home
    home.country = "ID"
    programme = world.programme
    other_programme = make_programme(home, code="DMK")
    # world's own two DIT 2024 alumni are moved to cohort 2020, out of the way.
    world.alumnus.cohort_year = world.second_alumnus.cohort_year = 2020
    db.session.commit()

    def grad(name, **kw):
        values = {"programme_id": programme.id, "cohort_year": 2024,
                  "graduation_date": GRADUATED, "given_name": name}
        values.update(kw)
        return make_alumnus(home, **values)

    a = {f"a{i}": grad(f"A{i}") for i in range(1, 13)}
    archived = grad("Archived", archived_at=utcnow())
    earlier = grad("Earlier", cohort_year=2023, graduation_date=date(2023, 6, 30))
    make_alumnus(home, programme_id=None, cohort_year=2024, given_name="NoProgramme")
    make_alumnus(home, programme_id=programme.id, cohort_year=None, graduation_date=None,
                 given_name="NoYear")

    survey = make_survey(db, home, [(programme, 2024), (programme, 2023)], title="Main 2025")
    older = make_survey(db, home, [(programme, 2024)], title="Older")
    six = make_survey(db, home, [(programme, 2024)], months=6, title="Six months")
    job = {"employer_name": "PT Maju", "job_title": "Technician"}
    respond(db, older, a["a1"], "unemployed_seeking", at=datetime(2025, 1, 5))
    respond(db, survey, a["a1"], "wage_employed", hours="full_time", contract="permanent",
            months_to_first_job=2, relevance=5, education_level="same",
            workplace_level="multinational", income_amount=Decimal("6000000"),
            income_currency="IDR", work_country="ID", work_city="Jakarta",
            ratings={"ethics": (3, 5), "it": (2, 4)}, **job)
    respond(db, survey, a["a2"], "wage_employed", hours="part_time", contract="temporary",
            start_date=date(2024, 5, 1), relevance=4, education_level="higher",
            workplace_level="local", income_amount=Decimal("3000000"), income_currency="IDR",
            work_country="ID", work_city=" bandung ", ratings={"ethics": (4, 3)}, **job)
    respond(db, survey, a["a3"], "self_employed", hours="full_time", months_to_first_job=8,
            relevance=2, education_level="lower", workplace_level="national",
            income_amount=Decimal("500"), income_currency="USD", work_country="SG")
    respond(db, survey, a["a4"], "wage_employed", hours="full_time", contract="temporary",
            months_to_first_job=14, relevance=3, education_level="same",
            workplace_level="local", income_amount=Decimal("4000000"), income_currency="IDR",
            **job)
    respond(db, survey, a["a5"], "further_study", further_study=True,
            ratings={"ethics": (2, 2)})
    respond(db, survey, a["a6"], "not_in_labour_force")
    respond(db, survey, a["a7"], "military_service")
    respond(db, survey, a["a8"], "ordination")
    respond(db, six, a["a9"], "wage_employed", months_to_first_job=1, relevance=5,
            education_level="same", at=datetime(2025, 1, 2))
    respond(db, survey, a["a9"], "unemployed_seeking")
    invite(db, survey, a["a10"], undeliverable=True)
    invite(db, survey, a["a11"])
    respond(db, survey, archived, "wage_employed", months_to_first_job=1, relevance=5,
            ratings={"ethics": (1, 5)})
    respond(db, survey, earlier, "wage_employed", months_to_first_job=1, relevance=5)

    db.session.add_all([
        MinimumWage(country="ID", region="", year=2025, monthly_amount=Decimal("3500000"),
                    currency="IDR"),
        MinimumWage(country="ID", region="jakarta", year=2025,
                    monthly_amount=Decimal("5000000"), currency="IDR"),
        MinimumWage(country="ID", region="", year=2024, monthly_amount=Decimal("1"),
                    currency="IDR"),
    ])
    # Employer satisfaction for DIT 2024: three employers rate ethics very good, good, good.
    employers = [Employer(institution_id=home.id, name=f"Employer {i}",
                          normalised_name=f"employer {i}") for i in range(4)]
    db.session.add_all(employers)
    db.session.flush()
    for employer, level, prog, year in ((employers[0], "very_good", programme, 2024),
                                        (employers[1], "good", programme, 2024),
                                        (employers[2], "good", programme, 2024),
                                        (employers[3], "poor", other_programme, 2024),
                                        (employers[0], "poor", programme, 2023)):
        fb = EmployerFeedback(institution_id=home.id, employer_id=employer.id,
                              programme_id=prog.id, year=year,
                              submitted_at=utcnow() - timedelta(days=1))
        fb.ratings = [EmployerRating(competency="ethics", level=level),
                      EmployerRating(competency="it", level="fair")]
        db.session.add(fb)
    db.session.commit()
    return HandCohort(home, programme, other_programme, survey, a)
