"""Engagement indicators E1-E5. For these the years are calendar years of the activity
(E1: the 12 months up to the as-of date, as the engagement page counts them)."""

from __future__ import annotations

from sqlalchemy import and_, distinct, extract, func, select

from app.alumni.models import Alumnus, Programme
from app.contributions.models import LINKAGE_CATEGORIES, Contribution
from app.core.i18n import N_
from app.engagement.services import contactable_alumni, engagement_sources
from app.extensions import db
from app.feedback.models import CurriculumFeedback
from app.mentoring.models import MentoringSession, MentorProfile, Mentorship, Student
from app.mentoring.services import MENTORED_STATES
from app.reports.indicators.cohort import in_cohort
from app.reports.indicators.engaged import (
    engaged_condition,
    engagement_counts,
    engagement_detail,
    window,
)
from app.reports.indicators.registry import ENGAGEMENT, indicator
from app.reports.indicators.result import (
    COUNT,
    MONEY,
    RATIO,
    Indicator,
    RecordList,
    Said,
    Selection,
    Word,
    ratio,
)
from app.reports.indicators.shared import cohorts_of, once

# --- E1 engagement rate --------------------------------------------------------------------


@indicator("E1", "Engagement rate", ("rate",), ENGAGEMENT)
def engagement_rate(sel: Selection, variant: str) -> Indicator:
    """E1: the cohort's contactable alumni engaged in the last 12 months / contactable (the
    rule of engaged.py, counted in the database)."""
    since, until = window(sel.params.as_of)
    part, whole = engagement_counts(sel.institution_id, since, until, in_cohort(sel))
    contactable = contactable_alumni(sel.institution_id, one_by_one=True).where(in_cohort(sel))
    condition = engaged_condition(sel.institution_id, since, until)
    if condition is None:  # a source without SQL: list the alumni the lists found
        detail = engagement_detail(sel.institution_id, as_of=until, alumni=in_cohort(sel))
        condition = Alumnus.id.in_([row.alumnus.id for row in detail.engaged])
    counted = contactable.where(condition).order_by(Alumnus.id)
    kinds = tuple(Word(s.label, lower=True) for s in engagement_sources())
    return Indicator("E1", variant, N_("Engagement rate"),
                     Said(N_("Contactable alumni of the cohort with any engagement (%(kinds)s) "
                             "from %(since)s to %(until)s / contactable alumni of the cohort "
                             "(active, not archived, an e-mail or phone, or one held when the "
                             "record was erased; contact consent not withdrawn)."),
                          kinds=kinds, since=since, until=until), RATIO,
                     ratio(part, whole), part, whole,
                     counted=RecordList("alumnus", counted),
                     base=RecordList("alumnus", contactable.order_by(Alumnus.id)), as_of=until)


# --- E2 curriculum-review involvement ------------------------------------------------------


def _feedback(sel: Selection):
    return and_(CurriculumFeedback.institution_id == sel.institution_id,
                CurriculumFeedback.programme_id.in_(sel.programme_ids),
                extract("year", CurriculumFeedback.received_on).in_(sel.cohort_years))


E2_VARIANTS = ("programmes_with_input", "inputs", "decided", "implemented")
E2_WORDS = {
    "inputs": (N_("Inputs recorded"),
               N_("Inputs recorded for the programmes in the years (input -> decision -> "
                  "action).")),
    "decided": (N_("Inputs decided (accepted or declined)"),
                N_("Inputs decided (accepted or declined) for the programmes in the years "
                   "(input -> decision -> action).")),
    "implemented": (N_("Inputs implemented"),
                    N_("Inputs implemented for the programmes in the years (input -> "
                       "decision -> action).")),
}


@indicator("E2", "Curriculum-review involvement", E2_VARIANTS, ENGAGEMENT)
def curriculum_involvement(sel: Selection, variant: str) -> Indicator:
    """E2: programmes whose review recorded alumni or employer input, and the chain."""
    f = CurriculumFeedback
    records = select(f).where(_feedback(sel)).order_by(f.received_on, f.id)
    if variant == "programmes_with_input":
        part = db.session.scalar(select(func.count(distinct(f.programme_id)))
                                 .where(_feedback(sel))) or 0
        whole = len(sel.programme_ids)
        programmes = select(Programme).where(Programme.id.in_(sel.programme_ids))
        return Indicator("E2", variant, N_("Programmes with alumni or employer input"),
                         N_("Programmes whose curriculum review recorded input from alumni, "
                            "the advisory committee or employer surveys in the years / "
                            "programmes."),
                         RATIO, ratio(part, whole), part, whole,
                         counted=RecordList("curriculum_feedback", records),
                         base=RecordList("programme", programmes))
    conditions = {"inputs": None, "decided": f.status.in_(("accepted", "declined",
                                                           "implemented")),
                  "implemented": f.status == "implemented"}[variant]
    title, words = E2_WORDS[variant]
    chosen = records if conditions is None else records.where(conditions)
    n = db.session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
    total = db.session.scalar(select(func.count()).select_from(records.subquery())) or 0
    return Indicator("E2", variant, title, words, COUNT, n, n, total,
                     counted=RecordList("curriculum_feedback", chosen),
                     base=RecordList("curriculum_feedback", records))


# --- E3 mentoring --------------------------------------------------------------------------

E3_VARIANTS = ("active_mentors", "mentees", "hours", "students_mentored")


@indicator("E3", "Mentoring", E3_VARIANTS, ENGAGEMENT)
def mentoring(sel: Selection, variant: str) -> Indicator:
    """E3: active mentors, mentees, hours and the share of students mentored, for the
    programmes' students."""
    of_programmes = and_(Student.institution_id == sel.institution_id,
                         Student.programme_id.in_(sel.programme_ids))
    pairs = (select(Mentorship).join(Student, Student.id == Mentorship.student_id)
             .where(of_programmes))
    if variant == "active_mentors":
        active = pairs.where(Mentorship.status == "active")
        n = db.session.scalar(select(func.count(distinct(Mentorship.mentor_id)))
                              .join(Student, Student.id == Mentorship.student_id)
                              .where(of_programmes, Mentorship.status == "active")) or 0
        mentors = select(MentorProfile).where(MentorProfile.id.in_(
            active.with_only_columns(Mentorship.mentor_id)))
        return Indicator("E3", variant, N_("Active mentors"),
                         N_("Alumni mentoring a student of the programmes now (an active "
                            "mentorship)."), COUNT, n, n, None,
                         counted=RecordList("mentor", mentors),
                         base=RecordList("mentorship", active.order_by(Mentorship.id)))
    if variant == "mentees":
        active = pairs.where(Mentorship.status == "active")
        n = db.session.scalar(select(func.count(distinct(Mentorship.student_id)))
                              .join(Student, Student.id == Mentorship.student_id)
                              .where(of_programmes, Mentorship.status == "active")) or 0
        return Indicator("E3", variant, N_("Mentees"),
                         N_("Students of the programmes with an active mentorship now."),
                         COUNT, n, n, None,
                         counted=RecordList("mentorship", active.order_by(Mentorship.id)))
    if variant == "hours":
        in_years = extract("year", MentoringSession.held_on).in_(sel.cohort_years)
        minutes = db.session.scalar(
            select(func.sum(MentoringSession.minutes))
            .join(Mentorship, Mentorship.id == MentoringSession.mentorship_id)
            .join(Student, Student.id == Mentorship.student_id)
            .where(of_programmes, in_years)) or 0
        sessions = (select(MentoringSession)
                    .join(Mentorship, Mentorship.id == MentoringSession.mentorship_id)
                    .join(Student, Student.id == Mentorship.student_id)
                    .where(of_programmes, in_years).order_by(MentoringSession.held_on))
        return Indicator("E3", variant, N_("Mentoring hours"),
                         N_("Hours of mentoring sessions held in the years with students of the "
                            "programmes."), COUNT, round(minutes / 60, 1), round(minutes / 60, 1),
                         None, counted=RecordList("session", sessions))
    students = select(Student).where(of_programmes).order_by(Student.id)
    whole = db.session.scalar(select(func.count(Student.id)).where(of_programmes)) or 0
    mentored_ids = (select(Mentorship.student_id)
                    .where(Mentorship.status.in_(MENTORED_STATES)))
    part = db.session.scalar(select(func.count(Student.id)).where(
        of_programmes, Student.id.in_(mentored_ids))) or 0
    return Indicator("E3", variant, N_("Students mentored"),
                     N_("Students of the programmes with an accepted, active or completed "
                        "mentorship / students of the programmes."), RATIO, ratio(part, whole),
                     part, whole,
                     counted=RecordList("student", students.where(Student.id.in_(mentored_ids))),
                     base=RecordList("student", students))


# --- E4 contributions, E5 linkages ---------------------------------------------------------


def _contributions(sel: Selection):
    return and_(Contribution.institution_id == sel.institution_id,
                Contribution.voided_at.is_(None),
                Contribution.receipt_year.in_(sel.cohort_years))


E4_VARIANTS = ("money", "in_kind", "donors")


@indicator("E4", "Contributions", E4_VARIANTS, ENGAGEMENT)
def contributions(sel: Selection, variant: str) -> Indicator:
    """E4: money received per currency, in-kind items, donors (institution-wide, by receipt
    year; void receipts left out)."""
    c = Contribution
    records = select(c).where(_contributions(sel)).order_by(c.received_on, c.id)
    if variant == "money":
        from app.reports.indicators.income import home_currency

        currency = sel.params.currency or home_currency(sel.institution_id)
        chosen = records.where(c.kind == "monetary", c.currency == currency)
        total, n = db.session.execute(select(func.sum(c.amount), func.count(c.id)).where(
            _contributions(sel), c.kind == "monetary", c.currency == currency)).one()
        return Indicator("E4", variant,
                         Said(N_("Money received (%(currency)s)"), currency=currency),
                         Said(N_("Monetary contributions received in %(currency)s in the years "
                                 "(other currencies apart, never converted)."),
                              currency=currency), MONEY,
                         float(total or 0), float(total or 0), n, currency=currency,
                         counted=RecordList("contribution", chosen))
    if variant == "in_kind":
        chosen = records.where(c.kind != "monetary")
        n = db.session.scalar(select(func.count(c.id)).where(
            _contributions(sel), c.kind != "monetary")) or 0
        return Indicator("E4", variant, N_("In-kind contributions"),
                         N_("Contributions in kind (goods, time, links) received in the years."),
                         COUNT, n, n, None, counted=RecordList("contribution", chosen))
    alumni, organisations = db.session.execute(select(
        func.count(distinct(c.alumnus_id)).filter(c.donor_kind == "alumnus"),
        func.count(distinct(c.organisation_key)).filter(c.donor_kind != "alumnus"))
        .where(_contributions(sel))).one()
    n = (alumni or 0) + (organisations or 0)
    return Indicator("E4", variant, N_("Donors"),
                     N_("Alumni and organisations who gave in the years, each counted once."),
                     COUNT, n, n, None, counted=RecordList("contribution", records))


E5_VARIANTS = ("total", *LINKAGE_CATEGORIES)
E5_WORDS = {
    "total": (N_("Linkages enabled by alumni"),
              N_("Internships, job postings, MOUs, hires and guest lectures credited to an "
                 "alumnus of the programmes, received in the years.")),
    "internship": (N_("Internships enabled by alumni"),
                   N_("Internships credited to an alumnus of the programmes, received in the "
                      "years.")),
    "job_posting": (N_("Job postings enabled by alumni"),
                    N_("Job postings credited to an alumnus of the programmes, received in the "
                       "years.")),
    "mou": (N_("MOUs enabled by alumni"),
            N_("MOUs credited to an alumnus of the programmes, received in the years.")),
    "hire": (N_("Hires enabled by alumni"),
             N_("Hires credited to an alumnus of the programmes, received in the years.")),
    "guest_lecture": (N_("Guest lectures enabled by alumni"),
                      N_("Guest lectures credited to an alumnus of the programmes, received in "
                         "the years.")),
}


def _of_programme_alumni(sel: Selection):
    """SQL condition on Contribution: credited to an alumnus of the programmes, each of the
    years' contributions looking its alumnus up by key (a set of every alumnus of the
    programmes took 100-470 ms a statement at 100,000 alumni; this takes 2 ms)."""
    return select(Alumnus.id).where(
        Alumnus.id == Contribution.alumnus_id, Alumnus.institution_id == sel.institution_id,
        Alumnus.programme_id.in_(sel.programme_ids)).exists()


def linkage_counts(sel: Selection) -> dict[str, int]:
    """E5's linkages of the selection per category: one grouped count (once per selection
    inside `shared_queries`)."""
    c = Contribution

    def run() -> dict[str, int]:
        return dict(db.session.execute(
            select(c.category, func.count(c.id))
            .where(_contributions(sel), _of_programme_alumni(sel),
                   c.category.in_(LINKAGE_CATEGORIES)).group_by(c.category)).all())
    return once(("linkage_counts", cohorts_of(sel)), run)


@indicator("E5", "Alumni-enabled linkages", E5_VARIANTS, ENGAGEMENT)
def linkages(sel: Selection, variant: str) -> Indicator:
    """E5: internships, job postings, MOUs, hires and guest lectures an alumnus of the
    programmes enabled, by receipt year."""
    c = Contribution
    categories = LINKAGE_CATEGORIES if variant == "total" else (variant,)
    counts = linkage_counts(sel)
    n = sum(counts.get(category, 0) for category in categories)
    where = and_(_contributions(sel), _of_programme_alumni(sel), c.category.in_(categories))
    return Indicator("E5", variant, *E5_WORDS[variant], COUNT, n, n, None,
                     counted=RecordList("contribution", select(c).where(where)
                                        .order_by(c.received_on, c.id)))


def money_currencies(sel: Selection) -> list[str]:
    """The currencies money was received in over the years (most used first)."""
    rows = db.session.execute(
        select(Contribution.currency, func.count(Contribution.id))
        .where(_contributions(sel), Contribution.kind == "monetary",
               Contribution.currency.is_not(None)).group_by(Contribution.currency))
    return [c for c, _ in sorted(rows, key=lambda r: (-r[1], r[0]))]
