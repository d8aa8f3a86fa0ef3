"""Employers, employment history, tracer surveys and employer satisfaction surveys."""

from flask import Blueprint

bp = Blueprint("employment", __name__)
