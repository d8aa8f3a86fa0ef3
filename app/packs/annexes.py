"""The pack's summary annexes, one function each, every cell from an indicator function of
app.reports (per cohort year, already counted in `PackContent.per_year`) or one query named
in the annex's `source`. Record-level annexes are in registers.py."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.contributions.models import CATEGORIES, KINDS, LINKAGE_CATEGORIES, Contribution
from app.core.i18n import N_
from app.core.urls import external_url
from app.employment import codes
from app.exchange.models import DIRECTIONS, PARTICIPATION_STATUSES
from app.extensions import db
from app.feedback.models import STATUSES, CurriculumFeedback, FeedbackDecision
from app.feedback.services import step
from app.packs.content import Annex, Figure, Link, PackContent, coded, words
from app.reports.indicators import compute, status_counts
from app.reports.indicators.cohort import in_cohort
from app.reports.indicators.result import Said, Word


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
    return Annex("tracer_response", Said(N_("Tracer response")),
                 words(N_("Cohort"), N_("Graduates (N)"), N_("Responded (R)"),
                       N_("Response rate (gross)"), N_("Undeliverable, no response"),
                       N_("Response rate (net)")), rows, "M1 gross, net")


def outcomes(content: PackContent) -> Annex:
    statuses = list(codes.EMPLOYMENT_STATUSES)
    rows = []
    for y in content.years:
        counts = status_counts(content.year_selection(y))
        rows.append([y, Figure(sum(counts.values()), "count"),
                     *(Figure(counts.get(s, 0), "count") for s in statuses),
                     content.figure(content.get(y, "M2.labour_force"), years=[y]),
                     content.figure(content.get(y, "M3.positive"), years=[y])])
    return Annex("outcomes", Said(N_("Outcomes of the respondents")),
                 [*words(N_("Cohort"), N_("Respondents")),
                  *words(*codes.EMPLOYMENT_STATUSES.values()),
                  *words(N_("Employment rate (labour force)"), N_("Positive outcome"))], rows,
                 Said(N_("status_counts (the respondents' counted answers); M2 labour force; "
                         "M3 positive")))


def waiting_time(content: PackContent) -> Annex:
    keys = ["M5.band_lt3", "M5.band_3_6", "M5.band_gt6", "M5.mean", "M5.median",
            "M4.within_6_of_respondents", "M4.within_12_of_respondents"]
    rows = []
    for y in content.years:
        band = content.get(y, "M5.band_lt3")
        rows.append([y, content.figure(band, part="denominator", years=[y]),
                     *_row(content, y, keys)[1:]])
    return Annex("waiting_time", Said(N_("Waiting time for the first job")),
                 words(N_("Cohort"), N_("Employed who gave the months"), N_("Under 3 months"),
                       N_("3 to 6 months"), N_("Over 6 months"), N_("Mean (months)"),
                       N_("Median (months)"), N_("Employed within 6 months (of respondents)"),
                       N_("Employed within 12 months (of respondents)")), rows,
                 Said(N_("M5 bands, mean, median; M4 within 6 and 12 months of respondents")))


def job_match(content: PackContent) -> Annex:
    keys = ["M6.high", *(f"M7.{k}" for k in codes.EDUCATION_LEVELS),
            *(f"M9.{k}" for k in codes.WORKPLACE_LEVELS)]
    header = [*words(N_("Cohort"), N_("Job related to the training (4-5 of 5)")),
              *(Said(N_("Job needs: %(level)s"), level=Word(v, lower=True))
                for v in codes.EDUCATION_LEVELS.values()),
              *(Said(N_("Workplace: %(level)s"), level=Word(v, lower=True))
                for v in codes.WORKPLACE_LEVELS.values())]
    return Annex("job_match", Said(N_("Job match and workplace level")), header,
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
    return Annex("income", Said(N_("Monthly income")),
                 words(N_("Cohort"), N_("Currency"), N_("Employed who gave it"),
                       N_("Median (all employed)"), N_("Median (full-time wage employed)"),
                       N_("At or above the minimum wage (all currencies)")),
                 rows, Said(N_("M8 median_all and median_full_time per currency; M8 "
                               "share_above_min_wage")),
                 note=Said(N_("Incomes in different currencies are never converted or "
                              "added.")))


def employer_satisfaction(content: PackContent) -> Annex:
    """Per competency, over all the cohort years together (employers are few per year)."""
    rows = []
    sel = content.selection
    for competency, name in codes.COMPETENCIES.items():
        cells: list = [Said(name)]  # the label is the message
        whole = None
        for level in codes.SATISFACTION_LEVELS:
            result = compute("M11", sel, f"{competency}.{level}")
            whole = result.denominator
            cells.append(content.figure(result))
        rows.append([*cells, Figure(whole, "count")])
    employers = compute("M11", sel, "employers")
    rows.append([Said(N_("Employers answering")), None, None, None, None,
                 content.figure(employers)])
    return Annex("employer_satisfaction", Said(N_("Employer satisfaction per competency")),
                 [*words(N_("Competency")), *words(*codes.SATISFACTION_LEVELS.values()),
                  *words(N_("Answers"))], rows,
                 Said(N_("M11 per competency and level, cohort years %(years)s together"),
                      years=content.years_label),
                 note=Said(N_("The follow-up actions the institution took on what employers "
                              "said are the next annex; the employers' comments are in the "
                              "workbook (sheet %(sheet)s)."), sheet=Word(N_("Employer answers"))))


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
            coded(fb.status, STATUSES, STATUSES.get(fb.status)),
            _decision(decision) if decision else Said(N_("not decided yet")),
            action.note if action else Said(N_("none recorded yet")),
            action.decided_at.date() if action else None,
            Link(f"Feedback {fb.id}", external_url("feedback.detail", base_url=content.base_url,
                                                   feedback_id=fb.id))])
    return Annex("employer_follow_up", Said(N_("Employer follow-up actions")),
                 words(N_("Survey year"), N_("Programme"), N_("Competency"),
                       N_("What employers said"), N_("Status"), N_("Decision"),
                       N_("Action taken"), N_("Action recorded on"), N_("Record")), rows,
                 Said(N_("curriculum feedback from employer surveys of the years %(years)s "
                         "(source employer survey), with its review steps"),
                      years=content.years_label),
                 note="" if rows else Said(N_("No follow-up of these years' employer surveys "
                                              "is recorded (Curriculum feedback, Employer "
                                              "follow-up).")))


def _decision(decision) -> Said:
    """A decision on employer input: its status, the meeting it was taken at, its note."""
    status = Word(STATUSES.get(decision.to_status, decision.to_status))
    if decision.meeting:
        return Said(N_("%(status)s at %(meeting)s: %(note)s"), status=status,
                    meeting=decision.meeting.label, note=decision.note)
    return Said(N_("%(status)s: %(note)s"), status=status, note=decision.note)



def alumni_activity(content: PackContent) -> Annex:
    rows = []
    for y in content.years:
        e1 = content.get(y, "E1.rate")
        rows.append([y, content.figure(e1, part="numerator", years=[y]),
                     content.figure(e1, part="denominator", years=[y]),
                     content.figure(e1, years=[y])])
    return Annex("alumni_activity", Said(N_("Alumni activity (engagement)")),
                 words(N_("Year"), N_("Engaged in the 12 months to 31 December"),
                       N_("Contactable"), N_("Engagement rate")), rows,
                 Said(N_("E1 rate with the as-of date at the year's end (or the pack's as-of "
                         "time for the current year)")))


def curriculum_review(content: PackContent) -> Annex:
    keys = [f"E2.{v}" for v in ("programmes_with_input", "inputs", "decided", "implemented")]
    return Annex("curriculum_review", Said(N_("Curriculum review: input, decision, action")),
                 words(N_("Year"), N_("Programmes with alumni or employer input"),
                       N_("Inputs"), N_("Decided"), N_("Implemented")),
                 [_row(content, y, keys) for y in content.years],
                 Said(N_("E2 per year")),
                 note=Said(N_("Each input with its decisions is in the workbook (sheet "
                              "%(sheet)s)."), sheet=Word(N_("Curriculum review chain"))))


def mentoring(content: PackContent) -> Annex:
    keys = [f"E3.{v}" for v in ("active_mentors", "mentees", "hours", "students_mentored")]
    return Annex("mentoring", Said(N_("Mentoring of students by alumni")),
                 words(N_("Year"), N_("Active mentors (now)"), N_("Mentees (now)"),
                       N_("Hours in the year"), N_("Students mentored")),
                 [_row(content, y, keys) for y in content.years], Said(N_("E3 per year")))


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
        rows.append([year, coded(kind, KINDS, kind.replace("_", " ")),
                     coded(category, CATEGORIES, category.replace("_", " ")), currency or "—",
                     Figure(n, "count"),
                     Figure(float(amount or 0), "money", currency) if money else None,
                     None if money else Figure(float(value) if value is not None else None,
                                               "money", currency)])
    for y in content.years:
        donors = content.get(y, "E4.donors")
        rows.append([y, Said(N_("donors")), Said(N_("all")), "—",
                     content.figure(donors, years=[y]), None, None])
    return Annex("contributions", Said(N_("Contributions received")),
                 words(N_("Year"), N_("Kind"), N_("Category"), N_("Currency"),
                       N_("Contributions"), N_("Money received"),
                       N_("Declared value (in kind)")), rows,
                 Said(N_("one query over contributions (not void) grouped by receipt year, "
                         "kind, category and currency; E4 donors")),
                 note=Said(N_("Each receipt, with the valuation basis of in-kind gifts, is in "
                              "the workbook (sheet %(sheet)s)."),
                           sheet=Word(N_("Contributions ledger"))))


def linkages(content: PackContent) -> Annex:
    keys = [f"E5.{v}" for v in ("total", *LINKAGE_CATEGORIES)]
    return Annex("linkages", Said(N_("Linkages enabled by alumni")),
                 [*words(N_("Year"), N_("All")),
                  *(coded(v, CATEGORIES, v.replace("_", " ").capitalize())
                    for v in LINKAGE_CATEGORIES)],
                 [_row(content, y, keys) for y in content.years], Said(N_("E5 per year")))


NAMED_ROWS = 200  # names listed in the document; the workbook has every record


def linkage_alumni(content: PackContent) -> Annex:
    """Who enabled each linkage (E5's records), the first NAMED_ROWS."""
    result = compute("E5", content.selection, "total")
    rows = [[c.received_on, coded(c.category, CATEGORIES, c.category.replace("_", " ")),
             c.alumnus.full_name if c.alumnus else "—", c.organisation_name or "—",
             c.receipt_number]
            for c in db.session.scalars(result.counted.query.limit(NAMED_ROWS))]
    return Annex("linkage_alumni", Said(N_("Alumni who enabled the linkages")),
                 words(N_("Received"), N_("Linkage"), N_("Alumnus"), N_("Organisation"),
                       N_("Receipt")), rows,
                 Said(N_("E5 total's records, years %(years)s"), years=content.years_label),
                 note=_more(result.value, N_("Contributions ledger")))


def _more(total: float | None, sheet: str) -> Said | str:
    if total is not None and total > NAMED_ROWS:
        return Said(N_("The first %(shown)s of %(total)s are listed here; every one is in the "
                       "workbook (sheet %(sheet)s)."), shown=NAMED_ROWS,
                    total=f"{total:,.0f}", sheet=Word(sheet))
    return ""


def exchange(content: PackContent) -> Annex:
    keys = ["X1.total", "X1.outgoing", "X1.incoming", "X2.rate", "X3.rate", "X4.rate"]
    return Annex("exchange", Said(N_("Exchange alumni")),
                 words(N_("Batch year"), N_("Participants"), N_("Outgoing"), N_("Incoming"),
                       N_("Completion rate"), N_("Evaluation submitted"),
                       N_("Credits recognised")),
                 [_row(content, y, keys) for y in content.years],
                 Said(N_("X1-X4 per batch year")))


def exchange_alumni(content: PackContent) -> Annex:
    """The exchange participants by name (X1's records), the first NAMED_ROWS."""
    result = compute("X1", content.selection, "total")
    rows = [[" ".join(x for x in (p.given_name, p.family_name) if x), p.student_number,
             coded(p.direction, DIRECTIONS), p.study_area.replace("_", " "),
             coded(p.status, PARTICIPATION_STATUSES, p.status.replace("_", " "))]
            for p in db.session.scalars(result.counted.query.limit(NAMED_ROWS))]
    return Annex("exchange_alumni", Said(N_("Exchange participants by name")),
                 words(N_("Name"), N_("Student number"), N_("Direction"), N_("Study area"),
                       N_("Status")), rows,
                 Said(N_("X1 total's records, batch years %(years)s"),
                      years=content.years_label),
                 note=_more(result.value, N_("Exchange participants")))


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
    rows = [[Said(N_("Graduates outside every cohort (no programme or no cohort year)")),
             Figure(outside, "count")],
            [Said(N_("Without a programme")), Figure(no_programme, "count")],
            [Said(N_("Without a cohort (graduation) year")), Figure(no_year, "count")],
            [Said(N_("In the cohorts, without a graduation date")), Figure(no_date, "count")]]
    for y in content.years:
        gross, net = content.get(y, "M1.gross"), content.get(y, "M1.net")
        if gross and net and gross.denominator is not None and net.denominator is not None:
            rows.append([Said(N_("Undeliverable survey addresses, cohort %(year)s"), year=y),
                         Figure(gross.denominator - net.denominator, "count")])
    return Annex("data_quality", Said(N_("Data quality")),
                 words(N_("Check"), N_("Graduates")), rows,
                 Said(N_("one count query over the register; M1 gross - net for the "
                         "undeliverable")),
                 note=Said(N_("The graduates without a programme or a cohort year are listed "
                              "in the workbook (sheet %(sheet)s)."),
                           sheet=Word(N_("Outside the cohorts"))))


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
    return Annex("consent_coverage",
                 Said(N_("Consent coverage: who of the cohort may be contacted")),
                 words(N_("Cohort"), N_("Graduates"), N_("Contactable"),
                       N_("Share contactable")), rows,
                 Said(N_("contactable_alumni of app.engagement (active, an e-mail or phone, "
                         "contact consent not withdrawn) within the cohort")),
                 note=Said(N_("The same rule decides who is invited to surveys and counted "
                              "by E1.")))


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
