"""Backup and restore of the whole database: `flask backup --out PATH`, `flask restore PATH`.

SQLite: the online backup API copies a consistent snapshot while the site runs, and restores
by copying the file back into the live database in one step. PostgreSQL: `pg_dump` in its
custom format, restored with `pg_restore --clean` in a single transaction (the client tools
of the server's major version must be installed: Debian's postgresql-client).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.engine import URL, Engine, make_url

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def backup_database(engine: Engine, out: Path) -> None:
    """Write a consistent copy of the database to `out` (a new file)."""
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file name.")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, partial)
        elif engine.dialect.name == "postgresql":
            _pg_run("pg_dump", engine.url, ["--format=custom", "--no-owner",
                                            f"--file={partial}"])
        else:
            raise BackupError(f"No backup for {engine.dialect.name} databases.")
        partial.rename(out)
    finally:
        partial.unlink(missing_ok=True)


def restore_database(engine: Engine, source: Path) -> None:
    """Replace every record in the database with those of a backup made by backup_database."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with source.open("rb") as f:
        header = f.read(16)
    engine.dispose()  # no pooled connection may hold a lock or a stale schema
    if engine.dialect.name == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite backup (this database is SQLite).")
        _sqlite_restore(engine, source)
    elif engine.dialect.name == "postgresql":
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError(f"{source} is not a pg_dump backup (this database is PostgreSQL).")
        _pg_run("pg_restore", engine.url, ["--clean", "--if-exists", "--no-owner",
                                           "--single-transaction", "--exit-on-error",
                                           str(source)], database_flag=True)
    else:
        raise BackupError(f"No restore for {engine.dialect.name} databases.")
    engine.dispose()


def _sqlite_backup(engine: Engine, out: Path) -> None:
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(out)
        try:
            raw.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        raw.close()


def _sqlite_restore(engine: Engine, source: Path) -> None:
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if backup.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is damaged (SQLite's quick_check failed).")
        raw = engine.raw_connection()
        try:
            backup.backup(raw.driver_connection)  # one step: all pages, under one lock
        finally:
            raw.close()
    finally:
        backup.close()


def _pg_run(tool: str, url: URL, args: list[str], *, database_flag: bool = False) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    url = make_url(url)
    env = dict(os.environ)
    if url.password:  # through the environment, not the command line others can read
        env["PGPASSWORD"] = str(url.password)
    target = url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)
    command = [tool, *args, f"--dbname={target}"] if database_flag else [tool, *args, target]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}")


def register(app: Flask) -> None:
    """`flask backup --out PATH` and `flask restore PATH`."""

    @app.cli.command("backup")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="The backup file to write (must not exist yet).")
    def backup(out: Path) -> None:
        """Write a consistent copy of the whole database to a new file."""
        from app.extensions import db

        try:
            backup_database(db.engine, out)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Backed up {db.engine.url.render_as_string(hide_password=True)} "
                   f"to {out} ({out.stat().st_size:,} bytes).")

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Do not ask before replacing the data.")
    def restore(source: Path, yes: bool) -> None:
        """Replace every record in the database with a backup's (stop the site first)."""
        from app.extensions import db

        where = db.engine.url.render_as_string(hide_password=True)
        if not yes:
            click.confirm(f"Replace every record in {where} with those in {source}?",
                          abort=True)
        db.session.remove()
        try:
            restore_database(db.engine, source)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Restored {where} from {source}.")
