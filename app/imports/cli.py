"""`flask import KIND FILE [--institution CODE] [--dry-run]`, and `flask find-duplicates`.

`import` is a click group with one subcommand per registered import kind
(`app.imports.pipeline.register_kind`), so a feature that registers kind "exchange" gets
`flask import exchange FILE` without touching this file. A feature that needs a command of
its own under the group can still add one: `from app.imports.cli import import_group` and
decorate with `@import_group.command("name")`.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.core.cli_helpers import domain_errors_to_exit


class ImportGroup(AppGroup):
    """Lists a subcommand per registered import kind, next to any added by hand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from app.imports.pipeline import kinds

        return sorted(set(super().list_commands(ctx)) | {k.name for k in kinds()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        from app.imports.pipeline import kinds

        if cmd_name in {k.name for k in kinds()}:
            return kind_command(cmd_name)
        return None


import_group = ImportGroup("import", help="Import a file (preview with --dry-run).")


def kind_command(kind_name: str) -> click.Command:
    """The `flask import KIND FILE` command for one kind of import."""
    from flask.cli import with_appcontext

    from app.imports.pipeline import get_kind

    kind = get_kind(kind_name)

    @click.command(kind_name, help=f"Import a file: {kind.label.lower()}. {kind.description}")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--institution", "institution_code", default=None,
                  help="Institution code (default: the home institution).")
    @click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
    @click.option("--rejected", "rejected_path", default=None,
                  help="Where to write the rejected rows (default: FILE-rejected.csv).")
    @click.option("--accept-key-changes", is_flag=True,
                  help="Write changes to the cohort, programme or graduation date of known "
                       "records (refused otherwise; check them with --dry-run first).")
    @with_appcontext
    @domain_errors_to_exit
    def command(file: str, institution_code: str | None, dry_run: bool,
                rejected_path: str | None, accept_key_changes: bool,
                **options: str | None) -> None:
        run_import_command(kind_name, file, institution_code, dry_run, rejected_path,
                           accept_key_changes=accept_key_changes, options=options)

    for option in reversed(kind.options):  # the kind's own settings: --reference-months ...
        choices = click.Choice([v for v, _ in option.choices]) if option.choices else None
        command = click.option(option.flag, option.name, type=choices, default=None,
                               required=option.required, help=option.help or option.label
                               )(command)
    return command


def run_import_command(kind_name: str, file: str, institution_code: str | None,
                       dry_run: bool, rejected_path: str | None = None, *,
                       accept_key_changes: bool = False,
                       options: dict[str, str | None] | None = None) -> None:
    """Preview (and unless --dry-run, commit) a file, printing the counts with their words."""
    from sqlalchemy import select

    from app.alumni.models import Institution
    from app.core.errors import ValidationFailed
    from app.extensions import db
    from app.imports import services
    from app.imports.pipeline import clean_options, count_lines, describe_result, get_kind

    if institution_code:
        institution = db.session.scalar(
            select(Institution).where(Institution.code == institution_code))
        if institution is None:
            raise click.BadParameter(f"no institution with code {institution_code}",
                                     param_hint="--institution")
    else:
        institution = db.session.scalar(select(Institution).where(Institution.is_home.is_(True)))
        if institution is None:
            raise click.UsageError("There is no home institution; name one with --institution.")
    kind = get_kind(kind_name)
    try:
        options = clean_options(kind, options)
    except ValidationFailed as exc:  # name the command's option, not the field
        flags = {o.name: o.flag for o in kind.options}
        raise click.UsageError(" ".join(f"{flags.get(name, name)}: {messages[0]}" for
                                        name, messages in exc.field_errors.items())) from exc
    result = services.import_file(file, kind_name, institution=institution, actor=None,
                                  dry_run=dry_run, rejected_path=rejected_path,
                                  accept_key_changes=accept_key_changes, options=options)
    plan = result.plan
    read = {h: kind.column(f).label for h, f in result.mapping.items() if kind.column(f)}
    left_out = [h for h, f in result.mapping.items() if not kind.column(f)]
    click.echo(f"{_counted(plan.rows_read, 'row')} read from {file} "
               f"({result.encoding or 'xlsx'}) for {institution.code}:")
    click.echo("Columns read: " + ", ".join(f"{h} → {label}" for h, label in read.items())
               + ".")
    if left_out:
        click.echo("Left out (not a field of this import): " + ", ".join(left_out) + ".")
    for line in count_lines(plan):
        click.echo(line)
    if plan.dropped_rows:
        click.echo(f"{_counted(len(plan.dropped_rows), 'row')} kept with a field left out "
                   "(see the warnings).")
    _echo_problems(plan, kind)
    _echo_key_changes(plan, kind)
    if result.rejected_path:
        click.echo(f"Rejected rows written to {result.rejected_path} "
                   "(fix them there and import that file).")
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was written.")
        return
    if result.batch is None:  # key changes not accepted
        db.session.rollback()
        raise click.ClickException(
            f"Nothing was written: the file changes the cohort, programme or graduation date "
            f"of {_counted(plan.key_changes, 'known record')}. Check them above and run again "
            "with --accept-key-changes, or correct the file.")
    db.session.commit()
    click.echo(f"Import {result.batch.id}: {describe_result(plan)}")


PROBLEMS_SHOWN = 20


def _counted(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _echo_problems(plan, kind) -> None:
    """The rejections, then the warnings, with their row and field as the preview page lists
    them (at most PROBLEMS_SHOWN in all); every rejected row is in the rejected rows file."""
    room = PROBLEMS_SHOWN
    for rejects, title, rest in (
            (True, "{} (a row with a problem is rejected):",
             ": every rejected row is in the rejected rows file with its error."),
            (False, "{} (a warning alone does not reject its row):", ".")):
        found = [e for e in plan.errors if (e.level == "error") == rejects]
        if not found:
            continue
        click.echo(title.format(_counted(len(found), "problem" if rejects else "warning")))
        for e in found[:room]:
            column = kind.column(e.field)
            click.echo(f"  row {e.row}, {column.label if column else e.field}: {e.message}")
        if len(found) > room:
            click.echo(f"  … and {len(found) - room:,} more{rest}")
        room = max(room - len(found), 0)


def _echo_key_changes(plan, kind) -> None:
    """The changes to key fields the register holds, which need --accept-key-changes."""
    if not plan.key_changes:
        return
    click.echo(f"{_counted(plan.key_changes, 'known record')} would change a key field "
               "(cohort, programme or graduation date); they are written only with "
               "--accept-key-changes:")
    key_changes = [c for c in plan.changes if c.get("key_field")]
    for c in key_changes[:PROBLEMS_SHOWN]:
        column = kind.column(c["field"])
        click.echo(f"  row {c['row']}, {c['key']}, {column.label if column else c['field']}: "
                   f"{c['before']} → {c['after']}")
    if len(key_changes) > PROBLEMS_SHOWN:
        click.echo(f"  … and {len(key_changes) - PROBLEMS_SHOWN:,} more.")


imports_group = AppGroup("imports", help="Import housekeeping.")


@imports_group.command("clean-files")
@click.option("--days", type=click.IntRange(0, None), default=None,
              help="Delete the files of imports older than this many days "
                   "(default: IMPORT_FILES_KEEP_DAYS, 30).")
def clean_files(days: int | None) -> None:
    """Delete uploaded import files, preview plans and rejected rows past the keeping period."""
    from app.imports.cleanup import clean_import_files, keep_days

    done = clean_import_files(days)
    click.echo(f"Deleted {_counted(done.files, 'file')} ({done.bytes / 2**20:,.1f} MB) of "
               f"{_counted(done.batches, 'import')} older than "
               f"{keep_days() if days is None else days} days.")


def register(app: Flask) -> None:
    app.cli.add_command(import_group)
    app.cli.add_command(imports_group)

    @app.cli.command("find-duplicates")
    @click.option("--institution", "institution_code", default=None)
    @domain_errors_to_exit
    def find_duplicates(institution_code: str | None) -> None:
        """Refresh the possible-duplicates queue of an institution."""
        from sqlalchemy import select

        from app.alumni.models import Institution
        from app.extensions import db
        from app.imports.duplicates import scan_duplicates

        stmt = select(Institution)
        stmt = (stmt.where(Institution.code == institution_code) if institution_code
                else stmt.where(Institution.is_home.is_(True)))
        institution = db.session.scalar(stmt)
        if institution is None:
            raise click.UsageError("No such institution.")
        found = scan_duplicates(institution, actor=None)
        db.session.commit()
        pairs = "possible duplicate" if found == 1 else "possible duplicates"
        click.echo(f"{found:,} {pairs} in the queue for {institution.code}.")
