"""Work a web process does beside its requests (a kept figure's recount, a job run in the
process when there is no Redis) yields the processor to those requests."""

from __future__ import annotations

import contextlib
import os
import threading

BACKGROUND_NICE = 19  # the lowest priority: the work waits for the requests


def yield_to_requests() -> None:
    """Run the calling thread at the lowest CPU priority (Linux: a thread's own nice value),
    so that it takes the processor only when the requests leave it free: the pages keep their
    pace, and the background work finishes a little later under load. Call it first thing in
    a thread of its own (the raise cannot be undone without privileges)."""
    # Not Linux, or not allowed: the thread runs at the process's priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
