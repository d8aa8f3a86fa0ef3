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
from app.core.jobs import job_state
from app.core.permissions import STAFF_READ, roles_required
from app.core.spreadsheet import XLSX_MIMETYPE
from app.extensions import db
from app.imports import bp, exports
from app.imports.export_job import (
    register_workbook_job_or_404,
    register_workbook_path,
    start_register_workbook,
)


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
    return render_template("imports/export_job.html", job=job, state=job_state(job),
                           file_kept=register_workbook_path(job) is not None)


@bp.route("/imports/export/jobs/<int:export_id>/alumni-register.xlsx")
@roles_required(*STAFF_READ)
def export_job_file(export_id: int):
    job = register_workbook_job_or_404(export_id)
    path = register_workbook_path(job)
    if path is None:  # not written yet, or removed since: the job's page says which
        return redirect(url_for("imports.export_job", export_id=job.id))
    return send_file(path, mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name="alumni-register.xlsx")
