"""Home page and job progress."""

from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user

from app.core.job_words import job_words
from app.core.jobs import Job, job_state, may_read_job
from app.core.permissions import ALUMNUS, STAFF_READ, public, roles_required
from app.extensions import db
from app.main import bp


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role == ALUMNUS:
        return redirect(url_for("alumni.me"))
    return redirect(url_for("alumni.dashboard"))


@bp.route("/favicon.ico")
@public
def favicon():
    """Browsers ask for /favicon.ico on pages without an icon link (a PDF, a JSON answer)."""
    return current_app.send_static_file("favicon.svg")


def _job_for_user(job_id: int) -> Job:
    job = db.get_or_404(Job, job_id)
    if not may_read_job(job, current_user):
        abort(404)
    return job


@bp.route("/jobs/<int:job_id>")
@roles_required(*STAFF_READ)
def job_page(job_id: int):
    job = _job_for_user(job_id)
    return render_template("main/job.html", job=job, state=job_state(job))


@bp.route("/jobs/<int:job_id>.json")
@roles_required(*STAFF_READ)  # jobs are started by staff; alumni never read one
def job_json(job_id: int):
    job = _job_for_user(job_id)
    state = job_state(job)
    return jsonify({**state, **job_words(job.kind, state)})


@bp.app_template_global("job_words")
def job_words_for_page(kind: str, state: dict) -> dict:
    """The job page's words (every page that extends main/job.html)."""
    return job_words(kind, state)
