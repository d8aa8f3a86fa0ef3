"""What privacy adds to the others: retention in the worker's daily housekeeping."""

from __future__ import annotations

from app.core.job_recovery import register_housekeeping


def register() -> None:
    from app.privacy.retention import apply_retention_daily

    register_housekeeping(apply_retention_daily)
