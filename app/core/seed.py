"""Demo data: each feature adds a seeder; `flask seed-demo` runs them in order."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SeedContext:
    """What seeders share: a seeded random source, the demo institution and what was made."""

    rng: random.Random
    alumni_count: int
    institution: Any = None
    partner: Any = None
    programmes: list[Any] = field(default_factory=list)
    alumnus_ids: list[int] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, e-mail, password
    summary: list[str] = field(default_factory=list)


_SEEDERS: list[tuple[int, str, Callable[[SeedContext], None]]] = []


def add_seeder(name: str, func: Callable[[SeedContext], None], order: int = 100) -> None:
    """Register a demo-data step; lower orders run first (the register is order 10)."""
    if all(n != name for _, n, _ in _SEEDERS):
        _SEEDERS.append((order, name, func))


def run_seeders(ctx: SeedContext) -> SeedContext:
    for _, _, func in sorted(_SEEDERS, key=lambda s: (s[0], s[1])):
        func(ctx)
    return ctx
