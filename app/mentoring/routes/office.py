"""The office's mentoring pages: programme view, mentors, students, proposals, mentorships."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from app.alumni.models import Alumnus, Institution
from app.alumni.pages import working_institution_or_404
from app.alumni.services import programmes_for
from app.core.forms import commit_form, commit_or_flash
from app.core.i18n import N_
from app.core.permissions import (
    STAFF_READ,
    STAFF_WRITE,
    get_scoped_or_404,
    roles_required,
    scope,
)
from app.core.spreadsheet import table_download
from app.extensions import db
from app.mentoring import bp, matching, services
from app.mentoring.forms import (
    OutcomeForm,
    ProposeForm,
    SessionForm,
    StatusForm,
    StudentForm,
)
from app.mentoring.models import (
    MentorProfile,
    Mentorship,
    Student,
)
from app.mentoring.routes._common import (
    CHOICES,
    post_outcome,
    post_session,
    post_status_change,
)

# --- the office ---------------------------------------------------------------------------


@bp.route("/mentoring/")
@roles_required(*STAFF_READ)
def index():
    rows, total, mentors = services.programme_figures(current_user)
    recent = db.session.scalars(
        scope(select(Mentorship), Mentorship, current_user)
        .where(Mentorship.status.in_(("proposed", "accepted", "active")))
        .options(joinedload(Mentorship.student), joinedload(Mentorship.mentor)
                 .joinedload(MentorProfile.alumnus))
        .order_by(Mentorship.proposed_at.desc()).limit(50)).all()
    return render_template("mentoring/index.html", rows=rows, total=total, mentors=mentors,
                           open_pairs=recent, **CHOICES)


MENTORING_HEADER = ["Programme", "Students", "Mentored", "Share (%)", "Active pairs", "Hours",
                    "Mentors active now"]


@bp.route("/mentoring/figures.<fmt>")
@roles_required(*STAFF_READ)
def figures_download(fmt: str):
    rows, total, mentors = services.programme_figures(current_user)
    table = [[r.programme.label, r.students, r.mentored, r.share, r.active_pairs, r.hours, None]
             for r in rows]
    table.append(["All programmes", total.students, total.mentored, total.share,
                  total.active_pairs, total.hours, mentors])
    return table_download(fmt, "mentoring-figures", "Mentoring", MENTORING_HEADER, table)


@bp.route("/mentoring/mentors")
@roles_required(*STAFF_READ)
def mentors():
    stmt = (scope(select(MentorProfile), MentorProfile, current_user)
            .options(joinedload(MentorProfile.alumnus).joinedload(Alumnus.programme))
            .order_by(MentorProfile.available.desc(), MentorProfile.id))
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("mentoring/mentors.html", page=page, **CHOICES)


@bp.route("/mentoring/students")
@roles_required(*STAFF_READ)
def students():
    stmt = (scope(select(Student), Student, current_user)
            .options(joinedload(Student.programme))
            .order_by(Student.family_name, Student.given_name, Student.id))
    programme = request.args.get("programme", type=int)
    if programme:
        stmt = stmt.where(Student.programme_id == programme)
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("mentoring/students.html", page=page, programme=programme,
                           programmes=programmes_for(current_user))


def _student_data(form: StudentForm) -> services.StudentData:
    return services.StudentData(
        student_number=form.student_number.data, given_name=form.given_name.data,
        family_name=form.family_name.data, email=form.email.data,
        programme_id=form.programme_id.data, expected_graduation=form.expected_graduation.data,
        industries=form.industries.data or [], languages=form.languages.data or [])


@bp.route("/mentoring/students/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def student_new():
    institution = working_institution_or_404()
    form = StudentForm(programmes=institution.programmes)
    if form.validate_on_submit():
        student = commit_form(form, lambda: services.create_student(
            _student_data(form), institution=institution, actor=current_user))
        if student is not None:
            flash(gettext("%(name)s is on the student list.", name=student.display_name),
                  "success")
            return redirect(url_for("mentoring.student", student_id=student.id))
    return render_template("mentoring/student_form.html", form=form, student=None)


@bp.route("/mentoring/students/<int:student_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def student_edit(student_id: int):
    student = get_scoped_or_404(Student, student_id)
    programmes = db.session.get(Institution, student.institution_id).programmes
    form = StudentForm(obj=student, programmes=programmes)
    if request.method == "GET":
        form.industries.data = student.industry_list
        form.languages.data = student.language_list
    if form.validate_on_submit():
        saved = commit_form(form, lambda: services.update_student(student, _student_data(form),
                                                                  actor=current_user))
        if saved is not None:
            flash(gettext("Saved."), "success")
            return redirect(url_for("mentoring.student", student_id=student.id))
    return render_template("mentoring/student_form.html", form=form, student=student)


@bp.route("/mentoring/students/<int:student_id>")
@roles_required(*STAFF_READ)
def student(student_id: int):
    student = get_scoped_or_404(Student, student_id)
    open_one = services.open_mentorship_of(student)
    suggestions = [] if open_one else matching.suggest_mentors(student, actor=current_user)
    return render_template("mentoring/student.html", student=student, open_one=open_one,
                           suggestions=suggestions, weights=matching.WEIGHTS,
                           form=ProposeForm(), **CHOICES)


@bp.route("/mentoring/students/<int:student_id>/propose", methods=["POST"])
@roles_required(*STAFF_WRITE)
def propose(student_id: int):
    student = get_scoped_or_404(Student, student_id)
    form = ProposeForm()
    if not form.validate_on_submit() or not form.mentor_id.data.isdigit():
        flash(gettext("Choose a mentor from the suggestions."), "warning")
        return redirect(url_for("mentoring.student", student_id=student.id))
    mentor = get_scoped_or_404(MentorProfile, int(form.mentor_id.data))
    match = matching.score_mentor(student, mentor,
                                  matching.institution_load(student.institution_id))
    notified = []

    def propose() -> Mentorship:
        proposed = services.propose_mentorship(
            student, mentor, goals=form.goals.data, match_score=round(match.score),
            actor=current_user)
        notified.append(services.notify_mentor_of_proposal(proposed))  # sent after the commit
        return proposed

    mentorship = commit_or_flash(propose)
    if mentorship is None:
        return redirect(url_for("mentoring.student", student_id=student.id))
    flash(gettext("Proposed to %(name)s; they accept or decline from their page.",
                  name=mentor.alumnus.display_name), "success")
    if notified == [False]:
        flash(gettext("The mentor has no e-mail address: tell them another way."), "warning")
    return redirect(url_for("mentoring.mentorship", mentorship_id=mentorship.id))


@bp.route("/mentoring/mentorships/<int:mentorship_id>")
@roles_required(*STAFF_READ)
def mentorship(mentorship_id: int):
    m = get_scoped_or_404(Mentorship, mentorship_id)
    return render_template(
        "mentoring/mentorship.html", m=m, next_states=services.allowed_next(m, services.OFFICER),
        status_form=StatusForm(), session_form=SessionForm(), outcome_form=OutcomeForm(),
        **CHOICES)


def _post_to_mentorship(mentorship_id: int, post: Callable[[Mentorship], None]) -> Response:
    """A form of the office's mentorship page: handle it, then show the page again."""
    m = get_scoped_or_404(Mentorship, mentorship_id)
    post(m)
    return redirect(url_for("mentoring.mentorship", mentorship_id=m.id))


@bp.route("/mentoring/mentorships/<int:mentorship_id>/status", methods=["POST"])
@roles_required(*STAFF_WRITE)
def change_status(mentorship_id: int):
    return _post_to_mentorship(mentorship_id, post_status_change)


@bp.route("/mentoring/mentorships/<int:mentorship_id>/sessions", methods=["POST"])
@roles_required(*STAFF_WRITE)
def add_session(mentorship_id: int):
    return _post_to_mentorship(mentorship_id, post_session)


@bp.route("/mentoring/mentorships/<int:mentorship_id>/student-outcome", methods=["POST"])
@roles_required(*STAFF_WRITE)
def student_outcome_by_officer(mentorship_id: int):
    return _post_to_mentorship(mentorship_id, lambda m: post_outcome(
        m, services.record_student_outcome, N_("The student's rating is recorded.")))


