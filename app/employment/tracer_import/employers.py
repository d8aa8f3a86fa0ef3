"""Employers named by imported answers, matched or added as the web form's answers are
(`app.employment.services.match_or_create_employer`), for many answers at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select, update

from app.core.db import utcnow
from app.employment.models import Employer
from app.employment.services import normalise_employer_name
from app.extensions import db
from app.imports.pipeline.bulk import insert_rows

_GAPS = ("employer_type", "isic_section", "country", "city")


def employer_ids(institution_id: int, answers: list[dict[str, Any]]) -> dict[str, int]:
    """Employer name as answered -> employer id. In answer order, as one answer after the
    other would: a known normalised name is that employer (the lowest id), whose blank type,
    sector, country and city the answers fill in; a new one is added with the first answer's
    name and details, later answers filling its gaps."""
    named = [a for a in answers if a.get("employer_name")]
    if not named:
        return {}
    keys = {name: normalise_employer_name(name) for name in {a["employer_name"] for a in named}}
    wanted = set(keys.values())
    known: dict[str, dict[str, Any]] = {}
    # The institution's whole list (a few thousand names), not an IN of every name.
    for row in db.session.execute(
            select(Employer.id, Employer.normalised_name, *(getattr(Employer, g) for g in _GAPS))
            .where(Employer.institution_id == institution_id).order_by(Employer.id.desc())):
        if row.normalised_name in wanted:
            known[row.normalised_name] = {"id": row.id, **{g: getattr(row, g) for g in _GAPS}}
    before = {k: dict(v) for k, v in known.items()}
    added: dict[str, dict[str, Any]] = {}
    for a in named:
        key = keys[a["employer_name"]]
        details = {"employer_type": a.get("employer_type"), "isic_section": a.get("isic_section"),
                   "country": a.get("work_country"), "city": a.get("work_city")}
        target = known.get(key) or added.get(key)
        if target is None:
            added[key] = {"name": a["employer_name"].strip(), **details}
            continue
        for g in _GAPS:
            target[g] = target[g] or details[g]
    gaps = [{"b_id": v["id"], **{f"v_{g}": v[g] for g in _GAPS}} for k, v in known.items()
            if v != before[k]]
    now = utcnow()
    if gaps:
        table = Employer.__table__
        db.session.execute(update(table).where(table.c.id == bindparam("b_id"))
                           .values({**{g: bindparam(f"v_{g}") for g in _GAPS},
                                    "updated_at": now})
                           .execution_options(synchronize_session=False), gaps)
    if added:
        items = list(added.items())
        insert_rows(Employer.__table__, {
            "institution_id": [institution_id] * len(items),
            "name": [v["name"] for _, v in items],
            "normalised_name": [k for k, _ in items],
            **{g: [v[g] for _, v in items] for g in _GAPS},
            "created_at": [now] * len(items), "updated_at": [now] * len(items)})
        for row in db.session.execute(
                select(Employer.id, Employer.normalised_name)
                .where(Employer.institution_id == institution_id).order_by(Employer.id.desc())):
            if row.normalised_name in added:
                known[row.normalised_name] = {"id": row.id}
    return {name: known[key]["id"] for name, key in keys.items()}
