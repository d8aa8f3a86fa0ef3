"""The records behind a figure, as rows a page can show: columns per kind of record, in the
page's language (headings and code lists translated; names and what people typed as typed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import gettext, pgettext

from app.alumni.models import ALUMNUS_STATUSES
from app.core.i18n import N_, format_date, format_number
from app.employment import codes
from app.reports.indicators.result import Said, Word

COLUMNS: dict[str, tuple[str, ...]] = {
    "alumnus": (N_("Student number"), N_("Name"), N_("Cohort"), N_("Status")),
    "response": (N_("Student number"), N_("Name"), N_("Cohort"), N_("Status"),
                 N_("Months to first job"), N_("Hours"), N_("Contract"), N_("Income"),
                 N_("Relevance"), N_("Level needed"), N_("Workplace"), N_("Survey")),
    "rating": (N_("Student number"), N_("Name"), N_("Competency"), N_("At graduation"),
               N_("Required now")),
    "employer_feedback": (N_("Employer"), N_("Year"), N_("Answered"), N_("Ratings")),
    "contribution": (N_("Receipt"), N_("Received"), N_("Kind"), N_("Category"), N_("Amount"),
                     N_("Donor")),
    "curriculum_feedback": (N_("Received"), N_("Topic"), N_("Source"), N_("Status")),
    "programme": (N_("Code"), N_("Name")),
    "mentor": (N_("Mentor"), N_("Capacity")),
    "mentorship": (N_("Mentor"), N_("Student"), N_("Status")),
    "session": (N_("Held on"), N_("Minutes"), N_("Mode")),
    "student": (N_("Student number"), N_("Name")),
    "participation": (N_("Student number"), N_("Name"), N_("Direction"), N_("Status"),
                      N_("Evaluation"), N_("Credits recognised")),
}


def columns(kind: str) -> tuple[str, ...]:
    """The column headings of a kind of record ("rating.ethics" as "rating")."""
    return tuple(gettext(c) for c in COLUMNS.get(kind.partition(".")[0], (N_("Record"),)))


def _word(value: Any, words: dict[str, str]) -> str:
    """A stored code as its word in the page's language ("—" for none, the code if unknown)."""
    if value is None or value == "":
        return "—"
    return gettext(words[value]) if value in words else str(value)


def _alumnus_status(value: str | None) -> str:
    """An alumnus's status ("active": reachable), apart from a mentorship's "Active"."""
    if value in ALUMNUS_STATUSES:
        return pgettext("alumnus status", ALUMNUS_STATUSES[value])
    return value or "—"


def _alumnus_status_words() -> None:  # pragma: no cover - never called: read by pybabel extract
    pgettext("alumnus status", "Active")
    pgettext("alumnus status", "Unreachable")
    pgettext("alumnus status", "Deceased")
    pgettext("alumnus status", "Opted out")


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else gettext("yes") if value else gettext("no")


def _alumnus_cells(a: Any) -> list[str]:
    return [a.student_number, a.full_name, str(a.cohort_year or "—")]


def row(kind: str, r: Any) -> list[str]:
    """The cells of one record, in the order of COLUMNS[kind]."""
    from app.contributions.models import CATEGORIES, KINDS
    from app.exchange.models import DIRECTIONS, PARTICIPATION_STATUSES
    from app.feedback.models import SOURCES, STATUSES
    from app.mentoring.models import MENTORSHIP_STATES, SESSION_MODES

    if kind == "alumnus":
        return [*_alumnus_cells(r), _alumnus_status(r.status)]
    if kind == "response":
        months = "—" if r.months_to_first_job is None else format_number(r.months_to_first_job)
        if r.months_to_first_job is None and r.start_date:
            months = gettext("began %(date)s", date=format_date(r.start_date))
        income = (f"{format_number(r.income_amount, 0)} {r.income_currency or ''}".strip()
                  if r.income_amount is not None else "—")
        return [*_alumnus_cells(r.alumnus),
                _word(r.status, codes.EMPLOYMENT_STATUSES), months,
                _word(r.hours, codes.HOURS), _word(r.contract, codes.CONTRACTS),
                income, str(r.relevance or "—"),
                _word(r.education_level, codes.EDUCATION_LEVELS),
                _word(r.workplace_level, codes.WORKPLACE_LEVELS),
                r.invitation.survey.title if r.invitation else str(r.survey_id)]
    if kind.startswith("rating."):  # a response, for one competency's ratings
        key = kind.partition(".")[2]
        at_graduation, required_now = r.ratings.get(key, (None, None))
        return [r.alumnus.student_number, r.alumnus.full_name, _word(key, codes.COMPETENCIES),
                str(at_graduation or "—"), str(required_now or "—")]
    if kind == "employer_feedback":
        ratings = ", ".join(gettext("%(competency)s: %(level)s",
                                    competency=_word(x.competency, codes.COMPETENCIES),
                                    level=_word(x.level, codes.SATISFACTION_LEVELS))
                            for x in r.ratings)
        return [r.employer.name, str(r.year), format_date(r.submitted_at.date()), ratings]
    if kind == "contribution":
        amount = (f"{format_number(r.amount, 2)} {r.currency}" if r.amount is not None
                  else format_number(r.quantity or 1))
        donor = r.organisation_name or (r.alumnus.full_name if r.alumnus else "—")
        return [r.receipt_number, format_date(r.received_on), _word(r.kind, KINDS),
                _word(r.category, CATEGORIES), amount, donor]
    if kind == "curriculum_feedback":
        return [format_date(r.received_on), r.topic, _word(r.source, SOURCES),
                _word(r.status, STATUSES)]
    if kind == "programme":
        return [r.code, r.name]
    if kind == "mentor":
        return [r.alumnus.full_name if r.alumnus else str(r.alumnus_id),
                format_number(r.capacity)]
    if kind == "mentorship":
        return [r.mentor.alumnus.full_name if r.mentor.alumnus else str(r.mentor_id),
                r.student.display_name, _word(r.status, MENTORSHIP_STATES)]
    if kind == "session":
        return [format_date(r.held_on), format_number(r.minutes), _word(r.mode, SESSION_MODES)]
    if kind == "student":
        return [r.student_number, r.display_name]
    if kind == "participation":
        return [r.student_number, " ".join(p for p in (r.given_name, r.family_name) if p),
                _word(r.direction, DIRECTIONS), _word(r.status, PARTICIPATION_STATUSES),
                _yes_no(bool(r.evaluation_submitted)), _yes_no(r.credits_recognised)]
    return [str(r)]


def _value_text(value: Any, unit: str, currency: str | None,
                number: Callable[[float, int], str], months: Callable[[str], str]) -> str:
    """A figure as people read it: ratios as percentages, money with its currency; `number`
    writes a number with so many decimals, `months` the words for a number of months."""
    if value is None:
        return "—"
    if unit in ("ratio", "minimum"):
        return f"{number(100 * value, 1)} %"
    if unit == "money":
        return f"{number(value, 0)} {currency or ''}".strip()
    if unit == "months":
        return months(number(value, 1))
    if unit == "scale_points":
        return f"{'+' if value >= 0 else '-'}{number(abs(value), 2)}"
    if unit == "score":
        return str(value)
    return number(value, 0 if float(value).is_integer() else 1)


def format_value(value: Any, unit: str, currency: str | None = None) -> str:
    """A figure in English, as exports and packs write it ("72.5 %", "3.2 months")."""
    return _value_text(value, unit, currency, lambda v, places: f"{v:,.{places}f}",
                       lambda n: f"{n} months")


def page_value(value: Any, unit: str, currency: str | None = None) -> str:
    """A figure for a page in the reader's language: the language's decimal sign and digit
    grouping, and its word for months."""
    return _value_text(value, unit, currency, format_number,
                       lambda n: gettext("%(months)s months", months=n))


def _said_value(value: Any) -> Any:
    if isinstance(value, Word):
        text = gettext(value.message)
        return text.lower() if value.lower_case else text
    if isinstance(value, tuple):
        return ", ".join(str(_said_value(v)) for v in value)
    if isinstance(value, date):
        return format_date(value)
    return value


def say(text: Any) -> str:
    """An indicator's title, definition or note in the page's language: a `Said` with its
    placeholders (words translated, days as the language writes them), a fixed text marked
    N_ through the catalogue."""
    if isinstance(text, Said):
        return gettext(text.message, **{k: _said_value(v) for k, v in text.args.items()})
    return gettext(text) if text else ""
