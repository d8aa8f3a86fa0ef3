"""Employers: the institution's list, details, and the employer satisfaction survey."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from sqlalchemy import select

from app.alumni.models import Programme
from app.alumni.pages import working_institution_or_404
from app.alumni.services import programmes_for
from app.core.forms import commit_form, commit_or_flash, form_data
from app.core.i18n import format_number
from app.core.permissions import (
    STAFF_READ,
    STAFF_WRITE,
    get_scoped_or_404,
    roles_required,
)
from app.core.spreadsheet import table_download
from app.employment import bp, codes, employer_survey, services
from app.employment.forms import EmployerForm, EmployerSurveyForm, employer_record_form
from app.employment.models import Employer, Employment
from app.employment.satisfaction import satisfaction_figures
from app.extensions import db


@bp.route("/employers/")
@roles_required(*STAFF_READ)
def employers():
    q = request.args.get("q", "").strip()
    page = db.paginate(services.employer_list(current_user, q),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("employment/employers.html", page=page, q=q, codes=codes)


@bp.route("/employers/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def employer_new():
    institution = working_institution_or_404()
    form = EmployerForm()
    if form.validate_on_submit():
        employer = commit_form(form, lambda: services.create_employer(
            form_data(form, services.EmployerData), institution_id=institution.id,
            actor=current_user))
        if employer is not None:
            flash(gettext("%(employer)s is in the list.", employer=employer.name), "success")
            return redirect(url_for("employment.employer", employer_id=employer.id))
    return render_template("employment/employer_form.html", form=form, employer=None)


@bp.route("/employers/<int:employer_id>")
@roles_required(*STAFF_READ)
def employer(employer_id: int):
    record = get_scoped_or_404(Employer, employer_id)
    jobs = db.session.scalars(select(Employment).where(Employment.employer_id == record.id)
                              .order_by(Employment.start_date.desc())).all()
    return render_template("employment/employer.html", employer=record, jobs=jobs, codes=codes)


@bp.route("/employers/<int:employer_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def employer_edit(employer_id: int):
    record = get_scoped_or_404(Employer, employer_id)
    form = EmployerForm(obj=record)
    if form.validate_on_submit():
        saved = commit_form(form, lambda: services.update_employer(
            record, form_data(form, services.EmployerData), actor=current_user))
        if saved is not None:
            flash(gettext("Saved."), "success")
            return redirect(url_for("employment.employer", employer_id=record.id))
    return render_template("employment/employer_form.html", form=form, employer=record)


@bp.route("/employers/satisfaction")
@roles_required(*STAFF_READ)
def satisfaction():
    form = EmployerSurveyForm(programmes=programmes_for(current_user))
    return render_template("employment/satisfaction.html", form=form, codes=codes,
                           labels=employer_survey.COMPETENCY_LABELS,
                           figures=satisfaction_figures(current_user))


SATISFACTION_HEADER = ["Programme", "Year", "Employers asked", "Employers answered",
                       "Recorded without a link", "Competency",
                       *(f"{label} (%)" for label in codes.SATISFACTION_LEVELS.values()),
                       "Employers rating it"]


@bp.route("/employers/satisfaction.<fmt>")
@roles_required(*STAFF_READ)
def satisfaction_download(fmt: str):
    rows = []
    for r in employer_survey.satisfaction_results(current_user):
        for key, label in employer_survey.COMPETENCY_LABELS.items():
            shares = r["competencies"][key]
            rows.append([r["programme"], r["year"], r["asked"], r["answered"],
                         r["recorded_without_link"], label,
                         *(shares[level] for level in codes.SATISFACTION_LEVELS), shares["n"]])
    return table_download(fmt, "employer-satisfaction", "Employer satisfaction",
                          SATISFACTION_HEADER, rows)


@bp.route("/employers/satisfaction/invite", methods=["POST"])
@roles_required(*STAFF_WRITE)
def satisfaction_invite():
    form = EmployerSurveyForm(programmes=programmes_for(current_user))
    if form.validate_on_submit():
        programme = get_scoped_or_404(Programme, form.programme_id.data)
        job = commit_or_flash(lambda: employer_survey.invite_employers(
            programme, form.year.data, actor=current_user, ask_again=form.ask_again.data),
            category="warning")
        if job is not None:
            flash(ngettext("Sending %(num)s employer link in the background; the employer "
                           "counts as asked from now.",
                           "Sending %(num)s employer links in the background; each employer "
                           "counts as asked from now.", job.total,
                           num=format_number(job.total)), "success")
    else:
        flash(gettext("Choose a programme and a year."), "warning")
    return redirect(url_for("employment.satisfaction"))


@bp.route("/employers/<int:employer_id>/satisfaction/record", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def satisfaction_record(employer_id: int):
    """The office records an employer's ratings given by phone or on paper."""
    record = get_scoped_or_404(Employer, employer_id)
    programmes = [p for p in programmes_for(current_user)
                  if p.institution_id == record.institution_id]
    form = employer_record_form(programmes)
    if form.validate_on_submit():
        programme = get_scoped_or_404(Programme, form.programme_id.data)
        answer = employer_survey.EmployerAnswer(
            ratings={k: getattr(form, f"rating_{k}").data for k in codes.COMPETENCIES},
            comments=form.comments.data, respondent_name=form.respondent_name.data,
            respondent_position=form.respondent_position.data,
            graduates_employed=form.graduates_employed.data)
        saved = commit_form(form, lambda: employer_survey.record_employer_feedback(
            record, programme, form.year.data, answer, actor=current_user))
        if saved is not None:
            flash(gettext("Ratings of %(employer)s for %(programme)s %(year)s recorded; they "
                          "count as this employer's answer for that year.",
                          employer=record.name, programme=programme.code, year=saved.year),
                  "success")
            return redirect(url_for("employment.satisfaction"))
    return render_template("employment/employer_record.html", form=form, employer=record)
