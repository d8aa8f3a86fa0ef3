"""A background job's kind, status and progress in the reader's language: the job page shows
them, and its script (static/job.js) shows the same words from the page's JSON, so no English
is written in the script. The job's own progress note stays as the job wrote it (English)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from app.core.i18n import N_, format_number

# Translated where shown; the stored kind and status stay codes.
JOB_KINDS = {
    "import": N_("Import"),
    "import_preview": N_("Import preview"),
    "register_workbook": N_("Register export"),
    "evidence_pack": N_("Evidence pack build"),
    "dashboard_refresh": N_("Landing page figures"),
    "data_download": N_("Copy of an alumnus's data"),
    "mailing": N_("Mailing"),
    "employer_survey": N_("Employer survey invitations"),
    "tracer_invite": N_("Tracer survey invitations"),
    "tracer_remind": N_("Tracer survey reminders"),
    "password_reset": N_("Password reset e-mail"),
}
JOB_STATUSES = {"queued": N_("Queued"), "running": N_("Running"), "done": N_("Done"),
                "failed": N_("Failed")}


def job_words(kind: str, state: dict[str, Any]) -> dict[str, str | None]:
    """`kind_label`, `status_label` and `progress_text` ("4,900 of 4,900", numbers by Babel)
    of a job's state (`app.core.jobs.job_state`)."""
    kind_name = JOB_KINDS.get(kind)
    status = JOB_STATUSES.get(state["status"])
    total = state.get("total")
    return {
        "kind_label": gettext(kind_name) if kind_name else kind.replace("_", " ").capitalize(),
        "status_label": gettext(status) if status else state["status"],
        "progress_text": gettext("%(done)s of %(total)s", done=format_number(state["done"]),
                                 total=format_number(total)) if total else None,
    }
