"""One table of cases for the register's cohort and date rules (app.alumni.rules), run through
both entry points: the register form (a real request) and the registrar import (a real CSV
file through the pipeline, committed). Each case names what the register answers; both entry
points must answer exactly that, so the test fails as soon as either drifts.

The one difference is the import's, on purpose: a wrong birth date in a file is an optional
field, so the row is kept with the birth date left out and the message says so.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from app.alumni import rules
from app.alumni.models import Alumnus
from app.extensions import db


@dataclass
class Case:
    name: str
    values: dict[str, str]  # the form's fields; the file has the same columns
    errors: dict[str, str] = field(default_factory=dict)  # field -> the register's message
    cohort: int | None = None  # the cohort saved when there is no error
    warning: str | None = None  # the note about the cohort shown when saved


GRAD = "2023-06-30"
CASES = [
    Case("cohort follows graduation", {"graduation_date": GRAD}, cohort=2023),
    Case("stated cohort is kept", {"cohort_year": "2023", "graduation_date": GRAD},
         cohort=2023),
    Case("cohort before 1950", {"cohort_year": "1900"},
         errors={"cohort_year": rules.cohort_range_message()}),
    Case("cohort too far ahead", {"cohort_year": str(rules.latest_year() + 1)},
         errors={"cohort_year": rules.cohort_range_message()}),
    Case("cohort is not a year", {"cohort_year": "20x4"},
         errors={"cohort_year": rules.NOT_A_YEAR}),
    Case("cohort later than graduation", {"cohort_year": "2024", "graduation_date": GRAD},
         errors={"cohort_year": rules.cohort_after_graduation_message(2024, 2023)}),
    Case("cohort before graduation: a warning", {"cohort_year": "2019",
                                                 "graduation_date": GRAD},
         cohort=2019, warning=rules.cohort_not_graduation_message(2019, 2023)),
    Case("award before graduation", {"graduation_date": GRAD, "award_date": "2023-01-31"},
         errors={"award_date": rules.AWARD_BEFORE_GRADUATION}),
    Case("award on graduation day", {"graduation_date": GRAD, "award_date": GRAD},
         cohort=2023),
    Case("graduation date past the common era guard", {"graduation_date": "2099-06-30"},
         errors={"graduation_date": rules.buddhist_era_message(2099)}),
    Case("award date past the common era guard",
         {"graduation_date": GRAD, "award_date": "2199-06-30"},
         errors={"award_date": rules.buddhist_era_message(2199)}),
    Case("guarded graduation skips the order checks",
         {"graduation_date": "2099-06-30", "award_date": "2023-01-31", "cohort_year": "2024"},
         errors={"graduation_date": rules.buddhist_era_message(2099)}),
    Case("birth date in the future", {"birth_date": "2099-01-01"},
         errors={"birth_date": rules.BIRTH_IN_FUTURE}),
    Case("birth on graduation day", {"birth_date": GRAD, "graduation_date": GRAD},
         errors={"birth_date": rules.BIRTH_NOT_BEFORE_GRADUATION}),
    Case("birth after graduation, in the future",
         {"birth_date": "2099-01-01", "graduation_date": GRAD},
         errors={"birth_date": rules.BIRTH_NOT_BEFORE_GRADUATION}),
]
COLUMNS = ("cohort_year", "graduation_date", "award_date", "birth_date")
HEADER = "Student number,Given name,Cohort year,Graduation date,Award date,Birth date\n"
KEPT_WITH_A_NOTE = {"birth_date": " The birth date is left out."}  # the import's optional field


def _form_errors(page: str) -> dict[str, str]:
    """Each field's message as the form shows it (bootstrap's invalid-feedback under the
    input named for the field)."""
    found = {}
    for name, message in re.findall(
            r'name="(\w+)"[^<]*>(?:(?!name=").)*?<div class="invalid-feedback[^"]*">(.*?)</div>',
            page, re.S):
        found[name] = html.unescape(message.strip())
    return found


def _saved(number: str) -> Alumnus | None:
    return db.session.scalar(select(Alumnus).where(Alumnus.student_number == number))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_register_form_and_the_import_answer_alike(case, as_role, world, run_plan):
    # The register form, through a real request.
    data = {"student_number": "FORM-1", "given_name": "Suda", "status": "active",
            "programme_id": world.programme.id, **case.values}
    page = as_role("officer").post("/alumni/new", data=data, follow_redirects=True)
    text = html.unescape(page.get_data(as_text=True))
    if case.errors:
        assert _form_errors(page.get_data(as_text=True)) == case.errors
        assert _saved("FORM-1") is None
    else:
        assert "Suda is in the register." in text, _form_errors(page.get_data(as_text=True))
        assert _saved("FORM-1").cohort_year == case.cohort
        assert (case.warning in text) if case.warning else "is not the graduation year" not in text

    # The import, through a real file.
    row = ",".join(case.values.get(c, "") for c in COLUMNS)
    plan = run_plan(HEADER + f"FILE-1,Suda,{row}\n", commit=True)
    errors = {e.field: e.message for e in plan.errors if e.level == "error"}
    notes = {e.field: e.message for e in plan.errors if e.level == "warning"}
    kept = {f: m for f, m in case.errors.items() if f in KEPT_WITH_A_NOTE}
    assert errors == {f: m for f, m in case.errors.items() if f not in kept}
    assert notes == ({f: m + KEPT_WITH_A_NOTE[f] for f, m in kept.items()}
                     | ({"cohort_year": case.warning} if case.warning else {}))
    saved = _saved("FILE-1")
    if errors:
        assert saved is None
    else:
        assert saved is not None
        if kept:
            assert saved.birth_date is None
        assert saved.cohort_year == (case.cohort or (2023 if "graduation_date" in case.values
                                                     else None))
