"""How the page-access test fills URL parameters: one entry per parameter name.

Each entry builds (or picks) a record of the HOME institution in `world` and returns the value
for the URL; `owned` says the record belongs to an institution, so an officer of another
institution must not reach it (404). A feature that adds a route with a new parameter adds its
entry here; the access test fails, naming the parameter, until it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Param:
    make: Callable[[Any], Any]  # world -> value
    owned: bool = True


def _correction(world):
    from app.alumni.models import CorrectionRequest
    from app.extensions import db

    req = CorrectionRequest(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                            field="given_name", message="Spelling of my name")
    db.session.add(req)
    db.session.commit()
    return req.id


def _rights_request(world):
    """world.alumnus's copy of their data, made (its file long since removed)."""
    from app.core.db import today
    from app.core.jobs import Job
    from app.extensions import db
    from app.privacy.models import RightsRequest

    job = Job(kind="data_download", handler="app.privacy.export:build_data_download",
              status="done", institution_id=world.home.id,
              created_by_id=world.users["alumnus"].id)
    db.session.add(job)
    db.session.flush()
    req = RightsRequest(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                        kind="download", status="done", due_on=today(), job_id=job.id)
    db.session.add(req)
    db.session.commit()
    return req.id


def _job(world):
    from app.core.jobs import Job
    from app.extensions import db

    job = Job(kind="demo", handler="x:y", status="done", institution_id=world.home.id,
              created_by_id=world.users["officer"].id)
    db.session.add(job)
    db.session.commit()
    return job.id


def _register_workbook(world):
    """A finished workbook export of the home institution (its file long since removed)."""
    from app.core.jobs import Job
    from app.extensions import db

    job = Job(kind="register_workbook", handler="app.imports.export_job:build_register_workbook",
              status="done", institution_id=world.home.id,
              created_by_id=world.users["officer"].id, result={"file": "register-0.xlsx"})
    db.session.add(job)
    db.session.commit()
    return job.id


def _student(world):
    import uuid

    from app.extensions import db
    from app.mentoring.models import Student

    student = Student(institution_id=world.home.id, student_number=f"ST{uuid.uuid4().hex[:8]}",
                      given_name="Mentee", programme_id=world.programme.id)
    db.session.add(student)
    db.session.commit()
    return student.id


def _mentorship(world):
    """An active mentorship with world.alumnus as the mentor (so the alumnus may open it)."""
    from app.extensions import db
    from app.mentoring.models import MentorProfile, Mentorship
    from app.mentoring.services import mentor_profile_for

    profile = mentor_profile_for(world.alumnus)
    if profile is None:
        profile = MentorProfile(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                                languages="en", capacity=10, load=0)
        db.session.add(profile)
        db.session.flush()
    mentorship = Mentorship(institution_id=world.home.id, mentor_id=profile.id,
                            student_id=_student(world), status="active")
    db.session.add(mentorship)
    db.session.commit()
    return mentorship.id


def _contribution(world):
    from datetime import date

    from app.contributions.services import ContributionData, record_contribution
    from app.extensions import db

    c = record_contribution(
        ContributionData(donor_kind="alumnus", alumnus_id=world.alumnus.id, kind="monetary",
                         category="donation", received_on=date.today(),
                         amount="100", currency="MYR"),
        institution=world.home, actor=world.users["officer"])
    db.session.commit()
    return c.id


def _event(world):
    from datetime import date, timedelta

    from app.engagement.models import Event
    from app.extensions import db

    event = Event(institution_id=world.home.id, title="Alumni reunion", kind="reunion",
                  event_date=date.today() + timedelta(days=30), mode="on_site",
                  registration_open=True, capacity=50)
    db.session.add(event)
    db.session.commit()
    return event.id


def _exchange_batch(world):
    """The home institution's 2022 exchange batch (made once per test)."""
    from datetime import date

    from sqlalchemy import select

    from app.exchange.models import ExchangeBatch
    from app.extensions import db

    batch = db.session.scalar(select(ExchangeBatch).where(
        ExchangeBatch.institution_id == world.home.id, ExchangeBatch.year == 2022))
    if batch is None:
        batch = ExchangeBatch(institution_id=world.home.id, name="Virtual exchange", year=2022,
                              batch_number=1, mode="virtual", window_start=date(2022, 5, 16),
                              window_end=date(2022, 6, 24))
        db.session.add(batch)
        db.session.commit()
    return batch


def _exchange_agreement(world):
    from app.exchange.models import ExchangeAgreement
    from app.extensions import db

    batch = _exchange_batch(world)
    agreement = ExchangeAgreement(institution_id=world.home.id, batch_id=batch.id,
                                  first_institution_id=world.home.id,
                                  second_institution_id=world.other.id, status="draft")
    db.session.add(agreement)
    db.session.commit()
    return agreement.id


def _exchange_participation(world):
    """A completed exchange of world.alumnus (so the alumnus may open its certificate)."""
    import uuid
    from decimal import Decimal

    from app.exchange.models import ExchangeParticipation
    from app.extensions import db

    batch = _exchange_batch(world)
    p = ExchangeParticipation(
        institution_id=world.home.id, batch_id=batch.id, direction="outgoing",
        student_number=f"X{uuid.uuid4().hex[:8]}", given_name=world.alumnus.given_name,
        family_name=world.alumnus.family_name, alumnus_id=world.alumnus.id,
        sending_institution_id=world.home.id, receiving_institution_id=world.other.id,
        study_area="it", hours=Decimal(90), status="completed",
        certificate_number=f"C-{uuid.uuid4().hex[:10]}")
    db.session.add(p)
    db.session.commit()
    return p.id


def _feedback(world):
    from datetime import date

    from app.extensions import db
    from app.feedback.models import CurriculumFeedback

    fb = CurriculumFeedback(institution_id=world.home.id, programme_id=world.programme.id,
                            source="alumnus", alumnus_id=world.second_alumnus.id,
                            topic_kind="module", topic="Networking", relevance=4,
                            suggestion="More labs", status="new", received_on=date.today())
    db.session.add(fb)
    db.session.commit()
    return fb.id


def _employer(world):
    from app.employment.models import Employer
    from app.extensions import db

    employer = Employer(institution_id=world.home.id, name="Siam Robotics Co., Ltd.",
                        normalised_name="siam robotics", country="TH")
    db.session.add(employer)
    db.session.commit()
    return employer.id


def _employment(world):
    from datetime import date

    from app.employment.models import Employment
    from app.extensions import db

    job = Employment(institution_id=world.home.id, alumnus_id=world.alumnus.id,
                     employer_id=_employer(world), status="wage_employed", source="self",
                     job_title="Technician", start_date=date(2024, 8, 1))
    db.session.add(job)
    db.session.commit()
    return job.id


def _tracer_survey(world):
    from datetime import date, timedelta

    from app.employment.models import TracerSurvey, TracerSurveyCohort
    from app.extensions import db

    survey = TracerSurvey(institution_id=world.home.id, title="Graduates 2024",
                          reference_months=12, opens_on=date.today(),
                          closes_on=date.today() + timedelta(days=30))
    survey.cohorts = [TracerSurveyCohort(programme_id=world.programme.id, cohort_year=2024)]
    db.session.add(survey)
    db.session.commit()
    return survey.id


def _survey_response(world):
    """world.alumnus's answer to a fresh tracer survey (the core only)."""
    from app.employment.models import SurveyInvitation, SurveyResponse, TracerSurvey
    from app.extensions import db

    survey = db.session.get(TracerSurvey, _tracer_survey(world))
    invitation = SurveyInvitation(survey_id=survey.id, institution_id=world.home.id,
                                  alumnus_id=world.alumnus.id, programme_id=world.programme.id,
                                  cohort_year=2024, email=world.alumnus.email)
    db.session.add(invitation)
    db.session.flush()
    response = SurveyResponse(institution_id=world.home.id, survey_id=survey.id,
                              invitation_id=invitation.id, alumnus_id=world.alumnus.id,
                              channel="link", status="unemployed_seeking",
                              extra_answers={"0": {"label": "Which campus?", "answer": "North"}})
    db.session.add(response)
    db.session.commit()
    return response.id


def _import_batch(world):
    from app.extensions import db
    from app.imports.models import ImportBatch

    batch = ImportBatch(institution_id=world.home.id, kind="alumni", file_name="alumni.csv",
                        checksum="0" * 64, status="previewed", headers=["Student number"],
                        mapping={"Student number": "student_number"}, rows_read=1,
                        created_by_id=world.users["officer"].id)
    db.session.add(batch)
    db.session.commit()
    return batch.id


def _duplicate_candidate(world):
    from sqlalchemy import select

    from app.extensions import db
    from app.imports.models import DuplicateCandidate

    pair = sorted((world.alumnus.id, world.second_alumnus.id))
    existing = db.session.scalar(select(DuplicateCandidate.id).where(
        DuplicateCandidate.first_id == pair[0], DuplicateCandidate.second_id == pair[1]))
    if existing:
        return existing
    candidate = DuplicateCandidate(institution_id=world.home.id, first_id=pair[0],
                                   second_id=pair[1], score=90, reasons=["same e-mail"])
    db.session.add(candidate)
    db.session.commit()
    return candidate.id


def _snapshot(world):
    """A kept evidence pack of the home institution with an HTML and a CSV file."""
    import hashlib
    import uuid

    from app.core.db import utcnow
    from app.extensions import db
    from app.packs.models import ReportSnapshot, SnapshotFile
    from app.packs.services import report_folder

    folder = f"{world.home.id}/{uuid.uuid4().hex}"
    (report_folder() / folder).mkdir(parents=True)
    snapshot = ReportSnapshot(
        institution_id=world.home.id, framework="apacc", framework_title="APACC",
        framework_sha256="0" * 64, parameters={}, programme_codes="DIT", first_year=2022,
        last_year=2024, reference_months=12, as_of=utcnow(), built_by_name="Quality",
        folder=folder)
    bodies = {"html": b"<!DOCTYPE html><html lang='en'><head><title>Pack</title>"
                      b"<style>p { color: #222; }</style></head><body><main><h1>Pack</h1>"
                      b"<p>Figures</p></main></body></html>",
              "csv": b"PK\x05\x06" + b"\x00" * 18}
    for fmt, body in bodies.items():
        name = f"pack.{'zip' if fmt == 'csv' else fmt}"
        (report_folder() / folder / name).write_bytes(body)
        snapshot.files.append(SnapshotFile(fmt=fmt, name=name, size=len(body),
                                           sha256=hashlib.sha256(body).hexdigest()))
    db.session.add(snapshot)
    db.session.commit()
    return snapshot.id


def _dashboard_panel(world):
    from app.core.db import utcnow
    from app.extensions import db
    from app.packs.models import DashboardPanel

    panel = DashboardPanel(institution_id=world.home.id, programme_id=None, label="Home",
                           computed_at=utcnow(), figures=[], charts={
                               "M1.gross": '<svg xmlns="http://www.w3.org/2000/svg" '
                                           'width="10" height="10"></svg>'})
    db.session.add(panel)
    db.session.commit()
    return panel.id


def _mailing(world):
    """A draft mailing of the home institution."""
    from app.extensions import db
    from app.mailings.models import Mailing

    mailing = Mailing(institution_id=world.home.id, purpose="contact", subject="News",
                      body="Hello **alumni**", segment={},
                      created_by_id=world.users["officer"].id)
    db.session.add(mailing)
    db.session.commit()
    return mailing.id


def _directory_listing(world):
    """The directory page of the home institution's second alumnus, listed."""
    from app.alumni.models import Consent
    from app.directory.models import DirectoryProfile
    from app.extensions import db

    alumnus = world.second_alumnus
    alumnus.directory_visible = True
    db.session.add(Consent(alumnus_id=alumnus.id, purpose="directory", granted=True,
                           method="self_service"))
    profile = DirectoryProfile(alumnus_id=alumnus.id, institution_id=alumnus.institution_id,
                               token="listing-of-second", name_text="second")
    db.session.add(profile)
    db.session.commit()
    return profile.token


def _breach(world):
    from app.breaches.models import Breach, BreachJurisdiction
    from app.core.db import utcnow
    from app.extensions import db

    breach = Breach(title="Laptop lost", what_happened="A laptop was left on a bus.",
                    discovered_at=utcnow(), data_affected="Names and e-mail addresses",
                    jurisdictions=[BreachJurisdiction(country="MY")])
    db.session.add(breach)
    db.session.commit()
    return breach.id


URL_PARAMS: dict[str, Param] = {
    # register and administration
    "alumnus_id": Param(lambda w: w.alumnus.id),
    "institution_id": Param(lambda w: w.home.id),
    "programme_id": Param(lambda w: w.programme.id),
    "user_id": Param(lambda w: w.users["quality"].id, owned=False),
    "request_id": Param(_correction),
    "job_id": Param(_job),
    "rights_request_id": Param(_rights_request),
    "purpose": Param(lambda w: "contact", owned=False),
    "export_id": Param(_register_workbook),
    # one-time links: an unknown token gets a clear page for everyone
    "token": Param(lambda w: "not-a-real-token", owned=False),
    # mentoring
    "student_id": Param(_student),
    "mentorship_id": Param(_mentorship),
    # curriculum feedback
    "feedback_id": Param(_feedback),
    # contributions and events
    "contribution_id": Param(_contribution),
    "event_id": Param(_event),
    # exchange
    "batch_id": Param(lambda w: _exchange_batch(w).id),
    "agreement_id": Param(_exchange_agreement),
    "participation_id": Param(_exchange_participation),
    # employment and tracer surveys
    "employer_id": Param(_employer),
    "employment_id": Param(_employment),
    "survey_id": Param(_tracer_survey),
    "response_id": Param(_survey_response),
    # registrar imports, duplicates, exports
    "import_id": Param(_import_batch),
    "candidate_id": Param(_duplicate_candidate),
    "fmt": Param(lambda w: "csv", owned=False),
    # evidence packs
    "snapshot_id": Param(_snapshot),
    "panel_id": Param(_dashboard_panel),
    "key": Param(lambda w: "M1.gross", owned=False),
    # alumni directory and breach log
    "listing": Param(_directory_listing),
    "breach_id": Param(_breach, owned=False),
    "mailing_id": Param(_mailing),
}
