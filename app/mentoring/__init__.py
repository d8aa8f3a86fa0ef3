"""Alumni mentors, students as mentees, mentorships and their sessions."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import ENGAGEMENT, add_nav
from app.core.permissions import ALUMNUS, STAFF_READ

bp = Blueprint("mentoring", __name__)
add_nav(N_("Mentoring"), "mentoring.index", STAFF_READ, order=40, group=ENGAGEMENT)
add_nav(N_("Mentoring"), "mentoring.me", (ALUMNUS,), order=40)
