"""Past tracer studies in and out: the import kind "tracer" (`kind`; the file's columns and
words in `columns` and `values`, the preview in `plan`, the write in `commit`) and the export
of a survey's answers in Indonesia's national upload layout (`national`).

`register()` makes the kind known to the import pipeline."""

from __future__ import annotations


def register() -> None:
    """Add kind "tracer" to the import wizard, `flask import` and the jobs."""
    from app.employment.tracer_import.kind import TRACER_KIND
    from app.imports.pipeline import register_kind

    register_kind(TRACER_KIND)
