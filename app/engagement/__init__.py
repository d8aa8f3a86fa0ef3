"""Events and participation, the alumnus timeline, engagement score and rate."""

from flask import Blueprint

bp = Blueprint("engagement", __name__)
