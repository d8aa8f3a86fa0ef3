"""Curriculum feedback from alumni and advisory committees, and its review workflow."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)
