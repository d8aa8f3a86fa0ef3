"""A background job's kind, status and progress in the reader's language: the job page shows
them, and its script (static/job.js) shows the same words from the page's JSON, so no English
is written in the script. The job's own progress note is stored as the job wrote it (English,
the same for every reader); `say_note` says a known one in the reader's language ("6 sent,
1 undeliverable": a fixed note by its text, one with counts by its pattern, the counts put
back by Babel), and shows one it does not know as stored."""

from __future__ import annotations

import re
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


# The notes the jobs write (English, as stored), each said in the reader's language: counts
# (digits with thousands commas) are put back by Babel; other values stay as written.
NOTES = (
    # sending: tracer invitations and reminders, employer survey invitations, mailings
    N_("Sending…"),
    N_("%(sent)s sent, %(undeliverable)s undeliverable"),
    N_("%(sent)s sent, %(failed)s failed"),
    # the registrar's list import and the register export
    N_("Checking student numbers"),
    N_("Checking names, e-mail and phone"),
    N_("Checking programmes, dates and choices"),
    N_("Comparing with the register"),
    N_("Checked"),
    N_("Added %(done)s of %(total)s new records"),
    N_("Updated %(done)s of %(total)s alumni"),
    N_("Looking for possible duplicates"),
    N_("Finishing"),
    N_("Imported"),
    N_("Writing the workbook"),
    N_("%(count)s alumni written"),
    # an evidence pack's build
    N_("Figures of %(year)s counted"),
    N_("Framework tables filled"),
    N_("Annexes listed"),
    N_("Charts drawn"),
    N_("%(format)s written"),
    N_("Snapshot kept"),
)
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})*")
COUNTED = {"sent", "undeliverable", "failed", "done", "total", "count"}


def _pattern(note: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", note)
    out = []
    for i, part in enumerate(parts):
        out.append(re.escape(part) if i % 2 == 0 else
                   f"(?P<{part}>{_COUNT.pattern})" if part in COUNTED else f"(?P<{part}>.+?)")
    return re.compile("".join(out) + r"\Z")


_PATTERNS = [(note, _pattern(note)) for note in NOTES]


def say_note(note: str | None) -> str | None:
    """A job's stored progress note in the reader's language (as stored when not known)."""
    if not note:
        return note
    for msgid, pattern in _PATTERNS:
        found = pattern.match(note)
        if found:
            values = {k: format_number(int(v.replace(",", ""))) if k in COUNTED else v
                      for k, v in found.groupdict().items()}
            return gettext(msgid, **values) if values else gettext(msgid)
    return note


def job_words(kind: str, state: dict[str, Any]) -> dict[str, str | None]:
    """`kind_label`, `status_label`, `progress_text` ("4,900 of 4,900", numbers by Babel) and
    `note` (the job's progress note, `say_note`) of a job's state
    (`app.core.jobs.job_state`)."""
    kind_name = JOB_KINDS.get(kind)
    status = JOB_STATUSES.get(state["status"])
    total = state.get("total")
    return {
        "kind_label": gettext(kind_name) if kind_name else kind.replace("_", " ").capitalize(),
        "status_label": gettext(status) if status else state["status"],
        "progress_text": gettext("%(done)s of %(total)s", done=format_number(state["done"]),
                                 total=format_number(total)) if total else None,
        "note": say_note(state.get("message")),
    }
