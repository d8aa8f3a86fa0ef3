"""Reading participations: the filtered list, an alumnus's exchanges, exchange alumni, and the
engagement source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from app.alumni.models import Alumnus
from app.alumni.text import fold
from app.core.db import contains_pattern
from app.core.panels import read_once
from app.core.permissions import scope
from app.exchange.models import ExchangeBatch, ExchangeParticipation
from app.extensions import db


@dataclass
class ParticipationFilters:
    """What the participations list is narrowed to (all optional)."""

    batch_id: int | None = None
    status: str | None = None
    direction: str | None = None
    study_area: str | None = None
    q: str = ""


def search_participations(filters: ParticipationFilters, *, actor: Any) -> Select:
    """The participations list for the actor's institution with filters applied."""
    stmt = scope(select(ExchangeParticipation), ExchangeParticipation, actor).options(
        joinedload(ExchangeParticipation.batch),
        joinedload(ExchangeParticipation.sending_institution),
        joinedload(ExchangeParticipation.receiving_institution),
    )
    if filters.batch_id:
        stmt = stmt.where(ExchangeParticipation.batch_id == filters.batch_id)
    if filters.status:
        stmt = stmt.where(ExchangeParticipation.status == filters.status)
    if filters.direction:
        stmt = stmt.where(ExchangeParticipation.direction == filters.direction)
    if filters.study_area:
        stmt = stmt.where(ExchangeParticipation.study_area == filters.study_area)
    searched = (func.lower(ExchangeParticipation.given_name),
                func.lower(func.coalesce(ExchangeParticipation.family_name, "")),
                func.lower(ExchangeParticipation.student_number))
    for token in filters.q.lower().split():
        pattern = contains_pattern(token)
        stmt = stmt.where(or_(*(column.like(pattern, escape="\\") for column in searched)))
    return stmt.order_by(ExchangeParticipation.family_name, ExchangeParticipation.given_name,
                         ExchangeParticipation.id)


def participations_of(alumnus: Alumnus) -> list[ExchangeParticipation]:
    """An alumnus's exchanges, newest first (read once for a page's panels and timeline)."""
    return read_once("exchange_participations", alumnus, lambda: list(db.session.scalars(
        select(ExchangeParticipation)
        .where(ExchangeParticipation.alumnus_id == alumnus.id)
        .options(joinedload(ExchangeParticipation.batch))
        .order_by(ExchangeParticipation.start_date.desc(), ExchangeParticipation.id.desc()))))


@cache
def _person():
    """An alias of the register made once (at first use, when every mapper is known): making
    one costs milliseconds (it adapts every column of the alumnus), and a request asking for
    the engagement lists builds this source twice."""
    return aliased(Alumnus, name="exchange_person")


def exchange_activity(institution_id: int, since: date, until: date, alumnus: Any = None
                      ) -> list[Select]:
    """Engagement source (SQL): (alumnus id, exchange start) of the institution's alumni whose
    exchange began in the window, dated like their timeline items (start, else core window)."""
    p, person = ExchangeParticipation, _person()  # aliased: never the outer alumnus
    when = func.coalesce(p.start_date, ExchangeBatch.window_start)
    stmt = (select(p.alumnus_id, when.label("day"))
            .join(ExchangeBatch, ExchangeBatch.id == p.batch_id)
            .join(person, person.id == p.alumnus_id)
            .where(person.institution_id == institution_id, when >= since, when <= until))
    return [stmt if alumnus is None else stmt.where(p.alumnus_id == alumnus)]


def engaged_alumni(institution_id: int, since: date, until: date) -> list[tuple[int, date]]:
    """(alumnus id, latest exchange start) of alumni whose exchange began in the window."""
    from app.engagement.services import latest_activity

    return latest_activity(exchange_activity(institution_id, since, until))


def has_exchange():
    """SQL condition on Alumnus: at least one exchange participation (an exchange alumnus)."""
    return exists().where(ExchangeParticipation.alumnus_id == Alumnus.id)


def exchange_alumni(*, actor: Any, q: str = "") -> Select:
    """Alumni of the actor's institution with at least one exchange participation."""
    has_exchange = exists().where(ExchangeParticipation.alumnus_id == Alumnus.id)
    stmt = scope(select(Alumnus), Alumnus, actor).where(has_exchange, Alumnus.archived_at.is_(None))
    for token in fold(q).split():
        stmt = stmt.where(Alumnus.search_text.like(contains_pattern(token), escape="\\"))
    return stmt.options(joinedload(Alumnus.programme)).order_by(
        Alumnus.family_name, Alumnus.given_name, Alumnus.id)
