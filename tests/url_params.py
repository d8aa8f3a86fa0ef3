"""How the page-access test fills URL parameters: one entry per parameter name.

Each entry builds (or picks) a record of the HOME institution in `world` and returns the value
for the URL; `owned` says the record belongs to an institution, so an officer of another
institution must not reach it (404). A feature that adds a route with a new parameter adds its
entry here; the access test fails, naming the parameter, until it does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Param:
    make: Callable[[Any], Any]  # world -> value
    owned: bool = True


def _correction(world):
    from app.alumni.models import CorrectionRequest
    from app.extensions import db

    req = CorrectionRequest(alumnus_id=world.alumnus.id, institution_id=world.home.id,
                            field="given_name", message="Spelling of my name")
    db.session.add(req)
    db.session.commit()
    return req.id


def _job(world):
    from app.core.jobs import Job
    from app.extensions import db

    job = Job(kind="demo", handler="x:y", status="done", institution_id=world.home.id,
              created_by_id=world.users["officer"].id)
    db.session.add(job)
    db.session.commit()
    return job.id


URL_PARAMS: dict[str, Param] = {
    # register and administration
    "alumnus_id": Param(lambda w: w.alumnus.id),
    "institution_id": Param(lambda w: w.home.id),
    "programme_id": Param(lambda w: w.programme.id),
    "user_id": Param(lambda w: w.users["quality"].id, owned=False),
    "request_id": Param(_correction),
    "job_id": Param(_job),
    # one-time links: an unknown token gets a clear page for everyone
    "token": Param(lambda w: "not-a-real-token", owned=False),
}
