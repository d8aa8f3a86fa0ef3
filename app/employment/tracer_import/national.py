"""A tracer survey's answers in Indonesia's national upload layout: the 86 columns of the
national tracer portal in their order, one row per respondent, coded as the portal reads them
(f8 status, f502 months to the first job, f505 pay in rupiah, f14 field match with 1 = very
close, f15 education level, f5d workplace level, f1761-f1774 the seven competencies at
graduation and needed now). Columns the survey does not ask (NIK, NPWP, region codes, search
channels, teaching methods …) are left blank; NIK and NPWP are never written.

`Kode Pt` and `Kode Prodi` carry the institution's and programme's codes as kept here; where
the portal knows them by other numbers, replace them before uploading. The tracer import
reads this layout back: an exported survey imports unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.alumni.models import Alumnus, Institution, Programme
from app.core.spreadsheet import csv_text, xlsx_bytes
from app.employment.models import SurveyInvitation, SurveyResponse, TracerSurvey
from app.employment.tracer_import import columns as C
from app.extensions import db

COLUMNS = (
    "Kode Pt", "Kode Prodi", "Nomor Mhs", "Nama", "Hp", "Email", "Tahun Lulus", "NIK", "NPWP",
    "f8", "f502", "f505", "f5a1", "f5a2", "f1101", "f1102", "f5b", "f5c", "f5d",
    "f18a", "f18b", "f18c", "f18d", "f1201", "f1202", "f14", "f15",
    *(f"f{n}" for n in range(1761, 1775)),
    *(f"f{n}" for n in range(21, 28)), "f301", "f302", "f303",
    *(f"f{n}" for n in range(401, 417)), "f6", "f7", "f7a", "f1001", "f1002",
    *(f"f{n}" for n in range(1601, 1615)),
)
RUPIAH = "IDR"


def national_rows(survey: TracerSurvey, *, contacts: bool = True) -> Iterator[list[Any]]:
    """One row per response, in the national column order (None for a blank cell); without
    `contacts` (quality staff without the grant) the Hp and Email cells stay blank."""
    institution = db.session.get(Institution, survey.institution_id)
    programmes = dict(db.session.execute(select(Programme.id, Programme.code).where(
        Programme.institution_id == survey.institution_id)).all())
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
        .join(SurveyInvitation, SurveyInvitation.id == SurveyResponse.invitation_id)
        .join(Alumnus, Alumnus.id == SurveyResponse.alumnus_id)
        .order_by(SurveyInvitation.programme_id, SurveyInvitation.cohort_year,
                  Alumnus.student_number)
        .options(selectinload(SurveyResponse.invitation).selectinload(SurveyInvitation.alumnus))
        .execution_options(yield_per=2_000))
    for r in responses:
        alumnus = r.invitation.alumnus
        cells: dict[str, Any] = {
            "Kode Pt": institution.code,
            "Kode Prodi": programmes.get(r.invitation.programme_id),
            "Nomor Mhs": alumnus.student_number,
            "Nama": alumnus.display_name,
            "Hp": alumnus.phone if contacts else None,
            "Email": alumnus.email if contacts else None,
            "Tahun Lulus": r.invitation.cohort_year,
            "f8": _int(C.F8.get(r.status)),
            "f502": r.months_to_first_job,
            "f505": (int(r.income_amount) if r.income_amount == int(r.income_amount)
                     else float(r.income_amount))
            if r.income_amount is not None and r.income_currency == RUPIAH else None,
            "f1101": _int(C.F1101.get(r.employer_type or "")),
            "f5b": r.employer_name,
            "f5d": _int(C.F5D.get(r.workplace_level or "")),
            "f18b": r.further_study_field,
            "f14": 6 - r.relevance if r.relevance is not None else None,
            "f15": _int(C.F15.get(r.education_level or "")),
        }
        for key, (grad, now) in r.ratings.items():
            grad_code, now_code = C.COMPETENCY_CODES[key]
            cells[grad_code], cells[now_code] = grad, now
        yield [cells.get(name) for name in COLUMNS]


def _int(code: str | None) -> int | None:
    return int(code) if code else None


def national_csv(survey: TracerSurvey, *, contacts: bool = True) -> bytes:
    """The layout as CSV (UTF-8 with a byte-order mark, formula-like text neutralised)."""
    return csv_text(COLUMNS, national_rows(survey, contacts=contacts)).encode("utf-8")


def national_xlsx(survey: TracerSurvey, *, contacts: bool = True) -> bytes:
    """The layout as an Excel workbook: codes and amounts as numbers, text as text."""
    return xlsx_bytes("Tracer Study", COLUMNS, national_rows(survey, contacts=contacts))


def export_national(survey: TracerSurvey, path: str) -> int:
    """Write the layout to `path` (.xlsx as a workbook, else CSV); returns the rows written."""
    data = national_xlsx(survey) if path.lower().endswith(".xlsx") else national_csv(survey)
    with open(path, "wb") as fh:
        fh.write(data)
    return national_count(survey)


def national_count(survey: TracerSurvey) -> int:
    """How many rows the layout has (one per response with its invitation and alumnus)."""
    return db.session.scalar(
        select(db.func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey.id)
        .join(SurveyInvitation, SurveyInvitation.id == SurveyResponse.invitation_id)
        .join(Alumnus, Alumnus.id == SurveyResponse.alumnus_id)) or 0
