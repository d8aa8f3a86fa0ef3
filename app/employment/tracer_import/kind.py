"""Kind "tracer" of the import pipeline: a past tracer study brought in from a spreadsheet."""

from __future__ import annotations

from app.employment import codes
from app.employment.tracer_import.columns import COLUMNS
from app.employment.tracer_import.commit import commit_tracer
from app.employment.tracer_import.plan import plan_tracer
from app.imports.pipeline import ImportKind, KindOption

TRACER_KIND = ImportKind(
    name="tracer",
    label="Tracer study (past survey results)",
    description="One row per graduate the study reached out to: student number, response "
                "(responded, no response, undeliverable) and the answers — status, months to "
                "the first job or its start date, employer, job, hours, contract, relevance, "
                "education level needed, workplace level, income, the seven competencies at "
                "graduation and required now, further study. A file in the national layout "
                "(Nomor Mhs, f8, f502 …) lists respondents only. The answers go into a tracer "
                "survey of the graduates' cohorts at the reference point given.",
    columns=COLUMNS,
    plan=plan_tracer,
    commit=commit_tracer,
    tables=("survey_invitation", "survey_response", "employment"),
    options=(
        KindOption("reference_months", "Reference point",
                   tuple((str(m), label) for m, label in codes.REFERENCE_MONTHS.items()),
                   required=True,
                   help="When the study asked: months after graduation."),
        KindOption("survey_title", "Survey title",
                   help="The survey the answers go into: one of this title is reused, or set "
                        "up. Blank: the survey at this reference point that covers the "
                        "file's cohorts, or a new one."),
    ),
)
