"""The register as CSV or XLSX, with the register page's filters."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.alumni.pages import register_filters_from_args as _filters_from_args
from app.alumni.services import search_alumni
from app.core.permissions import STAFF_READ, roles_required
from app.extensions import db
from app.imports import bp, exports


@bp.route("/imports/export")
@roles_required(*STAFF_READ)
def export():
    filters = _filters_from_args()
    words = exports.describe_filters(request.args, actor=current_user)
    count = 0 if words.unmatched else db.session.scalar(
        select(db.func.count()).select_from(
            search_alumni(filters, actor=current_user).order_by(None).subquery()))
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
    if fmt == "csv":
        body, mimetype = exports.export_csv(filters, actor=current_user), "text/csv"
    elif fmt == "xlsx":
        body = exports.export_xlsx(filters, actor=current_user)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="alumni-register.{fmt}"'})


