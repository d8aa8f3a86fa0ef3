"""Demo data. Each feature may have a `demo.py` with `ORDER: int` and `seed(ctx)`;
`flask seed-demo` runs them in order (the register is 10), sharing one SeedContext."""

from __future__ import annotations

import random
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
