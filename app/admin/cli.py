"""`flask add-institution` and `flask add-programme`, for scripted set-up."""

from __future__ import annotations

import click
from flask import Flask

from app.alumni.models import INSTITUTION_KINDS, QUALIFICATION_LEVELS, STUDY_AREAS
from app.core.cli_helpers import domain_errors_to_exit


def register(app: Flask) -> None:
    @app.cli.command("add-institution")
    @click.argument("code")
    @click.argument("name")
    @click.option("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. TH.")
    @click.option("--kind", type=click.Choice(list(INSTITUTION_KINDS)), default="college")
    @click.option("--home", is_flag=True, help="The home institution of this deployment.")
    @domain_errors_to_exit
    def add_institution(code: str, name: str, country: str, kind: str, home: bool) -> None:
        """Add an institution."""
        from app.alumni.institutions import InstitutionData, create_institution
        from app.alumni.services import home_institution
        from app.extensions import db

        previous = home_institution()
        inst = create_institution(
            InstitutionData(code=code, name=name, country=country, kind=kind, is_home=home),
            actor=None,
        )
        db.session.commit()
        home = " as home" if inst.is_home else ""
        if inst.is_home and previous is not None:
            home += f" in place of {previous.code}"
        click.echo(f"Added institution {inst.code} ({inst.name}){home}.")

    @app.cli.command("add-programme")
    @click.argument("code")
    @click.argument("name")
    @click.option("--institution", "institution_code", required=True)
    @click.option("--study-area", type=click.Choice(list(STUDY_AREAS)), required=True)
    @click.option("--level", type=click.Choice(list(QUALIFICATION_LEVELS)), required=True)
    @click.option("--isced", default=None, help="ISCED-F field code, e.g. 0714.")
    @click.option("--months", type=int, default=None, help="Duration in months.")
    @domain_errors_to_exit
    def add_programme(code: str, name: str, institution_code: str, study_area: str, level: str,
                      isced: str | None, months: int | None) -> None:
        """Add a programme to an institution."""
        from app.alumni.institutions import ProgrammeData, create_programme, institution_by_code
        from app.extensions import db

        inst = institution_by_code(institution_code)
        if inst is None:
            raise click.BadParameter(f"no institution with code {institution_code}",
                                     param_hint="--institution")
        prog = create_programme(
            ProgrammeData(code=code, name=name, level=level, study_area=study_area,
                          isced_code=isced, duration_months=months),
            institution=inst, actor=None,
        )
        db.session.commit()
        click.echo(f"Added programme {prog.code} at {inst.code}.")
