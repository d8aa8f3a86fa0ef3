"""The generic import pipeline: read a file, map its columns, preview, then commit.

Every kind of import (registrar alumni lists here; exchange participants, employment records
elsewhere) goes through the same steps and gets the same things for free: CSV (UTF-8, UTF-8
with BOM, UTF-16, Windows-1252, TIS-620/cp874 detected, or refused) and XLSX read with pandas,
size/row/empty-file limits, header names recognised and the mapping remembered per
institution, a preview before anything is written, rejected rows as a CSV with an `error`
column, the import log (`ImportBatch`), a background job with a progress bar for long files,
the wizard pages (/imports/new?kind=NAME) and the command `flask import NAME FILE`.

Registering a kind
------------------
A feature describes its file once and registers it when its `routes` module is imported::

    from app.imports.pipeline import Column, ImportContext, ImportKind, Plan, register_kind

    def plan_exchange(frame: pd.DataFrame, ctx: ImportContext) -> Plan: ...
    def commit_exchange(plan: Plan, ctx: ImportContext) -> dict[str, int]: ...

    register_kind(ImportKind(
        name="exchange",
        label="Exchange participants",
        columns=(
            Column("student_number", "Student number", ("student id", "matric no"), key=True),
            Column("batch_code", "Exchange batch", ("batch",), required=True),
            ...
        ),
        plan=plan_exchange,
        commit=commit_exchange,
    ))

The contract:

* `plan(frame, ctx) -> Plan` gets one row per data row of the file. Its columns are the kind's
  field names that the file mapped (text, stripped; blanks are missing values) plus `_row`,
  the row number as the user sees it in a spreadsheet (the header is row 1). It checks every
  row with vectorised pandas operations, looks up what is already in the database, and returns
  a `Plan`: the counts (create, update, unchanged), `errors` (a `RowError` per problem with
  row, field and message; level "error" rejects the row, "warning" only reports it) and a
  `payload` with whatever the commit needs (plain values or DataFrames; it is pickled between
  the preview and the commit). It writes nothing.
* `commit(plan, ctx) -> dict` writes exactly the plan, with Core `insert()`/`update()`
  executemany through `db.session` (never `add_all` for bulk rows), and returns the counts
  written: {"create": n, "update": n, "unchanged": n}. It never commits; the caller (page,
  command or job) commits once, so a failure anywhere leaves the database as it was. If the
  database changed since the preview so the plan no longer holds, raise `Conflict` (or any
  `DomainError`) and everything rolls back. Report progress with `ctx.progress(done, total,
  message)`; write audit entries with `record_audit` (the pipeline adds one for the batch).
* `options` (optional): `KindOption`s the kind asks for besides the file (the tracer import's
  reference point); the mapping page shows them, `flask import KIND` takes them as `--name`
  options, the batch keeps them, and the plan reads them checked from `ctx.options`.
* `after_commit(ctx)` (optional) runs after a batch commit in the same transaction.
* A kind's `key=True` column must be in the file (else the file is refused before a preview).
  `required=True` columns need a value in a row: `plan` reports missing ones with
  `missing_required(frame, kind, only=mask)` (a mask, because an update may leave them out).

Helpers for plans: `missing_required(frame, fields)`, `parse_dates(series)` (and
`read_dates(series)`, which also says which dates were written in the Buddhist Era),
`repeated_in_file(series)`, `RowError`, and `errors_for(mask, frame, field, message)`, which
turns a boolean mask into row errors without a Python loop over clean rows.
"""

from __future__ import annotations

# The batch steps live in app.imports.batches; they are part of the interface too.
from app.imports.batches import (  # noqa: F401 - this package's interface
    commit_batch,
    finish_batch,
    load_plan,
    load_raw,
    preview_batch,
    record_plan,
    rejected_path,
    start_batch,
    stored_file_path,
)
from app.imports.pipeline.checks import (  # noqa: F401
    DATE_FORMATS,
    errors_for,
    missing_required,
    parse_dates,
    read_dates,
    repeated_in_file,
)
from app.imports.pipeline.kinds import (  # noqa: F401
    COUNT_WORDS,
    Column,
    ImportContext,
    ImportKind,
    KindOption,
    Plan,
    RowError,
    apply_mapping,
    check_mapping,
    clean_options,
    get_kind,
    header_key,
    kinds,
    register_kind,
    remember_mapping,
    suggest_mapping,
)
from app.imports.pipeline.steps import (  # noqa: F401
    commit_plan,
    count_lines,
    describe_result,
    plan_frame,
    rejected_frame,
    write_rejected,
)
from app.imports.reading import (  # noqa: F401
    DEFAULTS,
    ImportRefused,
    detect_encoding,
    import_folder,
    read_table,
    setting,
)
