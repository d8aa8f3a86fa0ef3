"""Fixtures for the employment feature: a tracer survey over a cohort with every kind of
alumnus the invitation rules care about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest

from app.alumni.models import Consent
from app.core.db import utcnow
from app.employment import tracer


@dataclass
class Campaign:
    survey: object
    invited: list  # alumni who must get an invitation
    excluded: list  # alumni who must not
    undeliverable: object  # invited, but the server refuses the address


@pytest.fixture
def campaign(db, world, make_alumnus, make_programme):
    """A 12-month survey of programme DIT, cohort 2024, with alumni of every kind."""
    home, programme = world.home, world.programme

    def alumnus(**kw):
        return make_alumnus(home, programme_id=programme.id, cohort_year=2024, **kw)

    plain = alumnus(given_name="Somchai")
    granted = alumnus(given_name="Nguyễn")
    regranted = alumnus(given_name="Regranted")
    tracer_withdrawn = alumnus(given_name="NoTracer")
    contact_withdrawn = alumnus(given_name="NoContact")
    deceased = alumnus(status="deceased")
    opted_out = alumnus(status="opted_out")
    archived = alumnus(archived_at=utcnow())
    no_email = alumnus(email=None)
    refused = alumnus(email="undeliverable.person@example.org")
    other_cohort = make_alumnus(home, programme_id=programme.id, cohort_year=2022)
    other_programme = make_alumnus(home, programme_id=make_programme(home).id, cohort_year=2024)
    now = utcnow()
    db.session.add_all([
        Consent(alumnus_id=granted.id, purpose="tracer", granted=True, method="officer"),
        Consent(alumnus_id=tracer_withdrawn.id, purpose="tracer", granted=False,
                method="self_service"),
        Consent(alumnus_id=contact_withdrawn.id, purpose="contact", granted=True,
                method="officer", recorded_at=now - timedelta(days=2)),
        Consent(alumnus_id=contact_withdrawn.id, purpose="contact", granted=False,
                method="self_service", recorded_at=now - timedelta(days=1)),
        Consent(alumnus_id=regranted.id, purpose="tracer", granted=False,
                method="self_service", recorded_at=now - timedelta(days=2)),
        Consent(alumnus_id=regranted.id, purpose="tracer", granted=True,
                method="self_service", recorded_at=now - timedelta(days=1)),
    ])
    db.session.commit()
    survey = tracer.create_survey(
        tracer.SurveyData(title="Graduates 2024 at 12 months", reference_months=12,
                          opens_on=date.today() - timedelta(days=1),
                          closes_on=date.today() + timedelta(days=30),
                          cohorts=[(programme.id, 2024)],
                          questions=[tracer.QuestionData("Would you recommend the programme?",
                                                         "yes_no", required=True)]),
        institution_id=home.id, actor=world.users["officer"])
    db.session.commit()
    return Campaign(
        survey=survey,
        # world.alumnus and world.second_alumnus are DIT 2024 too
        # news and events withdrawn, tracer not: invited (the tracer consent alone decides)
        invited=[world.alumnus, world.second_alumnus, plain, granted, regranted,
                 contact_withdrawn, refused],
        excluded=[tracer_withdrawn, deceased, opted_out, archived, no_email, other_cohort,
                  other_programme],
        undeliverable=refused,
    )


LINK = re.compile(r"https?://\S+/survey/[A-Za-z0-9_-]+")


def link_in(sink, message) -> str:
    """The survey link of a received message, as a path for the test client."""
    found = LINK.search(sink.text(message))
    assert found, "no survey link in the message"
    return urlparse(found.group(0)).path


def good_answers(**overrides) -> dict[str, str]:
    """A complete, valid answer form for a wage-employed graduate."""
    data = {
        "status": "wage_employed", "job_within_6_months": "yes", "months_to_first_job": "3",
        "how_found": "internship", "employer_name": "PT Astra International Tbk",
        "employer_type": "private", "isic_section": "C", "job_title": "Maintenance technician",
        "isco_group": "3", "hours": "full_time", "contract": "permanent",
        "start_date": "2024-10-01", "work_country": "ID", "work_city": "Jakarta",
        "income_amount": "6500000", "income_currency": "IDR", "relevance": "5",
        "education_level": "same", "workplace_level": "multinational", "further_study": "no",
    }
    for i, key in enumerate(("ethics", "expertise", "foreign_language", "it", "communication",
                             "teamwork", "self_development")):
        data[f"{key}_at_graduation"] = str(1 + i % 5)
        data[f"{key}_required_now"] = str(5 - i % 3)
    data.update(overrides)
    return data
