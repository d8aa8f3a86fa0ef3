"""`flask report indicators …`: every indicator of one programme cohort as JSON or CSV."""

from __future__ import annotations

import csv
import io
import json

import click
from flask import Flask
from sqlalchemy import select

from app.core.cli_helpers import domain_errors_to_exit

COLUMNS = ("code", "variant", "value", "numerator", "denominator", "unit", "currency")


def _number(value):
    """Numbers as JSON numbers: whole values as integers, the rest as floats."""
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def register(app: Flask) -> None:
    group = click.Group("report", help="Indicators and accreditation reports.")

    @group.command("indicators")
    @click.option("--institution", "institution_code", required=True, help="Institution code.")
    @click.option("--programme", "programme_code", required=True, help="Programme code.")
    @click.option("--cohort", type=int, required=True, help="Graduation (cohort) year.")
    @click.option("--reference-months", type=click.Choice(["6", "12", "24"]), default=None,
                  help="Months after graduation (default: the framework's, else 12).")
    @click.option("--framework", default=None, help="Framework file name, e.g. ban-pt.")
    @click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
                  show_default=True)
    @domain_errors_to_exit
    def indicators_command(institution_code: str, programme_code: str, cohort: int,
                           reference_months: str | None, framework: str | None,
                           fmt: str) -> None:
        """Print every indicator of one programme and cohort year."""
        from dataclasses import replace

        from app.alumni.models import Institution, Programme
        from app.extensions import db
        from app.reports.frameworks import FrameworkError, get_framework
        from app.reports.indicators import Params, all_indicators, make_selection

        institution = db.session.scalar(select(Institution).where(
            Institution.code == institution_code.strip().upper()))
        if institution is None:
            raise click.ClickException(f"No institution with code {institution_code}.")
        programme = db.session.scalar(select(Programme).where(
            Programme.institution_id == institution.id,
            Programme.code == programme_code.strip()))
        if programme is None:
            raise click.ClickException(
                f"No programme {programme_code} at {institution.code}.")
        params, months = Params(), 12
        if framework:
            try:
                chosen = get_framework(framework)
            except FrameworkError as exc:
                raise click.ClickException(str(exc)) from exc
            params, months = chosen.params, chosen.reference_months
        if reference_months:
            months = int(reference_months)
        sel = make_selection(institution, programme, cohort, months, replace(params))
        results = [r.as_dict() for r in all_indicators(sel)]
        for r in results:
            for key in ("value", "numerator", "denominator"):
                r[key] = _number(r[key])
        if fmt == "json":
            click.echo(json.dumps({
                "institution": institution.code, "programme": programme.code,
                "cohort": cohort, "reference_months": months, "framework": framework,
                "indicators": results}, ensure_ascii=False))
            return
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(results)
        click.echo(out.getvalue(), nl=False)

    app.cli.add_command(group)
