"""Helpers shared by the exchange pages."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.alumni.models import INSTITUTION_KINDS, QUALIFICATION_LEVELS, STUDY_AREAS, Institution
from app.core.i18n import country_name_in_language
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
from app.reports.services import say  # a figure's title or definition as people read it

F = TypeVar("F")

LABELS = {"modes": MODES, "agreement_statuses": AGREEMENT_STATUSES, "directions": DIRECTIONS,
          "statuses": PARTICIPATION_STATUSES, "results": PERFORMANCE_RESULTS,
          "areas": STUDY_AREAS, "levels": QUALIFICATION_LEVELS, "kinds": INSTITUTION_KINDS,
          "rounding": ROUNDING_MODES}


def batch_label(batch: ExchangeBatch) -> str:
    """A batch's name with its year and number, in the page's language (the name as typed)."""
    return gettext("%(name)s (%(year)s, batch %(number)s)", name=batch.name, year=batch.year,
                   number=batch.batch_number)


def render(template: str, **context):
    return render_template(template, L=LABELS, country_name=country_name_in_language,
                           batch_label=batch_label, say=say, **context)


def batches():
    return list(db.session.scalars(scope(select(ExchangeBatch), ExchangeBatch, current_user)
                                   .order_by(ExchangeBatch.year.desc(),
                                             ExchangeBatch.batch_number.desc())))


def all_institutions() -> list[Institution]:
    return list(db.session.scalars(select(Institution).order_by(Institution.code)))


def batch_form(form_class: type[F], batch: ExchangeBatch, ours: str) -> F:
    """A form adding to `batch` with institution pickers; a fresh one has the batch's own
    institution on the `ours` side."""
    form = form_class(institutions=all_institutions())
    if request.method == "GET":
        getattr(form, ours).data = batch.institution_id
    return form


def render_batch_form(form: Any, batch: ExchangeBatch, title: str):
    """The page of a `batch_form`: back to the batch, and a way to add a missing partner first."""
    return render("exchange/form.html", form=form, title=title,
                  cancel=url_for("exchange.batch", batch_id=batch.id),
                  aside=url_for("exchange.partner_new", next=request.path))
