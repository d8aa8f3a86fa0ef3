"""The import log and the wizard: upload, map columns, preview, commit, progress, rejected rows."""

from __future__ import annotations

import os

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from app.alumni.models import Institution
from app.core.errors import DomainError, ValidationFailed
from app.core.forms import ConfirmForm, commit_or_flash
from app.core.i18n import N_, format_number
from app.core.jobs import Job, job_state
from app.core.permissions import STAFF_READ, STAFF_WRITE, get_scoped_or_404, roles_required
from app.core.uploads import allow_large_upload
from app.extensions import db
from app.imports import bp, services, words
from app.imports.batches import load_changes, load_examples, rejected_path
from app.imports.forms import UploadForm
from app.imports.models import ImportBatch
from app.imports.pipeline import COUNT_WORDS, get_kind, kinds
from app.imports.pipeline.kinds import BATCH_STATUSES, DONE_WORDS
from app.imports.routes._common import institutions


@bp.route("/imports/")
@roles_required(*STAFF_READ)
def index():
    page = db.paginate(services.batches_for(current_user),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("imports/index.html", page=page, kinds={k.name: k for k in kinds()},
                           batch_statuses=BATCH_STATUSES,
                           show_institution=len(institutions()) > 1)


# The upload takes files up to IMPORT_MAX_BYTES, more than other pages' MAX_CONTENT_LENGTH.
allow_large_upload("imports.upload", lambda: services.setting("IMPORT_MAX_BYTES"))


@bp.route("/imports/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def upload():
    form = UploadForm()
    form.kind.choices = [(k.name, gettext(k.label)) for k in kinds()]
    form.institution.choices = [(i.id, f"{i.code} — {i.name}") for i in institutions()]
    if request.method == "GET":  # the registrar's list unless a page asked for another kind
        form.kind.data = request.args.get("kind") or "alumni"
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
            flash(ngettext("%(file)s: %(count)s row read. Check the columns.",
                           "%(file)s: %(count)s rows read. Check the columns.", batch.rows_read,
                           file=batch.file_name, count=format_number(batch.rows_read)), "info")
            return redirect(url_for("imports.mapping", import_id=batch.id))
    max_mb = services.setting("IMPORT_MAX_BYTES") / (1024 * 1024)
    return render_template("imports/upload.html", form=form, kinds=kinds(), max_mb=max_mb,
                           column_list=words.column_list,
                           max_rows=services.setting("IMPORT_MAX_ROWS"))


@bp.route("/imports/<int:import_id>/mapping", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def mapping(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    if batch.status not in services.PREVIEWABLE:
        flash(gettext("This file has already been imported."), "info")
        return redirect(url_for("imports.batch", import_id=batch.id))
    kind = get_kind(batch.kind)
    headers = batch.headers or []
    chosen = dict(batch.mapping or {})
    options = dict(batch.options or {})
    error = None
    option_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        chosen = {h: request.form.get(f"map-{i}", "") for i, h in enumerate(headers)}
        options = {o.name: request.form.get(f"option-{o.name}", "") for o in kind.options}
        try:
            result = services.start_preview(batch, chosen, actor=current_user, options=options)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            option_errors = exc.field_errors
            error = gettext("Correct the settings marked below.")
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            if isinstance(result, Job):
                return redirect(url_for("imports.progress", import_id=batch.id))
            return redirect(url_for("imports.batch", import_id=batch.id))
    return render_template("imports/mapping.html", batch=batch, kind=kind, headers=headers,
                           column_label=words.column_label,
                           chosen=chosen, error=error, examples=load_examples(batch),
                           options=options, option_errors=option_errors,
                           encoding=gettext(ENCODING_NAMES[batch.encoding])
                           if batch.encoding in ENCODING_NAMES else batch.encoding)


ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": N_("UTF-8 (with a byte-order mark)"),
                  "utf-16": "UTF-16", "cp1252": N_("Windows-1252 (Western European)"),
                  "cp874": N_("Thai (TIS-620 / Windows-874)"),
                  "cp1258": N_("Vietnamese (Windows-1258)")}


def problem_summary(errors: list[dict]) -> list[dict]:
    """The problems of a preview, each once with how many rows have it and the first rows;
    empty when no problem repeats (the full list says it all then)."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for e in errors:
        groups.setdefault((e["level"], e["field"], e["message"]), []).append(e["row"])
    if len(groups) == len(errors):
        return []
    summary = [{"level": level, "field": field_name, "message": message, "rows": rows}
               for (level, field_name, message), rows in groups.items()]
    return sorted(summary, key=lambda s: (-len(s["rows"]), s["rows"][0]))


@bp.route("/imports/<int:import_id>")
@roles_required(*STAFF_READ)
def batch(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    job = services.batch_job(batch)
    return render_template(
        "imports/batch.html", batch=batch, kind=get_kind(batch.kind), job=job,
        job_state=job_state(job) if job else None, count_words=COUNT_WORDS,
        done_words=DONE_WORDS, batch_statuses=BATCH_STATUSES, say=words.say,
        column_label=words.column_label,
        errors=(batch.errors or [])[:500], confirm=ConfirmForm(), changes=load_changes(batch),
        summary=problem_summary(batch.errors or []),
        has_rejected=os.path.exists(rejected_path(batch)) and batch.rejected > 0,
        needs_job=services.needs_job(batch),
    )


@bp.route("/imports/<int:import_id>/commit", methods=["POST"])
@roles_required(*STAFF_WRITE)
def commit(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    accepted = request.form.get("accept_key_changes") == "y"
    result = commit_or_flash(lambda: services.start_import(
        batch, actor=current_user, accept_key_changes=accepted), category="error")
    if result is None:
        return redirect(url_for("imports.batch", import_id=batch.id))
    if isinstance(result, Job):
        flash(gettext("The import is running; this page shows its progress."), "info")
        return redirect(url_for("imports.progress", import_id=batch.id))
    flash(words.say(batch.message) if batch.message else gettext("Imported."), "success")
    return redirect(url_for("imports.batch", import_id=batch.id))


@bp.route("/imports/<int:import_id>/progress")
@roles_required(*STAFF_READ)
def progress(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    job = services.batch_job(batch)
    if job is None:
        return redirect(url_for("imports.batch", import_id=batch.id))
    return render_template("imports/job.html", job=job, state=job_state(job), batch=batch,
                           say=words.say)


@bp.route("/imports/<int:import_id>/rejected.csv")
@roles_required(*STAFF_READ)
def rejected(import_id: int):
    batch = get_scoped_or_404(ImportBatch, import_id)
    path = rejected_path(batch)
    if not batch.rejected or not os.path.exists(path):
        flash(gettext("This file has no rejected rows to download."), "info")
        return redirect(url_for("imports.batch", import_id=batch.id))
    stem = os.path.splitext(batch.file_name)[0]
    return send_file(path, mimetype="text/csv", as_attachment=True,
                     download_name=f"{stem}-rejected.csv")


