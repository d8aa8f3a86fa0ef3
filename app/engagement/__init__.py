"""Events and participation, the alumnus timeline, engagement score and rate."""

from flask import Blueprint

from app.core.i18n import N_
from app.core.nav import ENGAGEMENT, add_nav
from app.core.permissions import ALUMNUS, STAFF_READ

bp = Blueprint("engagement", __name__)

add_nav(N_("Events"), "engagement.event_index", STAFF_READ, order=55, group=ENGAGEMENT)
add_nav(N_("Engagement rate"), "engagement.rate", STAFF_READ, order=56, group=ENGAGEMENT)
add_nav(N_("My events"), "engagement.my_events", (ALUMNUS,), order=20)
