"""`flask privacy apply-retention [--dry-run]`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

privacy_group = AppGroup("privacy", help="Privacy: retention of personal data.")


@privacy_group.command("apply-retention")
@click.option("--dry-run", is_flag=True, help="Count what would be anonymised or deleted; "
                                              "change nothing.")
def apply_retention_command(dry_run: bool) -> None:
    """Anonymise or delete what has passed its retention period, and say how many."""
    from app.extensions import db
    from app.privacy.retention import apply_retention

    results = apply_retention(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would be" if dry_run else "were"
    for r in results:
        if r.days <= 0:
            click.echo(f"{r.rule.name}: switched off")
            continue
        click.echo(f"{r.rule.name}: {r.count:,} {verb} {r.rule.outcome} "
                   f"({r.rule.records}, kept {r.days:,} days)")
    if dry_run:
        click.echo("Dry run: nothing was changed.")


def register(app: Flask) -> None:
    app.cli.add_command(privacy_group)
