"""Import wizard (upload → mapping → preview → commit), import log, exports, duplicates."""

from __future__ import annotations

import os

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from app.alumni.models import Alumnus, Institution
from app.alumni.services import SEARCH_MATCHERS, SORTS, RegisterFilters, search_alumni
from app.core.errors import DomainError, ValidationFailed
from app.core.jobs import Job, job_state
from app.core.permissions import ADMIN, STAFF_READ, STAFF_WRITE, get_scoped_or_404, roles_required
from app.extensions import db
from app.imports import bp, exports, services
from app.imports.batches import rejected_path
from app.imports.duplicates import dismiss_duplicate, open_candidates, scan_duplicates
from app.imports.forms import ConfirmForm, MergeForm, UploadForm
from app.imports.merge import MERGE_FIELDS, merge_alumni
from app.imports.models import DuplicateCandidate, ImportBatch, StudentNumberAlias
from app.imports.pipeline import COUNT_WORDS, get_kind, kinds

MERGE_LABELS = {
    "student_number": "Student number", "given_name": "Given name",
    "family_name": "Family name", "preferred_name": "Preferred name", "email": "E-mail",
    "phone": "Phone", "country": "Country", "city": "City", "gender": "Gender",
    "birth_date": "Birth date", "programme_id": "Programme", "graduation_date": "Graduation date",
    "award_date": "Award date", "cohort_year": "Cohort", "status": "Status",
}


def _alias_matcher(pattern: str):
    """Merged-away student numbers find the survivor in the register search."""
    return Alumnus.id.in_(select(StudentNumberAlias.alumnus_id).where(
        StudentNumberAlias.number_key.like(pattern, escape="\\")))


if _alias_matcher not in SEARCH_MATCHERS:
    SEARCH_MATCHERS.append(_alias_matcher)


def _institutions() -> list[Institution]:
    stmt = select(Institution).order_by(Institution.is_home.desc(), Institution.code)
    if current_user.role != ADMIN:
        stmt = stmt.where(Institution.id == current_user.institution_id)
    return list(db.session.scalars(stmt))


# --- the import log and the wizard ------------------------------------------------------


@bp.route("/imports/")
@roles_required(*STAFF_READ)
def index():
    page = db.paginate(services.batches_for(current_user),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("imports/index.html", page=page, kinds={k.name: k for k in kinds()})


@bp.route("/imports/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def upload():
    form = UploadForm()
    form.kind.choices = [(k.name, k.label) for k in kinds()]
    form.institution.choices = [(i.id, f"{i.code} — {i.name}") for i in _institutions()]
    if request.method == "GET" and request.args.get("kind"):
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        institution = db.session.get(Institution, form.institution.data)
        upload_file = form.file.data
        try:
            batch = services.upload_import(upload_file.read(), upload_file.filename or "upload",
                                           form.kind.data, institution=institution,
                                           actor=current_user)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            form.file.errors = [*form.file.errors, exc.message]
        else:
            flash(f"{batch.file_name}: {batch.rows_read:,} rows read. Check the columns.", "info")
            return redirect(url_for("imports.mapping", import_id=batch.id))
    max_mb = services.setting("IMPORT_MAX_BYTES") / (1024 * 1024)
    return render_template("imports/upload.html", form=form, kinds=kinds(), max_mb=max_mb,
                           max_rows=services.setting("IMPORT_MAX_ROWS"))


@bp.route("/imports/<int:import_id>/mapping", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def mapping(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    if batch.status not in ("uploaded", "previewed"):
        flash("This file has already been imported.", "info")
        return redirect(url_for("imports.batch", import_id=batch.id))
    kind = get_kind(batch.kind)
    headers = batch.headers or []
    chosen = dict(batch.mapping or {})
    error = None
    if request.method == "POST":
        chosen = {h: request.form.get(f"map-{i}", "") for i, h in enumerate(headers)}
        try:
            result = services.start_preview(batch, chosen, actor=current_user)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            if isinstance(result, Job):
                return redirect(url_for("imports.progress", import_id=batch.id))
            return redirect(url_for("imports.batch", import_id=batch.id))
    return render_template("imports/mapping.html", batch=batch, kind=kind, headers=headers,
                           chosen=chosen, error=error)


@bp.route("/imports/<int:import_id>")
@roles_required(*STAFF_READ)
def batch(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    job = services.batch_job(batch)
    return render_template(
        "imports/batch.html", batch=batch, kind=get_kind(batch.kind), job=job,
        job_state=job_state(job) if job else None, count_words=COUNT_WORDS,
        errors=(batch.errors or [])[:500], confirm=ConfirmForm(),
        has_rejected=os.path.exists(rejected_path(batch)) and batch.rejected > 0,
        needs_job=services.needs_job(batch),
    )


@bp.route("/imports/<int:import_id>/commit", methods=["POST"])
@roles_required(*STAFF_WRITE)
def commit(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = services.start_import(batch, actor=current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("imports.batch", import_id=batch.id))
    if isinstance(result, Job):
        flash("The import is running; this page shows its progress.", "info")
        return redirect(url_for("imports.progress", import_id=batch.id))
    flash(batch.message or "Imported.", "success")
    return redirect(url_for("imports.batch", import_id=batch.id))


@bp.route("/imports/<int:import_id>/progress")
@roles_required(*STAFF_READ)
def progress(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    job = services.batch_job(batch)
    if job is None:
        return redirect(url_for("imports.batch", import_id=batch.id))
    return render_template("imports/job.html", job=job, state=job_state(job), batch=batch)


@bp.route("/imports/<int:import_id>/rejected.csv")
@roles_required(*STAFF_READ)
def rejected(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    path = rejected_path(batch)
    if not batch.rejected or not os.path.exists(path):
        flash("This file has no rejected rows to download.", "info")
        return redirect(url_for("imports.batch", import_id=batch.id))
    stem = os.path.splitext(batch.file_name)[0]
    return send_file(path, mimetype="text/csv", as_attachment=True,
                     download_name=f"{stem}-rejected.csv")


# --- exports ----------------------------------------------------------------------------


def _filters_from_args() -> RegisterFilters:
    args = request.args
    return RegisterFilters(
        q=args.get("q", "").strip(),
        programme_id=args.get("programme", type=int),
        cohort_year=args.get("cohort", type=int),
        status=args.get("status") or None,
        country=args.get("country") or None,
        archived=args.get("archived") == "1",
        sort=args.get("sort", "name") if args.get("sort") in SORTS else "name",
        descending=args.get("dir") == "desc",
    )


@bp.route("/imports/export")
@roles_required(*STAFF_READ)
def export():
    filters = _filters_from_args()
    count = db.session.scalar(
        select(db.func.count()).select_from(
            search_alumni(filters, actor=current_user).order_by(None).subquery()))
    args = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    return render_template("imports/export.html", filters=filters, count=count, args=args)


@bp.route("/imports/export.<fmt>")
@roles_required(*STAFF_READ)
def export_file(fmt: str):
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


# --- duplicates and merges --------------------------------------------------------------


@bp.route("/duplicates/")
@roles_required(*STAFF_READ)
def duplicates():
    page = db.paginate(open_candidates(current_user), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    return render_template("imports/duplicates.html", page=page, confirm=ConfirmForm(),
                           institutions=_institutions())


@bp.route("/duplicates/scan", methods=["POST"])
@roles_required(*STAFF_WRITE)
def scan():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    chosen = request.form.get("institution", type=int)
    allowed = {i.id: i for i in _institutions()}
    institution = allowed.get(chosen) or allowed.get(current_user.institution_id)
    if institution is None:
        flash("Choose an institution.", "error")
        return redirect(url_for("imports.duplicates"))
    try:
        found = scan_duplicates(institution, actor=current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(f"{found:,} possible duplicates to review.", "success")
    return redirect(url_for("imports.duplicates"))


@bp.route("/duplicates/<int:candidate_id>/dismiss", methods=["POST"])
@roles_required(*STAFF_WRITE)
def dismiss(candidate_id: int):
    candidate = get_scoped_or_404(DuplicateCandidate, candidate_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        dismiss_duplicate(candidate, actor=current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash("Marked as two different people; the pair leaves the queue.", "success")
    return redirect(url_for("imports.duplicates"))


def _display(alumnus: Alumnus, name: str) -> str:
    value = getattr(alumnus, name)
    if name == "programme_id":
        return alumnus.programme.code if alumnus.programme else ""
    return "" if value is None else str(value)


@bp.route("/duplicates/<int:candidate_id>/merge", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def merge(candidate_id: int):
    candidate = get_scoped_or_404(DuplicateCandidate, candidate_id)
    if candidate.status != "open":
        flash("This pair has already been decided.", "info")
        return redirect(url_for("imports.duplicates"))
    first, second = candidate.first, candidate.second
    form = MergeForm()
    if request.method == "GET":
        form.first_version.data = first.version
        form.second_version.data = second.version
    error = None
    if form.validate_on_submit():
        survivor, merged = (first, second) if form.survivor.data == "first" else (second, first)
        choices = {}
        for name in MERGE_FIELDS:
            picked = request.form.get(f"field-{name}")
            if picked in ("first", "second"):
                choices[name] = "survivor" if picked == form.survivor.data else "merged"
        versions = (form.first_version.data, form.second_version.data)
        if form.survivor.data != "first":
            versions = versions[::-1]
        try:
            kept = merge_alumni(survivor, merged, choices, actor=current_user,
                                versions=tuple(int(v) if v else None for v in versions))
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            error = "; ".join(f"{MERGE_LABELS.get(k, k)}: {' '.join(v)}"
                              for k, v in exc.field_errors.items())
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            flash(f"Merged into {kept.display_name} ({kept.student_number}); "
                  "the other student number still finds this record.", "success")
            return redirect(url_for("alumni.detail", alumnus_id=kept.id))
        candidate = get_scoped_or_404(DuplicateCandidate, candidate_id)
        first, second = candidate.first, candidate.second
    rows = [(name, MERGE_LABELS.get(name, name), _display(first, name), _display(second, name))
            for name in MERGE_FIELDS]
    return render_template("imports/merge.html", candidate=candidate, first=first,
                           second=second, rows=rows, form=form, error=error)
