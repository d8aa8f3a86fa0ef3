"""`flask create-user`: accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask import Flask

from app.auth.services import STAFF_ROLES
from app.core.cli_helpers import domain_errors_to_exit


def _read_password() -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise click.UsageError("No password on standard input.")
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def register(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--role", type=click.Choice(STAFF_ROLES), required=True,
                  help="Staff roles only: alumni claim their profile from an invitation.")
    @click.option("--institution", "institution_code", help="Institution code (not for admins).")
    @click.option("--name", "full_name", default="", help="Full name shown in the app.")
    @domain_errors_to_exit
    def create_user_command(email: str, role: str, institution_code: str | None,
                            full_name: str) -> None:
        """Create an account; the password is prompted for, or read from standard input."""
        from app.alumni.institutions import institution_by_code
        from app.alumni.services import home_institution
        from app.auth.services import create_user
        from app.extensions import db

        institution = None
        if institution_code:
            institution = institution_by_code(institution_code)
            if institution is None:
                raise click.BadParameter(f"no institution with code {institution_code}",
                                         param_hint="--institution")
        elif role != "admin":
            institution = home_institution()
        password = _read_password()
        user = create_user(email, role, password, institution=institution, full_name=full_name)
        db.session.commit()
        where = f" at {institution.code}" if institution else ""
        click.echo(f"Created {user.role} account {user.email}{where}.")
