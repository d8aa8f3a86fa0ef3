"""The "alumni records written" hook: features that hold rows keyed by an alumnus's student
number (exchange participations) learn that alumni were added or renumbered, and catch up.

Every path that writes alumni calls `alumni_written(...)` after its flush, in its transaction:
the register (`create_alumnus`, `update_alumnus`) and the import pipeline (kinds with
`writes_alumni`). Features subscribe in their `hooks.py` with `on_alumni_written(fn)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# fn(institution_id, student_numbers or None for "any of the institution", actor)
AlumniWrittenHook = Callable[[int, list[str] | None, Any], None]
_HOOKS: list[AlumniWrittenHook] = []


def on_alumni_written(hook: AlumniWrittenHook) -> None:
    """Subscribe to alumni records written (idempotent)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)


def alumni_written(institution_id: int, student_numbers: Iterable[str] | None = None, *,
                   actor: Any = None) -> None:
    """Tell the subscribers that alumni of the institution were written (these student
    numbers, or any when None); call it after the flush, inside the writing transaction."""
    numbers = None if student_numbers is None else [n for n in student_numbers if n]
    if numbers == []:
        return
    for hook in _HOOKS:
        hook(institution_id, numbers, actor)
