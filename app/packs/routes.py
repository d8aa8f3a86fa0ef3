"""The Reports page (build a pack, the kept snapshots), a build's progress, a snapshot's files
and their verification. No route changes or deletes a snapshot."""

from __future__ import annotations

import base64
import hashlib
import re

from flask import (
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from app.alumni.pages import working_institution_or_404
from app.core.errors import NotFound, ValidationFailed, apply_to_form
from app.core.headers import CONTENT_SECURITY_POLICY
from app.core.i18n import LANGUAGES, N_, current_language
from app.core.jobs import Job, job_state, may_read_job
from app.core.permissions import STAFF_READ, get_scoped_or_404, roles_required
from app.extensions import db
from app.packs import bp, services
from app.packs.forms import PackForm
from app.packs.models import ReportSnapshot
from app.reports.frameworks import framework_word, frameworks
from app.reports.services import programmes_of

# a build's status in the list of packs being built (translated where shown)
JOB_WORDS = {"queued": N_("waiting to start"), "running": N_("being built"),
             "done": N_("built"), "failed": N_("failed")}


def _form(institution) -> PackForm:
    return PackForm(programmes=programmes_of(institution),
                    frameworks=list(frameworks().values()))


@bp.route("/reports", methods=["GET", "POST"])
@roles_required(*STAFF_READ)
def reports():
    institution = working_institution_or_404()
    form = _form(institution)
    if request.method == "GET" and not form.cohorts.data:
        from app.reports.services import cohort_years_of

        known = cohort_years_of(institution)  # newest first
        if known:  # the three cohort years accreditors ask for, ending with the newest
            form.cohorts.data = f"{known[0] - 2}-{known[0]}"
    if request.method == "GET":  # the pack in the reader's language unless they choose
        form.language.data = current_language()
    if form.validate_on_submit():
        try:
            months = form.reference_months.data
            pack = services.check_request(
                institution, form.framework.data, form.programme_ids.data or [],
                services.parse_years(form.cohorts.data), int(months) if months else None,
                form.formats.data or [], form.language.data or current_language())
            job = services.request_pack(pack, form.formats.data, actor=current_user,
                                        base_url=request.host_url)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_to_form(form, exc)
        else:
            return redirect(url_for("packs.build", job_id=job.id))
    return render_template(
        "packs/reports.html", institution=institution, form=form,
        snapshots=services.snapshots_for(current_user, institution.id),
        builds=services.running_builds(current_user), job_words=JOB_WORDS,
        framework_word=framework_word)


@bp.route("/reports/builds/<int:job_id>")
@roles_required(*STAFF_READ)
def build(job_id: int):
    job = db.get_or_404(Job, job_id)
    if not may_read_job(job, current_user):
        abort(404)
    if job.kind != services.JOB_KIND:
        return redirect(url_for("main.job_page", job_id=job.id))
    state = job_state(job)
    snapshot_id = (job.result or {}).get("snapshot_id")
    return render_template("packs/build.html", job=job, state=state, snapshot_id=snapshot_id)


@bp.route("/reports/snapshots/<int:snapshot_id>")
@roles_required(*STAFF_READ)
def snapshot(snapshot_id: int):
    found = get_scoped_or_404(ReportSnapshot, snapshot_id)
    checks = None
    if request.args.get("verify"):
        try:
            checks = services.verify_snapshot(found)
        except NotFound:
            abort(404)
    return render_template("packs/snapshot.html", snapshot=found, checks=checks,
                           languages=LANGUAGES, framework_word=framework_word)


def _stored(snapshot_id: int, fmt: str):
    found = get_scoped_or_404(ReportSnapshot, snapshot_id)
    stored = next((f for f in found.files if f.fmt == fmt), None)
    if stored is None:
        abort(404)
    try:
        path = services.file_path(found, stored)
    except NotFound:
        abort(404)
    if not path.is_file():
        abort(404)
    return found, stored, path


@bp.route("/reports/snapshots/<int:snapshot_id>/files/<fmt>")
@roles_required(*STAFF_READ)
def download(snapshot_id: int, fmt: str):
    """The stored file as it was built (an attachment); each download is in the audit log."""
    found, stored, path = _stored(snapshot_id, fmt)
    services.record_download(found, stored, actor=current_user)
    db.session.commit()
    return send_file(path, mimetype=stored.media_type, as_attachment=True,
                     download_name=stored.name, max_age=0)


STYLE = re.compile(rb"<style>(.*?)</style>", re.S)


@bp.route("/reports/snapshots/<int:snapshot_id>/view")
@roles_required(*STAFF_READ)
def view(snapshot_id: int):
    """The stored HTML pack shown in the browser. Its one style block is allowed by its hash;
    it has no script, and its charts are images inside it. Opening it is audited as a
    download (the page can be saved)."""
    found, stored, path = _stored(snapshot_id, "html")
    body = path.read_bytes()
    services.record_download(found, stored, actor=current_user)
    db.session.commit()
    policy = dict(CONTENT_SECURITY_POLICY)
    match = STYLE.search(body)
    if match:
        digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
        policy["style-src"] = f"'self' 'sha256-{digest}'"
    response = Response(body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = "; ".join(
        f"{k} {v}" for k, v in policy.items())
    return response


def _own_policy(view_function) -> None:
    # Flask-Talisman reads per-view options from the view: leave this page's policy alone.
    view_function.talisman_view_options = {"content_security_policy": None}


_own_policy(view)



@bp.route("/dashboard/panels/<int:panel_id>/<key>.svg")
@roles_required(*STAFF_READ)
def trend_chart(panel_id: int, key: str):
    """One small trend chart of the landing page, as it was drawn at the last refresh."""
    from app.packs.models import DashboardPanel

    panel = get_scoped_or_404(DashboardPanel, panel_id)
    svg = (panel.charts or {}).get(key)
    if svg is None:
        abort(404)
    return Response(svg, mimetype="image/svg+xml")


@bp.route("/dashboard/refresh", methods=["POST"])
@roles_required(*STAFF_READ)
def refresh_figures():
    """Count the landing page's figures again, in the background."""
    from flask import flash
    from flask_babel import gettext

    from app.packs.dashboard import request_refresh

    institution = working_institution_or_404()
    job = request_refresh(institution.id, actor=current_user)
    db.session.commit()
    flash(gettext("The figures are being counted again; they appear here when ready.") if job
          else gettext("The figures are already being counted again."), "info")
    return redirect(url_for("alumni.dashboard"))
