"""Curriculum feedback from alumni and advisory committees, and its review workflow."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import ENGAGEMENT, add_nav
from app.core.permissions import ALUMNUS, STAFF_READ

bp = Blueprint("feedback", __name__)
add_nav(N_("Curriculum feedback"), "feedback.index", STAFF_READ, order=45, group=ENGAGEMENT)
add_nav(N_("Curriculum feedback"), "feedback.me", (ALUMNUS,), order=45)
