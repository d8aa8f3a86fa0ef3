"""Registrar imports (preview, commit), possible duplicates and merges, register exports."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import REGISTER, add_nav
from app.core.permissions import STAFF_READ

bp = Blueprint("imports", __name__)
add_nav(N_("Import"), "imports.index", STAFF_READ, order=20, group=REGISTER)
add_nav(N_("Duplicates"), "imports.duplicates", STAFF_READ, order=21, group=REGISTER)
