"""`flask report accreditation …` builds an evidence pack and keeps its snapshot;
`flask report verify SNAPSHOT_ID` checks the stored files against their checksums;
`flask report dashboard --institution CODE` counts the landing page's figures again. They join
the `report` group of app.reports."""

from __future__ import annotations

import shutil

import click
from flask import Flask

from app.core.cli_helpers import domain_errors_to_exit
from app.core.i18n import DEFAULT_LANGUAGE, LANGUAGES


def register(app: Flask) -> None:
    group = app.cli.commands.get("report")
    if group is None:  # app.reports makes the group; without it there is nothing to add to
        group = click.Group("report", help="Indicators and accreditation reports.")
        app.cli.add_command(group)

    @group.command("accreditation")
    @click.option("--institution", "institution_code", required=True, help="Institution code.")
    @click.option("--framework", required=True, help="Framework file name, e.g. ban-pt.")
    @click.option("--programme", "programme_codes", multiple=True,
                  help="Programme code (repeat for several; none: all programmes).")
    @click.option("--cohorts", required=True, help="Graduation years, e.g. 2022-2024.")
    @click.option("--reference-months", type=click.Choice(["6", "12", "24"]), default=None,
                  help="Months after graduation (default: the framework's).")
    @click.option("--format", "fmt", type=click.Choice(["html", "pdf", "xlsx", "csv"]),
                  required=True)
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
                  help="Where to write the file (the snapshot keeps its own copy).")
    @click.option("--built-by", default="command line", show_default=True,
                  help="Who builds it, as the cover names them.")
    @click.option("--language", type=click.Choice(list(LANGUAGES)), default=DEFAULT_LANGUAGE,
                  show_default=True, help="The language of the pack's fixed text (headings, "
                  "cover, notes); CSV headers stay English.")
    @domain_errors_to_exit
    def accreditation_command(institution_code, framework, programme_codes, cohorts,
                              reference_months, fmt, out, built_by, language) -> None:
        """Build an accreditation evidence pack, keep its snapshot, write the file."""
        from sqlalchemy import select

        from app.alumni.models import Institution, Programme
        from app.extensions import db
        from app.packs.services import build_snapshot, check_request, file_path, parse_years

        institution = db.session.scalar(select(Institution).where(
            Institution.code == institution_code.strip().upper()))
        if institution is None:
            raise click.ClickException(f"No institution with code {institution_code}.")
        ids = []
        for code in programme_codes:
            found = db.session.scalar(select(Programme.id).where(
                Programme.institution_id == institution.id, Programme.code == code.strip()))
            if found is None:
                raise click.ClickException(f"No programme {code} at {institution.code}.")
            ids.append(found)
        request = check_request(institution, framework, ids, parse_years(cohorts),
                                int(reference_months) if reference_months else None, [fmt],
                                language)
        snapshot = build_snapshot(request, (fmt,), built_by=built_by, built_by_id=None,
                                  progress=lambda step: click.echo(f"  {step}", err=True))
        db.session.commit()
        stored = snapshot.files[0]
        shutil.copyfile(file_path(snapshot, stored), out)
        click.echo(f"Snapshot {snapshot.id}: {out} ({stored.size:,} bytes, "
                   f"SHA-256 {stored.sha256}, language {language}).")

    @group.command("dashboard")
    @click.option("--institution", "institution_code", required=True, help="Institution code.")
    def dashboard_command(institution_code: str) -> None:
        """Count the landing page's figures of an institution again (e.g. hourly from cron)."""
        import time

        from sqlalchemy import select

        from app.alumni.models import Institution
        from app.extensions import db
        from app.packs.dashboard import refresh_dashboard

        institution = db.session.scalar(select(Institution).where(
            Institution.code == institution_code.strip().upper()))
        if institution is None:
            raise click.ClickException(f"No institution with code {institution_code}.")
        started = time.perf_counter()
        panels = refresh_dashboard(institution.id)
        db.session.commit()
        click.echo(f"{panels} panel(s) of {institution.code} counted in "
                   f"{time.perf_counter() - started:.1f} s.")

    @group.command("verify")
    @click.argument("snapshot_id", type=int)
    def verify_command(snapshot_id: int) -> None:
        """Check a snapshot's stored files against their SHA-256 checksums."""
        from app.extensions import db
        from app.packs.models import ReportSnapshot
        from app.packs.services import verify_snapshot

        snapshot = db.session.get(ReportSnapshot, snapshot_id)
        if snapshot is None:
            raise click.ClickException(f"No snapshot {snapshot_id}.")
        checks = verify_snapshot(snapshot)
        for check in checks:
            state = ("ok" if check.ok else "MISSING" if check.found is None else "CHANGED")
            click.echo(f"{state:8} {check.name}  {check.expected}")
        if not all(c.ok for c in checks):
            raise click.ClickException(f"Snapshot {snapshot_id} does not verify: a file was "
                                       "changed or is missing.")
        click.echo(f"Snapshot {snapshot_id} verifies: {len(checks)} file(s) as built.")
