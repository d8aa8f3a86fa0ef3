"""The record-level annexes: one row per record, one query each (selecting plain columns, so
30,000 rows are one round trip, not one per row). They go to the workbook and the CSV zip;
the HTML and PDF name them and link to their lists. No contact details are listed."""

from __future__ import annotations

from sqlalchemy import select

from app.alumni.models import Alumnus, Programme
from app.alumni.register import outside_cohorts as outside_cohorts_of
from app.contributions.models import Contribution
from app.core.i18n import N_
from app.employment import codes
from app.employment.models import (
    Employer,
    EmployerFeedback,
    EmployerRating,
    SurveyResponse,
    TracerSurvey,
)
from app.exchange.models import ExchangeBatch, ExchangeParticipation
from app.extensions import db
from app.feedback.models import CurriculumFeedback, FeedbackDecision
from app.packs.content import Annex, Figure, PackContent, coded, words
from app.reports.indicators.cohort import in_cohort, response_filter
from app.reports.indicators.employers import counted_feedback
from app.reports.indicators.result import Said


def _label(value, labels: dict[str, str]):
    """A stored code as its label (English in the CSV files; an unknown code as it is)."""
    return coded(value, labels, labels.get(value or "", value))


def _name(given, family) -> str:
    return " ".join(p for p in (given, family) if p)


def graduate_register(content: PackContent) -> Annex:
    """The cohorts' graduates (M1's N), without e-mail, phone or address."""
    a = Alumnus
    rows = db.session.execute(
        select(a.student_number, a.given_name, a.family_name, a.preferred_name, Programme.code,
               a.cohort_year, a.graduation_date, a.award_date, a.gender, a.status)
        .join(Programme, Programme.id == a.programme_id).where(in_cohort(content.selection))
        .order_by(a.cohort_year, Programme.code, a.family_name, a.given_name, a.id))
    return Annex("graduate_register", Said(N_("Graduate register of the cohorts")),
                 words(N_("Student number"), N_("Given name"), N_("Family name"),
                       N_("Preferred name"), N_("Programme"), N_("Cohort"),
                       N_("Graduation date"), N_("Award date"), N_("Gender"), N_("Status")),
                 [list(r) for r in rows],
                 Said(N_("the cohort of M1 (programme alumni of the years, not archived)")),
                 record_level=True, note=Said(N_("Without contact details.")))


def tracer_responses(content: PackContent) -> Annex:
    r, a = SurveyResponse, Alumnus
    query = (select(a.student_number, a.given_name, a.family_name, a.cohort_year,
                    TracerSurvey.title, r.submitted_at, r.status, r.months_to_first_job,
                    r.start_date, r.hours, r.contract, r.income_amount, r.income_currency,
                    r.relevance, r.education_level, r.workplace_level)
             .join(a, a.id == r.alumnus_id).join(TracerSurvey, TracerSurvey.id == r.survey_id)
             .where(response_filter(content.selection)).order_by(a.cohort_year, a.id))
    rows = []
    for (number, given, family, year, survey, at, status, months, start, hours, contract,
         amount, currency, relevance, level, workplace) in db.session.execute(query):
        rows.append([number, _name(given, family), year, survey, at,
                     _label(status, codes.EMPLOYMENT_STATUSES), months, start,
                     _label(hours, codes.HOURS),
                     _label(contract, codes.CONTRACTS),
                     Figure(float(amount), "money", currency) if amount is not None else None,
                     relevance, _label(level, codes.EDUCATION_LEVELS),
                     _label(workplace, codes.WORKPLACE_LEVELS)])
    return Annex("tracer_responses", Said(N_("Tracer responses counted")),
                 words(N_("Student number"), N_("Name"), N_("Cohort"), N_("Survey"),
                       N_("Answered"), N_("Status"), N_("Months to first job"), N_("Job began"),
                       N_("Hours"), N_("Contract"), N_("Monthly income"), N_("Relevance (1-5)"),
                       N_("Level the job needs"), N_("Workplace")), rows,
                 Said(N_("the respondents' counted answers (M1's R: the latest answer per "
                         "graduate to a survey covering the cohort at the reference point)")),
                 record_level=True)


def employer_answers(content: PackContent) -> Annex:
    f = EmployerFeedback
    answers = list(db.session.execute(
        select(f.id, Employer.name, Programme.code, f.year, f.submitted_at,
               f.respondent_position, f.comments)
        .join(Employer, Employer.id == f.employer_id)
        .join(Programme, Programme.id == f.programme_id)
        .where(counted_feedback(content.selection)).order_by(f.year, Employer.name)))
    ratings: dict[int, list[str]] = {}
    ids = [row[0] for row in answers]
    for start in range(0, len(ids), 5000):
        for feedback_id, competency, level in db.session.execute(
                select(EmployerRating.feedback_id, EmployerRating.competency,
                       EmployerRating.level)
                .where(EmployerRating.feedback_id.in_(ids[start:start + 5000]))
                .order_by(EmployerRating.id)):
            ratings.setdefault(feedback_id, []).append(
                f"{codes.COMPETENCIES.get(competency, competency)}: "
                f"{codes.SATISFACTION_LEVELS.get(level, level)}")
    rows = [[name, programme, year, at, position, "; ".join(ratings.get(i, [])), comments]
            for i, name, programme, year, at, position, comments in answers]
    return Annex("employer_answers", Said(N_("Employer answers")),
                 words(N_("Employer"), N_("Programme"), N_("Year asked about"), N_("Answered"),
                       N_("Respondent's position"), N_("Ratings"),
                       N_("Comments and follow-up asked for")), rows,
                 Said(N_("M11's counted answers (the latest per employer, programme and "
                         "year)")), record_level=True)


def curriculum_chain(content: PackContent) -> Annex:
    from sqlalchemy import extract

    sel = content.selection
    c = CurriculumFeedback
    items = list(db.session.execute(
        select(c.id, c.received_on, Programme.code, c.source, c.topic_kind, c.topic, c.relevance,
               c.skill_gap, c.suggestion, c.status)
        .join(Programme, Programme.id == c.programme_id)
        .where(c.institution_id == sel.institution_id, c.programme_id.in_(sel.programme_ids),
               extract("year", c.received_on).in_(sel.cohort_years))
        .order_by(c.received_on, c.id)))
    chain: dict[int, list[str]] = {}
    ids = [row[0] for row in items]
    for start in range(0, len(ids), 5000):
        for feedback_id, at, old, new, note in db.session.execute(
                select(FeedbackDecision.feedback_id, FeedbackDecision.decided_at,
                       FeedbackDecision.from_status, FeedbackDecision.to_status,
                       FeedbackDecision.note)
                .where(FeedbackDecision.feedback_id.in_(ids[start:start + 5000]))
                .order_by(FeedbackDecision.decided_at, FeedbackDecision.id)):
            chain.setdefault(feedback_id, []).append(
                f"{at:%Y-%m-%d} {old} → {new}: {note}")
    rows = [[received, programme, source, f"{kind}: {topic}", relevance, gap, suggestion,
             status, " | ".join(chain.get(i, []))]
            for i, received, programme, source, kind, topic, relevance, gap, suggestion,
            status in items]
    return Annex("curriculum_chain", Said(N_("Curriculum review chain")),
                 words(N_("Received"), N_("Programme"), N_("From"), N_("Topic"),
                       N_("Relevance"), N_("Skill gap"), N_("Suggestion (input)"), N_("Status"),
                       N_("Decisions and actions")), rows,
                 Said(N_("E2's records (curriculum feedback of the programmes in the years) "
                         "with each decision")), record_level=True)


def contributions_ledger(content: PackContent) -> Annex:
    sel = content.selection
    c = Contribution
    query = (select(c.receipt_number, c.received_on, c.donor_kind, c.organisation_name,
                    Alumnus.given_name, Alumnus.family_name, c.kind, c.category, c.purpose,
                    c.amount, c.currency, c.description, c.quantity, c.estimated_value,
                    c.value_currency, c.valuation_basis, c.hours)
             .outerjoin(Alumnus, Alumnus.id == c.alumnus_id)
             .where(c.institution_id == sel.institution_id, c.voided_at.is_(None),
                    c.receipt_year.in_(sel.cohort_years))
             .order_by(c.received_on, c.id))
    rows = []
    for (receipt, received, donor_kind, organisation, given, family, kind, category, purpose,
         amount, currency, description, quantity, value, value_currency, basis,
         hours) in db.session.execute(query):
        rows.append([receipt, received, donor_kind, organisation or _name(given, family),
                     kind, category, purpose,
                     Figure(float(amount), "money", currency) if amount is not None else None,
                     description, quantity,
                     Figure(float(value), "money", value_currency) if value is not None
                     else None, basis, float(hours) if hours is not None else None])
    return Annex("contributions_ledger", Said(N_("Contributions ledger")),
                 words(N_("Receipt"), N_("Received"), N_("Donor kind"), N_("Donor"), N_("Kind"),
                       N_("Category"), N_("Purpose"), N_("Amount"), N_("Items (in kind)"),
                       N_("Quantity"), N_("Declared value"), N_("Valuation basis"),
                       N_("Hours")), rows,
                 Said(N_("E4's records (contributions of the receipt years, void receipts "
                         "left out)")), record_level=True)


def exchange_participants(content: PackContent) -> Annex:
    sel = content.selection
    p = ExchangeParticipation
    query = (select(ExchangeBatch.name, ExchangeBatch.year, p.direction, p.student_number,
                    p.given_name, p.family_name, p.study_area, p.status, p.hours,
                    p.evaluation_submitted, p.credits_recognised, p.credits)
             .join(ExchangeBatch, ExchangeBatch.id == p.batch_id)
             .where(p.institution_id == sel.institution_id,
                    ExchangeBatch.year.in_(sel.cohort_years))
             .order_by(ExchangeBatch.year, ExchangeBatch.name, p.family_name, p.id))
    rows = [[batch, year, direction, number, _name(given, family), area, status,
             float(hours) if hours is not None else None, "yes" if evaluation else "no",
             {True: "yes", False: "no"}.get(recognised, "—"),
             float(credits) if credits is not None else None]
            for (batch, year, direction, number, given, family, area, status, hours,
                 evaluation, recognised, credits) in db.session.execute(query)]
    return Annex("exchange_participants", Said(N_("Exchange participants")),
                 words(N_("Batch"), N_("Year"), N_("Direction"), N_("Student number"),
                       N_("Name"), N_("Study area"), N_("Status"), N_("Hours"),
                       N_("Evaluation submitted"), N_("Credits recognised"), N_("Credits")),
                 rows, Said(N_("X1-X4's records (participations in the years' batches)")),
                 record_level=True)


def outside_cohorts(content: PackContent) -> Annex:
    a = Alumnus
    query = (select(a.student_number, a.given_name, a.family_name, Programme.code,
                    a.cohort_year, a.graduation_date)
             .outerjoin(Programme, Programme.id == a.programme_id)
             .where(outside_cohorts_of(content.selection.institution_id))
             .order_by(a.id))
    rows = [[number, _name(given, family), programme or "—", year, graduated]
            for number, given, family, programme, year, graduated in db.session.execute(query)]
    return Annex("outside_cohorts", Said(N_("Outside the cohorts")),
                 words(N_("Student number"), N_("Name"), N_("Programme"), N_("Cohort"),
                       N_("Graduation date")), rows,
                 Said(N_("the register: not archived, without a programme or a cohort year")),
                 record_level=True)


def record_annexes(content: PackContent) -> list[Annex]:
    return [tracer_responses(content), employer_answers(content), curriculum_chain(content),
            contributions_ledger(content), exchange_participants(content),
            outside_cohorts(content)]
