"""SEAMEO TVET exchange batches, partner agreements, participations and exchange alumni."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import add_nav
from app.core.permissions import STAFF_READ

bp = Blueprint("exchange", __name__)
add_nav(N_("Exchange"), "exchange.index", STAFF_READ, order=60)
