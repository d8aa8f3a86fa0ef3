"""`flask tracer …`: tracer survey files (the national upload layout).

Past tracer studies come in through `flask import tracer FILE --reference-months N` (the import
pipeline's command for kind "tracer")."""

from __future__ import annotations

import getpass
import os

import click
from flask import Flask

from app.core.cli_helpers import domain_errors_to_exit


def _system_user() -> str:
    """The operating-system account running the command (what the audit can say of who)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"uid {os.getuid()}"


def register(app: Flask) -> None:
    group = click.Group("tracer", help="Tracer surveys.")

    @group.command("export-national")
    @click.argument("survey_id", type=int)
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
                  help="The file to write: .xlsx for a workbook, anything else CSV.")
    @domain_errors_to_exit
    def export_national_command(survey_id: int, out: str) -> None:
        """Write a survey's answers in Indonesia's national tracer upload layout."""
        from app.core.audit import record_export
        from app.employment.models import TracerSurvey
        from app.employment.tracer_import.national import export_national
        from app.extensions import db

        survey = db.session.get(TracerSurvey, survey_id)
        if survey is None:
            raise click.ClickException(f"There is no tracer survey {survey_id}.")
        count = export_national(survey, out)
        # A download of personal data (names, numbers, contacts): in the audit log, who (the
        # command line and the system account that ran it), what, how many rows.
        record_export(None, f"tracer-survey-{survey.id}-national{os.path.splitext(out)[1]}",
                      count, institution_id=survey.institution_id, contacts=True,
                      details={"survey_id": survey.id, "path": os.path.abspath(out),
                               "run_by": _system_user()})
        db.session.commit()
        click.echo(f"{count:,} response{'' if count == 1 else 's'} of “{survey.title}” written "
                   f"to {out} in the national layout.")

    app.cli.add_command(group)
