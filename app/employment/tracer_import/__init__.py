"""Past tracer studies in and out: the import kind "tracer" (`kind`; the file's columns and
words in `columns` and `values`, the preview in `plan`, the write in `commit`) and the export
of a survey's answers in Indonesia's national upload layout (`national`).

`app/employment/hooks.py` makes the kind known to the import pipeline."""

from __future__ import annotations
