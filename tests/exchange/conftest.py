"""Exchange fixtures: a partner set-up around `world` and a helper to add participations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from app.exchange import services
from app.exchange.models import ExchangeBatch


@dataclass
class ExchangeWorld:
    world: object
    officer: object
    batch: ExchangeBatch
    partner_th: object
    partner_vn: object


@pytest.fixture
def xw(world, make_institution, db) -> ExchangeWorld:
    officer = world.users["officer"]
    th = make_institution(code="TH-POLY", name="Bangkok Polytechnic", country="TH")
    vn = make_institution(code="VN-COLL", name="Hà Nội Technical College", country="VN")
    batch = services.create_batch(
        services.BatchData(name="SEAMEO TVET Virtual Exchange", year=2022, batch_number=1,
                           mode="virtual", window_start=date(2022, 5, 16),
                           window_end=date(2022, 6, 24), coordinator="Dr. Somchai"),
        actor=officer)
    db.session.commit()
    return ExchangeWorld(world, officer, batch, th, vn)


@pytest.fixture
def add_participation(xw, db):
    """add_participation(number, status=..., **fields) -> a participation of xw.batch.

    Goes out to the Thai partner unless `incoming=True`; statuses are reached through the
    real transitions.
    """

    path = {"nominated": [], "accepted": ["accepted"],
            "in_progress": ["accepted", "in_progress"],
            "completed": ["accepted", "in_progress", "completed"]}

    def add(number: str, status: str = "nominated", *, incoming: bool = False,
            withdrawn_from: str | None = None, batch=None, partner=None, **fields):
        home = xw.world.home
        partner = partner or xw.partner_th
        data = services.ParticipationData(
            student_number=number, given_name=fields.pop("given_name", f"Given {number}"),
            family_name=fields.pop("family_name", "Family"),
            sending_institution_id=partner.id if incoming else home.id,
            receiving_institution_id=home.id if incoming else partner.id,
            study_area=fields.pop("study_area", "it"), hours=fields.pop("hours", Decimal(90)),
            **fields)
        p = services.create_participation(batch or xw.batch, data, actor=xw.officer)
        target = withdrawn_from if status == "withdrawn" else status
        for step in path[target or "nominated"]:
            services.change_status(p, step, actor=xw.officer)
        if status == "withdrawn":
            services.change_status(p, "withdrawn", actor=xw.officer)
        db.session.commit()
        return p

    return add
