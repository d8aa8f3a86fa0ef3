"""Helpers shared by the exchange pages."""

from __future__ import annotations

from flask import flash, render_template
from flask_login import current_user
from sqlalchemy import select

from app.alumni.models import INSTITUTION_KINDS, QUALIFICATION_LEVELS, STUDY_AREAS, Institution
from app.core.countries import country_name
from app.core.errors import DomainError, ValidationFailed
from app.core.permissions import scope
from app.exchange.models import (
    AGREEMENT_STATUSES,
    DIRECTIONS,
    MODES,
    PARTICIPATION_STATUSES,
    PERFORMANCE_RESULTS,
    ROUNDING_MODES,
    ExchangeBatch,
)
from app.extensions import db

LABELS = {"modes": MODES, "agreement_statuses": AGREEMENT_STATUSES, "directions": DIRECTIONS,
          "statuses": PARTICIPATION_STATUSES, "results": PERFORMANCE_RESULTS,
          "areas": STUDY_AREAS, "levels": QUALIFICATION_LEVELS, "kinds": INSTITUTION_KINDS,
          "rounding": ROUNDING_MODES}


def render(template: str, **context):
    return render_template(template, L=LABELS, country_name=country_name, **context)


def flash_error(exc: DomainError) -> None:
    message = exc.message
    if isinstance(exc, ValidationFailed):
        message = " ".join(m for ms in exc.field_errors.values() for m in ms)
    flash(message, "danger")


def batches():
    return list(db.session.scalars(scope(select(ExchangeBatch), ExchangeBatch, current_user)
                                   .order_by(ExchangeBatch.year.desc(),
                                             ExchangeBatch.batch_number.desc())))


def all_institutions() -> list[Institution]:
    return list(db.session.scalars(select(Institution).order_by(Institution.code)))
