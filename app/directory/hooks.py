"""What the directory adds to the others: a profile for whoever chooses to be listed (on
"alumni records written"), and moving profiles when two records are merged."""

from __future__ import annotations

import contextlib

from app.alumni.written import on_alumni_written
from app.directory.models import DirectoryProfile
from app.directory.services import keep_profiles, merge_profiles


def register() -> None:
    """Called once by create_app (every registration is idempotent)."""
    on_alumni_written(keep_profiles)
    with contextlib.suppress(ImportError):
        from app.imports.services import register_merge_handler

        register_merge_handler(DirectoryProfile.__tablename__, merge_profiles)
