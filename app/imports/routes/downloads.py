"""The register as CSV or XLSX, with the register page's filters."""

from __future__ import annotations

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
from sqlalchemy import select

from app.alumni.pages import register_filters_from_args as _filters_from_args
from app.alumni.register import register_query
from app.core.audit import record_export
from app.core.jobs import job_state
from app.core.permissions import STAFF_READ, roles_required, sees_contacts
from app.core.spreadsheet import XLSX_MIMETYPE
from app.extensions import db
from app.imports import bp, exports
from app.imports.export_job import (
    may_download,
    register_workbook_job_or_404,
    register_workbook_path,
    start_register_workbook,
)


def _filter_words(args: dict) -> dict:
    """The filters an export was made with, for its audit entry (only those set)."""
    return {k: v for k, v in args.items() if v not in (None, "", False) and k != "page"}


@bp.route("/imports/export")
@roles_required(*STAFF_READ)
def export():
    filters = _filters_from_args()
    words = exports.describe_filters(request.args, actor=current_user)
    count = 0 if words.unmatched else db.session.scalar(
        select(db.func.count()).select_from(
            register_query(filters, actor=current_user).subquery()))
    args = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    return render_template("imports/export.html", filters=filters, count=count, args=args,
                           words=words)


@bp.route("/imports/export.<fmt>")
@roles_required(*STAFF_READ)
def export_file(fmt: str):
    if exports.describe_filters(request.args, actor=current_user).unmatched:
        # A filter that matches nothing never widens to the whole register.
        return redirect(url_for("imports.export", **request.args))
    filters = _filters_from_args()
    if fmt == "csv":  # written as it is read: the first bytes leave before the last row is read
        rows = db.session.scalar(select(db.func.count()).select_from(
            register_query(filters, actor=current_user).subquery()))
        record_export(current_user, "alumni-register.csv", rows,
                      institution_id=current_user.institution_id,
                      contacts=sees_contacts(current_user),
                      details={"filters": _filter_words(request.args)})
        db.session.commit()
        return Response(exports.export_csv_stream(filters, actor=current_user),
                        mimetype="text/csv", headers={
                            "Content-Disposition": 'attachment; filename="alumni-register.csv"'})
    if fmt != "xlsx":
        abort(404)
    # A workbook of the whole register takes seconds: built by a background job, with a
    # progress bar and a download link.
    job = start_register_workbook(filters, actor=current_user)
    db.session.commit()
    return redirect(url_for("imports.export_job", export_id=job.id))


@bp.route("/imports/export/jobs/<int:export_id>")
@roles_required(*STAFF_READ)
def export_job(export_id: int):
    job = register_workbook_job_or_404(export_id)
    allowed = may_download(job, current_user)
    return render_template("imports/export_job.html", job=job, state=job_state(job),
                           file_kept=allowed and register_workbook_path(job) is not None,
                           withheld=not allowed)


@bp.route("/imports/export/jobs/<int:export_id>/alumni-register.xlsx")
@roles_required(*STAFF_READ)
def export_job_file(export_id: int):
    job = register_workbook_job_or_404(export_id)
    path = register_workbook_path(job)
    if path is None or not may_download(job, current_user):
        # Not written yet, removed since, or holding contact details this reader may not see:
        # the job's page says which.
        return redirect(url_for("imports.export_job", export_id=job.id))
    record_export(current_user, "alumni-register.xlsx", int((job.result or {}).get("rows", 0)),
                  institution_id=job.institution_id,
                  contacts=bool((job.result or {}).get("contact_details", True)),
                  details={"filters": _filter_words((job.params or {}).get("filters", {}))})
    db.session.commit()
    return send_file(path, mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name="alumni-register.xlsx")
