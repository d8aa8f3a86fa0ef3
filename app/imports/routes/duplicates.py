"""The possible-duplicates queue and the side-by-side merge of two records.

A merge starts from a pair in the queue or from any record's page ("merge with another
record", by student number); both lead to the same screen.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from app.alumni.models import Alumnus
from app.alumni.pages import alumnus_or_404
from app.core.errors import DomainError, ValidationFailed
from app.core.forms import ConfirmForm, commit_or_flash
from app.core.i18n import N_, format_number
from app.core.permissions import (
    STAFF_READ,
    STAFF_WRITE,
    get_scoped_or_404,
    roles_required,
)
from app.extensions import db
from app.imports import bp, words
from app.imports.duplicates import dismiss_duplicate, open_candidates, scan_duplicates
from app.imports.forms import MergeForm
from app.imports.merge import MERGE_FIELDS, find_merge_partner, merge_alumni, open_pairs_of
from app.imports.models import DuplicateCandidate
from app.imports.routes._common import institutions

# The fields by name, translated where shown.
MERGE_LABELS = {
    "student_number": N_("Student number"), "given_name": N_("Given name"),
    "family_name": N_("Family name"), "preferred_name": N_("Preferred name"),
    "email": N_("E-mail"), "phone": N_("Phone"), "country": N_("Country"), "city": N_("City"),
    "gender": N_("Gender"), "birth_date": N_("Birth date"), "programme_id": N_("Programme"),
    "graduation_date": N_("Graduation date"), "award_date": N_("Award date"),
    "cohort_year": N_("Cohort"), "status": N_("Status"),
}


def _label(name: str) -> str:
    return gettext(MERGE_LABELS[name]) if name in MERGE_LABELS else name


@bp.app_template_global("duplicate_reasons")
def duplicate_reasons(reasons: list[str] | None) -> str:
    """A pair's stored reasons in the page's language (the queue, the merge page, a record's
    panel)."""
    return words.reasons(reasons)


@bp.route("/duplicates/")
@roles_required(*STAFF_READ)
def duplicates():
    page = db.paginate(open_candidates(current_user), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    return render_template("imports/duplicates.html", page=page, confirm=ConfirmForm(),
                           institutions=institutions())


@bp.route("/duplicates/scan", methods=["POST"])
@roles_required(*STAFF_WRITE)
def scan():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    chosen = request.form.get("institution", type=int)
    allowed = {i.id: i for i in institutions()}
    institution = allowed.get(chosen) or allowed.get(current_user.institution_id)
    if institution is None:
        flash(gettext("Choose an institution."), "error")
        return redirect(url_for("imports.duplicates"))
    found = commit_or_flash(lambda: scan_duplicates(institution, actor=current_user),
                            category="error")
    if found is not None:
        flash(ngettext("%(count)s possible duplicate to review.",
                       "%(count)s possible duplicates to review.", found,
                       count=format_number(found)), "success")
    return redirect(url_for("imports.duplicates"))


@bp.route("/duplicates/<int:candidate_id>/dismiss", methods=["POST"])
@roles_required(*STAFF_WRITE)
def dismiss(candidate_id: int):
    candidate = get_scoped_or_404(DuplicateCandidate, candidate_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if commit_or_flash(lambda: dismiss_duplicate(candidate, actor=current_user),
                       category="error") is not None:
        flash(gettext("Marked as two different people; the pair leaves the queue."), "success")
    return redirect(url_for("imports.duplicates"))


@bp.route("/duplicates/<int:candidate_id>/merge", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def merge(candidate_id: int):
    candidate = get_scoped_or_404(DuplicateCandidate, candidate_id)
    if candidate.status != "open":
        flash(gettext("This pair has already been decided."), "info")
        return redirect(url_for("imports.duplicates"))
    return _merge_screen(candidate.first_id, candidate.second_id, candidate=candidate,
                         back=(url_for("imports.duplicates"), gettext("Back to the queue")))


@bp.route("/alumni/<int:alumnus_id>/merge", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def merge_with(alumnus_id: int):
    """Merge this record with any other of its institution, found by student number."""
    alumnus = alumnus_or_404(alumnus_id)
    back = (url_for("alumni.detail", alumnus_id=alumnus.id), gettext("Back to the record"))
    other_id = request.args.get("other", type=int)
    if other_id is not None:
        return _merge_screen(alumnus.id, other_id, back=back)
    number = request.args.get("number")
    error = None
    if number is not None:
        try:
            other = find_merge_partner(alumnus, number, actor=current_user)
        except ValidationFailed as exc:
            error = " ".join(exc.field_errors.get("number", []))
        else:
            return redirect(url_for("imports.merge_with", alumnus_id=alumnus.id, other=other.id))
    return render_template("imports/merge_find.html", alumnus=alumnus, number=number or "",
                           error=error, pairs=open_pairs_of(alumnus), back=back)


def _display(alumnus: Alumnus, name: str) -> str:
    value = getattr(alumnus, name)
    if name == "programme_id":
        return alumnus.programme.code if alumnus.programme else ""
    return "" if value is None else str(value)


def _merge_screen(first_id: int, second_id: int, *, back: tuple[str, str],
                  candidate: DuplicateCandidate | None = None):
    """Show two records side by side; on POST merge them as the officer chose, field by field.

    Each record's version is carried in the form, so a change made by someone else while the
    officer compared them stops the merge instead of being overwritten.
    """
    first, second = (alumnus_or_404(i, same_page=False) for i in (first_id, second_id))
    form = MergeForm()
    if request.method == "GET":
        form.first_version.data = first.version
        form.second_version.data = second.version
    error = None
    if form.validate_on_submit():
        keep_first = form.survivor.data == "first"
        survivor, merged = (first, second) if keep_first else (second, first)
        choices = {}
        for name in MERGE_FIELDS:
            picked = request.form.get(f"field-{name}")
            if picked in ("first", "second"):
                choices[name] = "survivor" if picked == form.survivor.data else "merged"
        versions = (form.first_version.data, form.second_version.data)
        if not keep_first:
            versions = versions[::-1]
        try:
            kept = merge_alumni(survivor, merged, choices, actor=current_user,
                                versions=tuple(int(v) if v else None for v in versions))
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            error = "; ".join(gettext("%(field)s: %(problem)s", field=_label(k),
                                      problem=" ".join(v))
                              for k, v in exc.field_errors.items())
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            flash(gettext("Merged into %(name)s (%(number)s); the other student number still "
                          "finds this record.", name=kept.display_name,
                          number=kept.student_number), "success")
            return redirect(url_for("alumni.detail", alumnus_id=kept.id))
        first, second = (get_scoped_or_404(Alumnus, i) for i in (first_id, second_id))
    rows = [(name, _label(name), _display(first, name), _display(second, name))
            for name in MERGE_FIELDS]
    return render_template("imports/merge.html", candidate=candidate, first=first,
                           second=second, rows=rows, form=form, error=error, back=back)
