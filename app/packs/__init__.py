"""Accreditation evidence packs: built in the background, kept as immutable snapshots, listed on
the Reports page; and the figures dashboard of officers and quality staff."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import OUTCOMES, add_nav
from app.core.permissions import STAFF_READ

bp = Blueprint("packs", __name__)
add_nav(N_("Reports (evidence packs)"), "packs.reports", STAFF_READ, order=26, group=OUTCOMES)
