"""Alumni mentors, students as mentees, mentorships and their sessions."""

from flask import Blueprint

bp = Blueprint("mentoring", __name__)
