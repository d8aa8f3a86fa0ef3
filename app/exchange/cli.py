"""`flask exchange …`: link exchange participants to alumni records."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from app.core.cli_helpers import domain_errors_to_exit


def register(app: Flask) -> None:
    group = click.Group("exchange", help="SEAMEO TVET exchange records.")

    @group.command("link-alumni")
    @click.option("--institution", "code", default=None,
                  help="Institution code (default: every institution).")
    @domain_errors_to_exit
    def link_alumni(code: str | None) -> None:
        """Link participants to the alumni of their sending institution by student number."""
        from app.alumni.models import Institution
        from app.exchange.services import link_exchange_alumni
        from app.extensions import db

        stmt = select(Institution).order_by(Institution.code)
        if code:
            stmt = stmt.where(Institution.code == code.strip().upper())
        institutions = list(db.session.scalars(stmt))
        if not institutions:
            raise click.ClickException(f"No institution with code {code}.")
        total = 0
        for institution in institutions:
            total += link_exchange_alumni(institution.id)
        db.session.commit()
        click.echo(f"Linked {total} participation{'' if total == 1 else 's'} to alumni records.")

    app.cli.add_command(group)
