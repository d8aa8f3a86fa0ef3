"""A job run in the web process (no Redis) yields the processor to the pages: its thread runs
at the lowest CPU priority, the request threads at the process's own."""

from __future__ import annotations

import os
import threading

from app.core.background import BACKGROUND_NICE
from app.core.jobs import Job, enqueue, wait_for_idle
from app.extensions import db


def report_priority(ctx, **params) -> dict:  # noqa: ANN001 - a job handler
    return {"nice": os.getpriority(os.PRIO_PROCESS, threading.get_native_id())}


def test_a_job_in_the_web_process_runs_at_the_lowest_priority(app, world):
    own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    job = enqueue("priority", "tests.core.test_background:report_priority",
                  institution_id=world.home.id)
    db.session.commit()
    wait_for_idle()
    db.session.expire_all()
    done = db.session.get(Job, job.id)
    assert done.status == "done", done.message
    assert done.result == {"nice": max(own, BACKGROUND_NICE)} and own < BACKGROUND_NICE
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == own
