"""Fixtures for the import tests: files on disk, a context, and a plan-and-commit helper."""

from __future__ import annotations

import pytest


@pytest.fixture
def import_folder(app, tmp_path):
    folder = tmp_path / "imports"
    app.config["IMPORT_FOLDER"] = str(folder)
    yield folder
    for key in ("IMPORT_FOLDER", "IMPORT_MAX_BYTES", "IMPORT_MAX_ROWS", "IMPORT_JOB_THRESHOLD"):
        app.config.pop(key, None)


@pytest.fixture
def officer(world):
    return world.users["officer"]


@pytest.fixture
def run_plan(world, officer, import_folder):
    """run_plan(csv_text, commit=False) -> Plan for the home institution, as the officer."""
    from app.extensions import db
    from app.imports import pipeline as P

    def run(text: str | bytes, *, commit: bool = False, name: str = "alumni.csv",
            mapping: dict | None = None):
        data = text.encode("utf-8") if isinstance(text, str) else text
        raw, _ = P.read_table(data, name)
        kind = P.get_kind("alumni")
        headers = [c for c in raw.columns if c != "_row"]
        ctx = P.ImportContext(world.home, officer)
        plan = P.plan_frame(raw, mapping or P.suggest_mapping(headers, kind, world.home.id),
                            kind, ctx)
        if commit:
            P.commit_plan(plan, kind, ctx)
            db.session.commit()
        return plan

    return run
