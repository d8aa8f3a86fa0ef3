"""The alumni directory: signed-in alumni find alumni of their institution who chose to be
listed, and see only the fields each of them chose to show."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import add_nav
from app.core.permissions import ALUMNUS

bp = Blueprint("directory", __name__, url_prefix="/directory")
add_nav(N_("Directory"), "directory.index", (ALUMNUS,), order=20)
