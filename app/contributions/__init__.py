"""Contributions of money and in kind, receipts and acknowledgements, linkages."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import ENGAGEMENT, add_nav
from app.core.permissions import STAFF_READ

bp = Blueprint("contributions", __name__)

add_nav(N_("Contributions"), "contributions.index", STAFF_READ, order=50, group=ENGAGEMENT)
