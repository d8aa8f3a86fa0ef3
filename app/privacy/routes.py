"""The alumnus's "My data" pages and the office's queue of privacy requests."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.alumni.forms import OFFICE_FIELD_LABELS
from app.alumni.models import CONSENT_PURPOSES
from app.alumni.pages import own_alumnus_or_404
from app.alumni.privacy import consent_summary
from app.core.db import today
from app.core.forms import ConfirmForm, commit_form, commit_or_flash
from app.core.i18n import format_date, format_number
from app.core.jobs import Job, job_state
from app.core.permissions import ALUMNUS, STAFF_READ, STAFF_WRITE, get_scoped_or_404, roles_required
from app.extensions import db
from app.privacy import bp, services
from app.privacy.export import download_path
from app.privacy.forms import ErasureForm, RefuseForm
from app.privacy.models import REQUEST_STATUSES, RightsRequest

# --- the alumnus ----------------------------------------------------------------------------


def _own_request_or_404(rights_request_id: int) -> RightsRequest:
    alumnus = own_alumnus_or_404()
    req = db.session.get(RightsRequest, rights_request_id)
    if req is None or req.alumnus_id != alumnus.id:
        abort(404)
    return req


@bp.route("/me/data")
@roles_required(ALUMNUS)
def me_rights():
    return _rights_page(ErasureForm())


def _rights_page(erasure_form: ErasureForm):
    alumnus = own_alumnus_or_404()
    requests = services.my_requests(alumnus)
    return render_template(
        "privacy/me_rights.html", alumnus=alumnus, requests=requests,
        downloads=[r for r in requests if r.kind == "download"][:5],
        erasure=next((r for r in requests if r.kind == "erasure" and r.status == "open"), None),
        corrections=services.my_corrections(alumnus), field_labels=OFFICE_FIELD_LABELS,
        consents=consent_summary(alumnus), purposes=CONSENT_PURPOSES, today=today(),
        statuses=REQUEST_STATUSES, due=services.due_date(alumnus),
        confirm=ConfirmForm(), erasure_form=erasure_form)


@bp.route("/me/data/copy", methods=["POST"])
@roles_required(ALUMNUS)
def me_request_download():
    alumnus = own_alumnus_or_404()
    if ConfirmForm().validate_on_submit():
        req = commit_or_flash(lambda: services.request_download(alumnus, actor=current_user))
        if req is not None:
            return redirect(url_for("privacy.me_download", rights_request_id=req.id))
    return redirect(url_for("privacy.me_rights"))


@bp.route("/me/data/copies/<int:rights_request_id>")
@roles_required(ALUMNUS)
def me_download(rights_request_id: int):
    req = _own_request_or_404(rights_request_id)
    job = db.session.get(Job, req.job_id) if req.job_id else None
    if job is None:
        abort(404)
    return render_template("privacy/me_download.html", req=req, job=job, state=job_state(job),
                           ready=download_path(req) is not None)


@bp.route("/me/data/copies/<int:rights_request_id>.json")
@roles_required(ALUMNUS)
def me_download_json(rights_request_id: int):
    req = _own_request_or_404(rights_request_id)
    job = db.session.get(Job, req.job_id) if req.job_id else None
    if job is None:
        abort(404)
    state = job_state(job)
    state["error"] = gettext("The copy could not be made.") if state["error"] else None
    # The alumnus's page speaks their language: the status in words, the job's own (English)
    # progress note left out.
    state["status_label"] = str(_copy_status(state["status"]))
    state["progress_text"] = gettext("%(done)s of %(total)s", done=format_number(state["done"]),
                                     total=format_number(state["total"])) \
        if state.get("total") else None
    state["message"] = None
    return jsonify(state)


def _copy_status(status: str) -> str:
    return {"queued": gettext("Waiting"), "running": gettext("Being made"),
            "done": gettext("Ready"), "failed": gettext("Failed")}.get(status, status)


@bp.route("/me/data/copies/<int:rights_request_id>/file")
@roles_required(ALUMNUS)
def me_download_file(rights_request_id: int):
    req = _own_request_or_404(rights_request_id)
    path = download_path(req)
    if path is None:
        flash(gettext("This copy is not there (not ready yet, or deleted after a week): ask for "
                      "a new one."), "warning")
        return redirect(url_for("privacy.me_rights"))
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=f"my-data-{req.created_at:%Y-%m-%d}.zip")


@bp.route("/me/data/withdraw/<purpose>", methods=["POST"])
@roles_required(ALUMNUS)
def me_withdraw(purpose: str):
    alumnus = own_alumnus_or_404()
    if purpose not in CONSENT_PURPOSES:
        abort(404)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: services.withdraw_consent(alumnus, purpose, actor=current_user),
            category="warning") is not None:
        flash(gettext("Done: from now on, no to “%(purpose)s”.",
                      purpose=gettext(CONSENT_PURPOSES[purpose])), "success")
    return redirect(url_for("privacy.me_rights") + "#choices")


@bp.route("/me/data/erase", methods=["POST"])
@roles_required(ALUMNUS)
def me_request_erasure():
    alumnus = own_alumnus_or_404()
    form = ErasureForm()
    if form.validate_on_submit():
        req = commit_form(form, lambda: services.request_erasure(
            alumnus, form.reason.data, actor=current_user))
        if req is not None:
            flash(gettext("Your request is with the alumni office. They answer by %(date)s.",
                          date=format_date(req.due_on, "long")), "success")
            return redirect(url_for("privacy.me_rights") + "#erase")
    return _rights_page(form)


# --- the office -----------------------------------------------------------------------------


@bp.route("/privacy/requests")
@roles_required(*STAFF_READ)
def queue():
    show_all = request.args.get("show") == "all"
    page = db.paginate(services.request_queue(current_user, show_all=show_all),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    jobs = {j.id: j for j in db.session.scalars(select(Job).where(
        Job.id.in_([r.job_id for r in page.items if r.job_id])))}
    return render_template("privacy/queue.html", page=page, jobs=jobs,
                           show="all" if show_all else "open",
                           counts=services.queue_counts(current_user), today=today(),
                           statuses=REQUEST_STATUSES, confirm=ConfirmForm(),
                           refuse_form=RefuseForm())


@bp.route("/privacy/requests/<int:rights_request_id>/erase", methods=["POST"])
@roles_required(*STAFF_WRITE)
def erase(rights_request_id: int):
    req = get_scoped_or_404(RightsRequest, rights_request_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: services.carry_out_erasure(req, actor=current_user),
            category="warning") is not None:
        flash(gettext("Erased: the record is anonymised and still counts in its cohort."),
              "success")
    return redirect(url_for("privacy.queue"))


@bp.route("/privacy/requests/<int:rights_request_id>/retry", methods=["POST"])
@roles_required(*STAFF_WRITE)
def retry(rights_request_id: int):
    req = get_scoped_or_404(RightsRequest, rights_request_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: services.retry_download(req, actor=current_user),
            category="warning") is not None:
        flash(gettext("The copy is being made again; the alumnus finds it on their page."),
              "success")
    return redirect(url_for("privacy.queue"))


@bp.route("/privacy/requests/<int:rights_request_id>/refuse", methods=["POST"])
@roles_required(*STAFF_WRITE)
def refuse(rights_request_id: int):
    req = get_scoped_or_404(RightsRequest, rights_request_id)
    form = RefuseForm()
    if form.validate_on_submit():
        if commit_or_flash(lambda: services.refuse_request(req, form.note.data,
                                                           actor=current_user),
                           category="warning") is not None:
            flash(gettext("Refused; the alumnus sees your reason."), "success")
    else:
        flash(gettext("Say why the request is refused."), "warning")
    return redirect(url_for("privacy.queue"))
