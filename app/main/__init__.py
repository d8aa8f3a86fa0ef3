"""Home page per role and background-job status."""

from flask import Blueprint

bp = Blueprint("main", __name__)
