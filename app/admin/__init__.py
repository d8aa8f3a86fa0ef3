"""Administration: institutions, programmes, user accounts and the audit log."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import ADMINISTRATION, add_nav
from app.core.permissions import ADMIN

bp = Blueprint("admin", __name__, url_prefix="/admin")
add_nav(N_("Institutions"), "admin.institutions", (ADMIN,), order=90, group=ADMINISTRATION)
add_nav(N_("Users"), "admin.users", (ADMIN,), order=91, group=ADMINISTRATION)
add_nav(N_("Audit log"), "admin.audit", (ADMIN,), order=92, group=ADMINISTRATION)
add_nav(N_("Privacy notice"), "admin.privacy_notice", (ADMIN,), order=94, group=ADMINISTRATION)
