"""The records behind a figure, as rows a page can show: columns per kind of record."""

from __future__ import annotations

from typing import Any

from app.core.i18n import format_number
from app.core.labels import format_date
from app.employment import codes

COLUMNS: dict[str, tuple[str, ...]] = {
    "alumnus": ("Student number", "Name", "Cohort", "Status"),
    "response": ("Student number", "Name", "Cohort", "Status", "Months to first job",
                 "Hours", "Contract", "Income", "Relevance", "Level needed", "Workplace",
                 "Survey"),
    "rating": ("Student number", "Name", "Competency", "At graduation", "Required now"),
    "employer_feedback": ("Employer", "Year", "Answered", "Ratings"),
    "contribution": ("Receipt", "Received", "Kind", "Category", "Amount", "Donor"),
    "curriculum_feedback": ("Received", "Topic", "Source", "Status"),
    "programme": ("Code", "Name"),
    "mentor": ("Mentor", "Capacity"),
    "mentorship": ("Mentor", "Student", "Status"),
    "session": ("Held on", "Minutes", "Mode"),
    "student": ("Student number", "Name"),
    "participation": ("Student number", "Name", "Direction", "Status", "Evaluation",
                      "Credits recognised"),
}


def columns(kind: str) -> tuple[str, ...]:
    """The column headings of a kind of record ("rating.ethics" as "rating")."""
    return COLUMNS.get(kind.partition(".")[0], ("Record",))


def _alumnus_cells(a: Any) -> list[str]:
    return [a.student_number, a.full_name, str(a.cohort_year or "—")]


def row(kind: str, r: Any) -> list[str]:
    """The cells of one record, in the order of COLUMNS[kind]."""
    if kind == "alumnus":
        return [*_alumnus_cells(r), r.status]
    if kind == "response":
        months = "—" if r.months_to_first_job is None else str(r.months_to_first_job)
        if r.months_to_first_job is None and r.start_date:
            months = f"began {format_date(r.start_date)}"
        income = (f"{r.income_amount:,.0f} {r.income_currency or ''}".strip()
                  if r.income_amount is not None else "—")
        return [*_alumnus_cells(r.alumnus),
                codes.EMPLOYMENT_STATUSES.get(r.status, r.status), months,
                codes.HOURS.get(r.hours or "", "—"), codes.CONTRACTS.get(r.contract or "", "—"),
                income, str(r.relevance or "—"),
                codes.EDUCATION_LEVELS.get(r.education_level or "", "—"),
                codes.WORKPLACE_LEVELS.get(r.workplace_level or "", "—"),
                r.invitation.survey.title if r.invitation else str(r.survey_id)]
    if kind.startswith("rating."):  # a response, for one competency's ratings
        key = kind.partition(".")[2]
        at_graduation, required_now = r.ratings.get(key, (None, None))
        return [r.alumnus.student_number, r.alumnus.full_name, codes.COMPETENCIES.get(key, key),
                str(at_graduation or "—"), str(required_now or "—")]
    if kind == "employer_feedback":
        ratings = ", ".join(f"{codes.COMPETENCIES.get(x.competency, x.competency)}: "
                            f"{codes.SATISFACTION_LEVELS.get(x.level, x.level)}"
                            for x in r.ratings)
        return [r.employer.name, str(r.year), format_date(r.submitted_at.date()), ratings]
    if kind == "contribution":
        amount = (f"{r.amount:,.2f} {r.currency}" if r.amount is not None
                  else str(r.quantity or 1))
        donor = r.organisation_name or (r.alumnus.full_name if r.alumnus else "—")
        return [r.receipt_number, format_date(r.received_on), r.kind, r.category, amount, donor]
    if kind == "curriculum_feedback":
        return [format_date(r.received_on), r.topic, r.source, r.status]
    if kind == "programme":
        return [r.code, r.name]
    if kind == "mentor":
        return [r.alumnus.full_name if r.alumnus else str(r.alumnus_id), str(r.capacity)]
    if kind == "mentorship":
        return [r.mentor.alumnus.full_name if r.mentor.alumnus else str(r.mentor_id),
                r.student.display_name, r.status]
    if kind == "session":
        return [format_date(r.held_on), str(r.minutes), r.mode]
    if kind == "student":
        return [r.student_number, r.display_name]
    if kind == "participation":
        return [r.student_number, " ".join(p for p in (r.given_name, r.family_name) if p),
                r.direction, r.status, "yes" if r.evaluation_submitted else "no",
                {True: "yes", False: "no"}.get(r.credits_recognised, "—")]
    return [str(r)]


def format_value(value: Any, unit: str, currency: str | None = None) -> str:
    """A figure as people read it: ratios as percentages, money with its currency."""
    if value is None:
        return "—"
    if unit in ("ratio", "minimum"):
        return f"{100 * value:.1f} %"
    if unit == "money":
        return f"{value:,.0f} {currency or ''}".strip()
    if unit == "months":
        return f"{value:.1f} months"
    if unit == "scale_points":
        return f"{value:+.2f}"
    if unit == "score":
        return str(value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def page_value(value: Any, unit: str, currency: str | None = None) -> str:
    """`format_value` for a page in the reader's language: the language's decimal sign and
    digit grouping, and its word for months (exports and packs keep `format_value`)."""
    from flask_babel import gettext

    if value is None:
        return "—"
    if unit in ("ratio", "minimum"):
        return f"{format_number(100 * value, 1)} %"
    if unit == "money":
        return f"{format_number(value, 0)} {currency or ''}".strip()
    if unit == "months":
        return gettext("%(months)s months", months=format_number(value, 1))
    if unit == "scale_points":
        return f"{'+' if value >= 0 else '-'}{format_number(abs(value), 2)}"
    if unit == "score":
        return str(value)
    return format_number(value, 0 if float(value).is_integer() else 1)
