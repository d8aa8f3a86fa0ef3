"""The pack's summary annexes, one function each, every cell from an indicator function of
app.reports (per cohort year, already counted in `PackContent.per_year`) or one query named
in the annex's `source`. Record-level annexes are in registers.py."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.contributions.models import LINKAGE_CATEGORIES, Contribution
from app.core.urls import external_url
from app.employment import codes
from app.extensions import db
from app.feedback.models import STATUSES, CurriculumFeedback, FeedbackDecision
from app.feedback.services import step
from app.packs.content import Annex, Figure, Link, PackContent
from app.reports.indicators import compute, status_counts
from app.reports.indicators.cohort import in_cohort


def _row(content: PackContent, year: int, keys: list[str], part: str = "value") -> list:
    return [year, *(content.figure(content.get(year, k), part=part, years=[year])
                    for k in keys)]


def tracer_response(content: PackContent) -> Annex:
    rows = []
    for y in content.years:
        gross, net = content.get(y, "M1.gross"), content.get(y, "M1.net")
        undeliverable = None
        if gross and net and gross.denominator is not None and net.denominator is not None:
            undeliverable = Figure(gross.denominator - net.denominator, "count")
        rows.append([y, content.figure(gross, part="denominator", years=[y]),
                     content.figure(gross, part="numerator", years=[y]),
                     content.figure(gross, years=[y]), undeliverable,
                     content.figure(net, years=[y])])
    return Annex("tracer_response", "Tracer response",
                 ["Cohort", "Graduates (N)", "Responded (R)", "Response rate (gross)",
                  "Undeliverable, no response", "Response rate (net)"], rows, "M1 gross, net")


def outcomes(content: PackContent) -> Annex:
    statuses = list(codes.EMPLOYMENT_STATUSES)
    rows = []
    for y in content.years:
        counts = status_counts(content.year_selection(y))
        rows.append([y, Figure(sum(counts.values()), "count"),
                     *(Figure(counts.get(s, 0), "count") for s in statuses),
                     content.figure(content.get(y, "M2.labour_force"), years=[y]),
                     content.figure(content.get(y, "M3.positive"), years=[y])])
    return Annex("outcomes", "Outcomes of the respondents",
                 ["Cohort", "Respondents", *codes.EMPLOYMENT_STATUSES.values(),
                  "Employment rate (labour force)", "Positive outcome"], rows,
                 "status_counts (the respondents' counted answers); M2 labour force; "
                 "M3 positive")


def waiting_time(content: PackContent) -> Annex:
    keys = ["M5.band_lt3", "M5.band_3_6", "M5.band_gt6", "M5.mean", "M5.median",
            "M4.within_6_of_respondents", "M4.within_12_of_respondents"]
    rows = []
    for y in content.years:
        band = content.get(y, "M5.band_lt3")
        rows.append([y, content.figure(band, part="denominator", years=[y]),
                     *_row(content, y, keys)[1:]])
    return Annex("waiting_time", "Waiting time for the first job",
                 ["Cohort", "Employed who gave the months", "Under 3 months", "3 to 6 months",
                  "Over 6 months", "Mean (months)", "Median (months)",
                  "Employed within 6 months (of respondents)",
                  "Employed within 12 months (of respondents)"], rows, "M5 bands, mean, "
                 "median; M4 within 6 and 12 months of respondents")


def job_match(content: PackContent) -> Annex:
    keys = ["M6.high", *(f"M7.{k}" for k in codes.EDUCATION_LEVELS),
            *(f"M9.{k}" for k in codes.WORKPLACE_LEVELS)]
    header = ["Cohort", "Job related to the training (4-5 of 5)",
              *(f"Job needs: {v.lower()}" for v in codes.EDUCATION_LEVELS.values()),
              *(f"Workplace: {v.lower()}" for v in codes.WORKPLACE_LEVELS.values())]
    return Annex("job_match", "Job match and workplace level", header,
                 [_row(content, y, keys) for y in content.years], "M6 high; M7; M9")


def income(content: PackContent) -> Annex:
    rows = []
    for y in content.years:
        found = content.per_year[y]
        currencies = sorted({r.currency for r in found.values()
                             if r.code == "M8" and r.currency})
        share = content.figure(found.get("M8.share_above_min_wage"), years=[y])
        for currency in currencies:
            median = found.get(f"M8.median_all.{currency}")
            full = found.get(f"M8.median_full_time.{currency}")
            rows.append([y, currency, content.figure(median, part="denominator", years=[y]),
                         content.figure(median, years=[y]), content.figure(full, years=[y]),
                         share])
    return Annex("income", "Monthly income", ["Cohort", "Currency", "Employed who gave it",
                                              "Median (all employed)",
                                              "Median (full-time wage employed)",
                                              "At or above the minimum wage (all currencies)"],
                 rows, "M8 median_all and median_full_time per currency; M8 "
                 "share_above_min_wage", note="Incomes in different currencies are never "
                 "converted or added.")


def employer_satisfaction(content: PackContent) -> Annex:
    """Per competency, over all the cohort years together (employers are few per year)."""
    rows = []
    sel = content.selection
    for competency, name in codes.COMPETENCIES.items():
        cells: list = [name]
        whole = None
        for level in codes.SATISFACTION_LEVELS:
            result = compute("M11", sel, f"{competency}.{level}")
            whole = result.denominator
            cells.append(content.figure(result))
        rows.append([*cells, Figure(whole, "count")])
    employers = compute("M11", sel, "employers")
    rows.append(["Employers answering", None, None, None, None, content.figure(employers)])
    return Annex("employer_satisfaction", "Employer satisfaction per competency",
                 ["Competency", *codes.SATISFACTION_LEVELS.values(), "Answers"], rows,
                 f"M11 per competency and level, cohort years {content.years_label} together",
                 note="The follow-up actions the institution took on what employers said are "
                 "the next annex; the employers' comments are in the workbook (sheet "
                 "Employer answers).")


def employer_follow_up(content: PackContent) -> Annex:
    """What the institution did about the employers' answers of the cohort years: employer-
    survey input of the programmes with its decision and action, each row linked to its
    record."""
    sel = content.selection
    f = CurriculumFeedback
    items = list(db.session.scalars(
        select(f).where(f.institution_id == sel.institution_id,
                        f.programme_id.in_(sel.programme_ids), f.source == "employer_survey",
                        f.survey_year.in_(sel.cohort_years))
        .options(selectinload(f.programme),
                 selectinload(f.decisions).selectinload(FeedbackDecision.meeting))
        .order_by(f.survey_year, f.programme_id, f.received_on, f.id)))
    rows = []
    for fb in items:
        decision = step(fb, "accepted", "declined")
        action = step(fb, "implemented")
        rows.append([
            fb.survey_year, fb.programme.code, fb.topic, fb.skill_gap,
            STATUSES.get(fb.status, fb.status),
            (f"{STATUSES.get(decision.to_status)}"
             f"{' at ' + decision.meeting.label if decision.meeting else ''}: {decision.note}"
             if decision else "not decided yet"),
            action.note if action else "none recorded yet",
            action.decided_at.date() if action else None,
            Link(f"Feedback {fb.id}", external_url("feedback.detail", base_url=content.base_url,
                                                   feedback_id=fb.id))])
    return Annex("employer_follow_up", "Employer follow-up actions",
                 ["Survey year", "Programme", "Competency", "What employers said", "Status",
                  "Decision", "Action taken", "Action recorded on", "Record"], rows,
                 f"curriculum feedback from employer surveys of the years "
                 f"{content.years_label} (source employer survey), with its review steps",
                 note="" if rows else "No follow-up of these years' employer surveys is "
                 "recorded (Curriculum feedback, Employer follow-up).")



def alumni_activity(content: PackContent) -> Annex:
    rows = []
    for y in content.years:
        e1 = content.get(y, "E1.rate")
        rows.append([y, content.figure(e1, part="numerator", years=[y]),
                     content.figure(e1, part="denominator", years=[y]),
                     content.figure(e1, years=[y])])
    return Annex("alumni_activity", "Alumni activity (engagement)",
                 ["Year", "Engaged in the 12 months to 31 December", "Contactable",
                  "Engagement rate"], rows, "E1 rate with the as-of date at the year's end "
                 "(or the pack's as-of time for the current year)")


def curriculum_review(content: PackContent) -> Annex:
    keys = [f"E2.{v}" for v in ("programmes_with_input", "inputs", "decided", "implemented")]
    return Annex("curriculum_review", "Curriculum review: input, decision, action",
                 ["Year", "Programmes with alumni or employer input", "Inputs", "Decided",
                  "Implemented"], [_row(content, y, keys) for y in content.years],
                 "E2 per year", note="Each input with its decisions is in the workbook "
                 "(sheet Curriculum review chain).")


def mentoring(content: PackContent) -> Annex:
    keys = [f"E3.{v}" for v in ("active_mentors", "mentees", "hours", "students_mentored")]
    return Annex("mentoring", "Mentoring of students by alumni",
                 ["Year", "Active mentors (now)", "Mentees (now)", "Hours in the year",
                  "Students mentored"], [_row(content, y, keys) for y in content.years],
                 "E3 per year")


def contributions(content: PackContent) -> Annex:
    """Money per currency and category, in-kind items with their declared value."""
    c = Contribution
    sel = content.selection
    rows = []
    query = (select(c.receipt_year, c.kind, c.category,
                    func.coalesce(c.currency, c.value_currency), func.count(c.id),
                    func.sum(c.amount), func.sum(c.estimated_value))
             .where(c.institution_id == sel.institution_id, c.voided_at.is_(None),
                    c.receipt_year.in_(sel.cohort_years))
             .group_by(c.receipt_year, c.kind, c.category,
                       func.coalesce(c.currency, c.value_currency))
             .order_by(c.receipt_year, c.kind, c.category))
    for year, kind, category, currency, n, amount, value in db.session.execute(query):
        money = kind == "monetary"
        rows.append([year, kind.replace("_", " "), category.replace("_", " "), currency or "—",
                     Figure(n, "count"),
                     Figure(float(amount or 0), "money", currency) if money else None,
                     None if money else Figure(float(value) if value is not None else None,
                                               "money", currency)])
    for y in content.years:
        donors = content.get(y, "E4.donors")
        rows.append([y, "donors", "all", "—", content.figure(donors, years=[y]), None, None])
    return Annex("contributions", "Contributions received",
                 ["Year", "Kind", "Category", "Currency", "Contributions", "Money received",
                  "Declared value (in kind)"], rows,
                 "one query over contributions (not void) grouped by receipt year, kind, "
                 "category and currency; E4 donors", note="Each receipt, with the valuation "
                 "basis of in-kind gifts, is in the workbook (sheet Contributions ledger).")


def linkages(content: PackContent) -> Annex:
    keys = [f"E5.{v}" for v in ("total", *LINKAGE_CATEGORIES)]
    return Annex("linkages", "Linkages enabled by alumni",
                 ["Year", "All", *(v.replace("_", " ").capitalize() for v in
                                   LINKAGE_CATEGORIES)],
                 [_row(content, y, keys) for y in content.years], "E5 per year")


NAMED_ROWS = 200  # names listed in the document; the workbook has every record


def linkage_alumni(content: PackContent) -> Annex:
    """Who enabled each linkage (E5's records), the first NAMED_ROWS."""
    result = compute("E5", content.selection, "total")
    rows = [[c.received_on, c.category.replace("_", " "),
             c.alumnus.full_name if c.alumnus else "—", c.organisation_name or "—",
             c.receipt_number]
            for c in db.session.scalars(result.counted.query.limit(NAMED_ROWS))]
    return Annex("linkage_alumni", "Alumni who enabled the linkages",
                 ["Received", "Linkage", "Alumnus", "Organisation", "Receipt"], rows,
                 f"E5 total's records, years {content.years_label}",
                 note=_more(result.value, "the Contributions ledger"))


def _more(total: float | None, sheet: str) -> str:
    if total is not None and total > NAMED_ROWS:
        return (f"The first {NAMED_ROWS} of {total:,.0f} are listed here; every one is in the "
                f"workbook ({sheet}).")
    return ""


def exchange(content: PackContent) -> Annex:
    keys = ["X1.total", "X1.outgoing", "X1.incoming", "X2.rate", "X3.rate", "X4.rate"]
    return Annex("exchange", "Exchange alumni",
                 ["Batch year", "Participants", "Outgoing", "Incoming", "Completion rate",
                  "Evaluation submitted", "Credits recognised"],
                 [_row(content, y, keys) for y in content.years], "X1-X4 per batch year")


def exchange_alumni(content: PackContent) -> Annex:
    """The exchange participants by name (X1's records), the first NAMED_ROWS."""
    result = compute("X1", content.selection, "total")
    rows = [[" ".join(x for x in (p.given_name, p.family_name) if x), p.student_number,
             p.direction, p.study_area.replace("_", " "), p.status.replace("_", " ")]
            for p in db.session.scalars(result.counted.query.limit(NAMED_ROWS))]
    return Annex("exchange_alumni", "Exchange participants by name",
                 ["Name", "Student number", "Direction", "Study area", "Status"], rows,
                 f"X1 total's records, batch years {content.years_label}",
                 note=_more(result.value, "Exchange participants"))


def data_quality(content: PackContent) -> Annex:
    from app.alumni.models import Alumnus

    sel = content.selection
    inst = Alumnus.institution_id == sel.institution_id
    live = Alumnus.archived_at.is_(None)
    no_programme, no_year, no_date = db.session.execute(select(
        func.count(Alumnus.id).filter(Alumnus.programme_id.is_(None)),
        func.count(Alumnus.id).filter(Alumnus.cohort_year.is_(None)),
        func.count(Alumnus.id).filter(Alumnus.graduation_date.is_(None),
                                      in_cohort(replace(sel))))
        .where(inst, live)).one()
    outside = db.session.scalar(select(func.count(Alumnus.id)).where(
        inst, live, (Alumnus.programme_id.is_(None)) | (Alumnus.cohort_year.is_(None)))) or 0
    rows = [["Graduates outside every cohort (no programme or no cohort year)",
             Figure(outside, "count")],
            ["Without a programme", Figure(no_programme, "count")],
            ["Without a cohort (graduation) year", Figure(no_year, "count")],
            ["In the cohorts, without a graduation date", Figure(no_date, "count")]]
    for y in content.years:
        gross, net = content.get(y, "M1.gross"), content.get(y, "M1.net")
        if gross and net and gross.denominator is not None and net.denominator is not None:
            rows.append([f"Undeliverable survey addresses, cohort {y}",
                         Figure(gross.denominator - net.denominator, "count")])
    return Annex("data_quality", "Data quality", ["Check", "Graduates"], rows,
                 "one count query over the register; M1 gross - net for the undeliverable",
                 note="The graduates without a programme or a cohort year are listed in the "
                 "workbook (sheet Outside the cohorts).")


def consent_coverage(content: PackContent) -> Annex:
    from app.engagement.services import contactable_alumni

    rows = []
    for y in content.years:
        gross = content.get(y, "M1.gross")
        n = int(gross.denominator or 0) if gross else 0
        sel = content.year_selection(y)
        contactable = db.session.scalar(select(func.count()).select_from(
            contactable_alumni(sel.institution_id).where(in_cohort(sel)).subquery())) or 0
        rows.append([y, Figure(n, "count"), Figure(contactable, "count"),
                     Figure(contactable / n if n else None, "ratio")])
    return Annex("consent_coverage", "Consent coverage: who of the cohort may be contacted",
                 ["Cohort", "Graduates", "Contactable", "Share contactable"], rows,
                 "contactable_alumni of app.engagement (active, an e-mail or phone, contact "
                 "consent not withdrawn) within the cohort",
                 note="The same rule decides who is invited to surveys and counted by E1.")


SUMMARY_ANNEXES = (tracer_response, outcomes, waiting_time, job_match, income,
                   employer_satisfaction, employer_follow_up, alumni_activity, curriculum_review,
                   mentoring,
                   contributions, linkages, linkage_alumni, exchange, exchange_alumni,
                   data_quality, consent_coverage)


def build_annexes(content: PackContent) -> list[Annex]:
    """Every annex: the graduate register first, then the summaries, then the record lists;
    numbered in that order after the framework's own tables."""
    from app.packs import registers

    found = [registers.graduate_register(content)]
    found += [make(content) for make in SUMMARY_ANNEXES]
    found += registers.record_annexes(content)
    for i, annex in enumerate(found, start=1):
        annex.number = f"A{i}"
    return found
