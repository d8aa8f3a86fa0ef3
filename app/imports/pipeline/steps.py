"""Preview and commit: map the columns, let the kind plan, write exactly the plan."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd

from app.core.errors import Conflict
from app.core.spreadsheet import csv_text
from app.imports.pipeline.kinds import (
    COUNT_WORDS,
    ImportContext,
    ImportKind,
    Plan,
    apply_mapping,
    check_mapping,
    get_kind,
)


@contextmanager
def few_collections() -> Iterator[None]:
    """Hold the cycle collector back while a big file is planned or written: the rows make
    millions of short-lived objects, which reference counting frees, and the collector's full
    passes over them cost about half of a 100,000-row commit. It resumes afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def plan_frame(raw: pd.DataFrame, mapping: dict[str, str], kind: ImportKind,
               ctx: ImportContext) -> Plan:
    """Map the columns and let the kind check every row; nothing is written."""
    mapping = check_mapping(mapping, kind)
    frame = apply_mapping(raw, mapping)
    with few_collections():
        plan = kind.plan(frame, ctx)
    plan.errors.sort(key=lambda e: (e.row, e.level, e.field))
    return plan


def rejected_frame(raw: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The rejected rows as they were in the file, with an `error` column to fix them by.

    Each problem is named by the field's label, as the preview page names it.
    """
    kind = get_kind(plan.kind)
    messages: dict[int, list[str]] = {}
    for e in plan.errors:
        if e.level == "error":
            column = kind.column(e.field)
            label = column.label if column is not None else e.field
            messages.setdefault(e.row, []).append(f"{label}: {e.message}")
    rows = raw[raw["_row"].isin(list(messages))]
    out = rows.drop(columns=["_row"]).copy()
    out["row"] = rows["_row"].to_numpy()
    out["error"] = [" | ".join(messages[r]) for r in rows["_row"]]
    return out


def write_rejected(raw: pd.DataFrame, plan: Plan, path: str) -> str | None:
    """Write the rejected rows CSV: UTF-8 with BOM, so spreadsheets read any script, and a
    cell that starts like a formula neutralised, as the register's export writes it (reading
    the file back takes the apostrophe off again)."""
    if not plan.reject:
        return None
    frame = rejected_frame(raw, plan)
    rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(csv_text(list(frame.columns), rows))
    return path


def commit_plan(plan: Plan, kind: ImportKind, ctx: ImportContext) -> dict[str, int]:
    """Write the plan; refuse if the written counts differ from the preview."""
    with few_collections():
        written = kind.commit(plan, ctx)
    expected = {"create": plan.create, "update": plan.update}
    got = {k: int(written.get(k, 0)) for k in expected}
    if got != expected:
        raise Conflict(
            f"The import would write {got}, not what the preview showed ({expected}); "
            "nothing was saved. Preview the file again."
        )
    return {**plan.counts, **{k: int(v) for k, v in written.items()}}


def describe_result(plan: Plan) -> str:
    if plan.changes_nothing:
        return "Nothing to change: every accepted row already matches the records."
    return (f"Created {plan.create:,}, updated {plan.update:,}, left {plan.unchanged:,} "
            f"unchanged, rejected {plan.reject:,}.")


def count_lines(plan: Plan) -> list[str]:
    """The preview counts, each with its word (the pages and the command show the same)."""
    return [f"{plan.counts[key]:>8,} {word}" for key, word in COUNT_WORDS]
