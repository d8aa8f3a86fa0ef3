"""Tracer survey campaigns for officers: create, add questions, send, follow the responses."""

from __future__ import annotations

from flask import (
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.alumni.pages import working_institution_or_404
from app.core.audit import record_export
from app.core.errors import Conflict, ValidationFailed
from app.core.figure_cache import kept_fragment
from app.core.forms import ConfirmForm, commit_form, commit_or_flash
from app.core.i18n import current_language, institution_settings
from app.core.jobs import Job, job_state
from app.core.own_words import (
    fill_translation_fields,
    options_as_lines,
    translations_from_form,
)
from app.core.permissions import (
    STAFF_READ,
    STAFF_WRITE,
    get_scoped_or_404,
    roles_required,
    sees_contacts,
)
from app.core.urls import request_base_url
from app.employment import bp, codes, tracer
from app.employment.forms import QuestionForm, SurveyForm, survey_words_form
from app.employment.models import SurveyResponse, TracerSurvey
from app.extensions import db
from app.reports.services import kept_campaign_figures, page_value, say


@bp.route("/tracer/")
@roles_required(*STAFF_READ)
def surveys():
    page = db.paginate(tracer.surveys_for(current_user),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("employment/surveys.html", page=page, codes=codes)


@bp.route("/tracer/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def survey_new():
    institution = working_institution_or_404()
    form = SurveyForm(programmes=institution.programmes)
    if form.validate_on_submit():
        years = form.years()
        if years is None:
            form.cohort_years.errors = [gettext("Give years such as 2023, 2024.")]
        else:
            data = tracer.SurveyData(
                title=form.title.data, reference_months=form.reference_months.data,
                opens_on=form.opens_on.data, closes_on=form.closes_on.data,
                introduction=form.introduction.data,
                title_translations=translations_from_form(form, "title"),
                introduction_translations=translations_from_form(form, "introduction"),
                cohorts=[(p, y) for p in form.programme_ids.data for y in years])

            def create() -> TracerSurvey:
                try:
                    return tracer.create_survey(data, institution_id=institution.id,
                                                actor=current_user)
                except ValidationFailed as exc:  # the form picks cohorts as programmes
                    if "cohorts" in exc.field_errors:
                        exc.field_errors["programme_ids"] = exc.field_errors.pop("cohorts")
                    raise

            survey = commit_form(form, create)
            if survey is not None:
                flash(gettext("The survey is set up. Add your own questions, then send the "
                              "invitations."), "success")
                return redirect(url_for("employment.survey", survey_id=survey.id))
    return render_template("employment/survey_form.html", form=form, institution=institution)


@bp.route("/tracer/<int:survey_id>")
@roles_required(*STAFF_READ)
def survey(survey_id: int):
    record = get_scoped_or_404(TracerSurvey, survey_id)
    return _survey_page(record)


def _survey_page(record: TracerSurvey, question_form: QuestionForm | None = None,
                 status: int = 200):
    """A survey's page; `question_form` with its errors when a question was refused. The
    form to add a question (a field per language) is built only while it is shown: until
    someone answers."""
    outcomes, outcomes_counted_at = kept_campaign_figures(record)
    outcome_table = kept_fragment(
        ("campaign_outcomes", record.id, record.reference_months, outcomes_counted_at,
         current_language(), institution_settings(), request.script_root),
        lambda: render_template("employment/_campaign_outcomes.html", survey=record,
                                outcomes=outcomes, outcomes_counted_at=outcomes_counted_at,
                                fmt=page_value, say=say)) if outcomes else None
    stats = tracer.campaign_stats(record)
    if question_form is None and not stats["total"]["responded"]:
        question_form = QuestionForm()
    return render_template("employment/survey.html", survey=record, codes=codes,
                           stats=stats, confirm=ConfirmForm(),
                           question_form=question_form,
                           # the responses are the campaign's count of them (one pass, not two)
                           answered=stats["total"]["responded"],
                           outcomes=outcomes, outcome_table=outcome_table), status


@bp.route("/tracer/<int:survey_id>/stats.json")
@roles_required(*STAFF_READ)
def survey_stats(survey_id: int):
    record = get_scoped_or_404(TracerSurvey, survey_id)
    return jsonify(tracer.campaign_stats(record))


@bp.route("/tracer/<int:survey_id>/responses")
@roles_required(*STAFF_READ)
def survey_responses(survey_id: int):
    record = get_scoped_or_404(TracerSurvey, survey_id)
    page = db.paginate(select(SurveyResponse).where(SurveyResponse.survey_id == record.id)
                       .order_by(SurveyResponse.submitted_at.desc()),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("employment/responses.html", survey=record, page=page, codes=codes)


def _record_download(survey: TracerSurvey, what: str, *, contacts: bool,
                     rows: int | None = None) -> None:
    """The download of a survey's answers (names, student numbers) in the audit log."""
    if rows is None:
        rows = db.session.scalar(select(db.func.count(SurveyResponse.id)).where(
            SurveyResponse.survey_id == survey.id)) or 0
    record_export(current_user, what, rows, institution_id=survey.institution_id,
                  contacts=contacts, details={"survey_id": survey.id})
    db.session.commit()


@bp.route("/tracer/<int:survey_id>/responses.csv")
@roles_required(*STAFF_READ)
def survey_responses_csv(survey_id: int):
    """Every response with the competency levels and the institution's own questions."""
    record = get_scoped_or_404(TracerSurvey, survey_id)
    _record_download(record, f"tracer-survey-{record.id}-responses.csv", contacts=False)
    return Response(tracer.responses_csv(record), mimetype="text/csv", headers={
        "Content-Disposition":
            f'attachment; filename="tracer-survey-{record.id}-responses.csv"'})


@bp.route("/tracer/<int:survey_id>/national.xlsx")
@roles_required(*STAFF_READ)
def survey_national_xlsx(survey_id: int):
    """The answers in Indonesia's national tracer upload layout, for the national portal."""
    from app.employment.tracer_import.national import national_count, national_xlsx

    record = get_scoped_or_404(TracerSurvey, survey_id)
    contacts = sees_contacts(current_user)
    _record_download(record, f"tracer-survey-{record.id}-national.xlsx", contacts=contacts,
                     rows=national_count(record))
    return Response(national_xlsx(record, contacts=contacts), mimetype=XLSX, headers={
        "Content-Disposition":
            f'attachment; filename="tracer-survey-{record.id}-national.xlsx"'})


@bp.route("/tracer/<int:survey_id>/national.csv")
@roles_required(*STAFF_READ)
def survey_national_csv(survey_id: int):
    """The national upload layout as CSV."""
    from app.employment.tracer_import.national import national_count, national_csv

    record = get_scoped_or_404(TracerSurvey, survey_id)
    contacts = sees_contacts(current_user)
    _record_download(record, f"tracer-survey-{record.id}-national.csv", contacts=contacts,
                     rows=national_count(record))
    return Response(national_csv(record, contacts=contacts), mimetype="text/csv", headers={
        "Content-Disposition":
            f'attachment; filename="tracer-survey-{record.id}-national.csv"'})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/tracer/responses/<int:response_id>")
@roles_required(*STAFF_READ)
def survey_response(response_id: int):
    """One response in full: the tracer core, the competencies, the own questions."""
    response = get_scoped_or_404(SurveyResponse, response_id)
    survey = db.session.get(TracerSurvey, response.survey_id)
    return render_template("employment/response.html", response=response, survey=survey,
                           alumnus=response.invitation.alumnus, channels=tracer.CHANNELS,
                           core=tracer.shown_core_answers(response),
                           competencies=tracer.competency_levels(response),
                           own=tracer.shown_own_answers(survey, response))


@bp.route("/tracer/<int:survey_id>/send", methods=["POST"])
@roles_required(*STAFF_WRITE)
def survey_send(survey_id: int):
    record = get_scoped_or_404(TracerSurvey, survey_id)
    mode = "remind" if request.args.get("mode") == "remind" else "invite"
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("employment.survey", survey_id=record.id))
    job = commit_or_flash(lambda: tracer.start_sending(record, mode=mode, actor=current_user,
                                                       base_url=request_base_url()),
                          category="warning")
    if job is None:
        return redirect(url_for("employment.survey", survey_id=record.id))
    flash(gettext("Invitations are being sent.") if mode == "invite"
          else gettext("Reminders are being sent."), "info")
    return redirect(url_for("employment.survey_job", survey_id=record.id, job_id=job.id))


@bp.route("/tracer/<int:survey_id>/jobs/<int:job_id>")
@roles_required(*STAFF_READ)
def survey_job(survey_id: int, job_id: int):
    """The progress of a survey's invitations or reminders, with the way back to the survey
    (a job of anything else goes to the survey page)."""
    record = get_scoped_or_404(TracerSurvey, survey_id)
    job = db.session.get(Job, job_id)
    if job is None or not tracer.is_sending_job(job, record):
        return redirect(url_for("employment.survey", survey_id=record.id))
    state = job_state(job)
    if state["status"] != "failed":
        # the page says the result in words (the job's note, "6 sent, 1 undeliverable", is
        # said by its script while the job runs)
        state["message"] = None
    return render_template("employment/sending.html", job=job, state=state, survey=record)


@bp.route("/tracer/<int:survey_id>/questions", methods=["POST"])
@roles_required(*STAFF_WRITE)
def survey_question(survey_id: int):
    """Add a question; one refused (a text missing or too long, in any language) shows the
    survey's page again with the messages next to the question form's fields."""
    record = get_scoped_or_404(TracerSurvey, survey_id)
    form = QuestionForm()
    if form.validate_on_submit():
        data = tracer.QuestionData(label=form.label.data, kind=form.kind.data,
                                   choices=(form.choices.data or "").splitlines(),
                                   required=form.required.data,
                                   label_translations=translations_from_form(form, "label"),
                                   choices_translations=translations_from_form(form, "choices"))
        if commit_form(form, lambda: tracer.add_question(record, data,
                                                         actor=current_user)) is not None:
            flash(gettext("Question added."), "success")
            return redirect(url_for("employment.survey", survey_id=record.id))
    elif not form.errors:  # nothing posted but the token's refusal
        flash(gettext("Write the question and choose its kind."), "warning")
        return redirect(url_for("employment.survey", survey_id=record.id))
    return _survey_page(record, form, 422)


def _words_form(record: TracerSurvey, questions: bool, *, fresh: bool = False):
    """The words form, filled from the survey unless it carries a post (`fresh`: filled from
    the survey even so, after someone else's save)."""
    form = survey_words_form(record, questions=questions,
                             **({"formdata": None} if fresh else {}))
    if fresh or not form.is_submitted():
        form.title.data, form.introduction.data = record.title, record.introduction
        form.stamp.data = tracer.words_stamp(record)
        fill_translation_fields(form, "title", record.title_translations)
        fill_translation_fields(form, "introduction", record.introduction_translations)
        for q in record.questions if questions else ():
            form[f"q{q.id}_label"].data = q.label
            fill_translation_fields(form, f"q{q.id}_label", q.label_translations)
            if _has_options(q):
                fill_translation_fields(form, f"q{q.id}_choices",
                                        options_as_lines(q.choices_translations))
    return form


def _has_options(question) -> bool:
    """A list question, whose options get a field per language on the words form."""
    return question.kind == "choice" and bool(question.choices)


def _words_page(record: TracerSurvey, form, questions: bool, status: int = 200):
    translated = {"title": gettext("The title in other languages"),
                  "introduction": gettext("The introduction in other languages")}
    follows = {}
    for q in record.questions if questions else ():
        translated[f"q{q.id}_label"] = gettext("The question in other languages")
        if _has_options(q):
            follows[f"q{q.id}_label"] = {
                "name": f"q{q.id}_choices", "legend": gettext("The options in other languages"),
                "hint": gettext("Optional. One option a line, as many as the options as entered "
                                "and in their order: %(options)s. Each respondent sees the "
                                "options in their language, else in the institution’s default "
                                "language, else as entered.", options=" / ".join(q.choices))}
    return render_template("employment/survey_words.html", form=form, survey=record,
                           questions=questions, translated=translated,
                           follows=follows), status


@bp.route("/tracer/<int:survey_id>/words", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def survey_words(survey_id: int):
    """Change a survey's title, introduction and own questions' texts, in each language (the
    questions only before anyone answered); one save, refused over someone else's."""
    record = get_scoped_or_404(TracerSurvey, survey_id)
    questions = tracer.response_count(record) == 0
    form = _words_form(record, questions)
    if form.validate_on_submit():
        words = tracer.SurveyWords(
            title=form.title.data, introduction=form.introduction.data,
            title_translations=translations_from_form(form, "title"),
            introduction_translations=translations_from_form(form, "introduction"),
            questions={q.id: (form[f"q{q.id}_label"].data,
                              translations_from_form(form, f"q{q.id}_label"))
                       for q in record.questions} if questions else {},
            options={q.id: translations_from_form(form, f"q{q.id}_choices")
                     for q in record.questions if _has_options(q)} if questions else {})
        try:
            saved = commit_form(form, lambda: tracer.update_survey_words(
                record, words, stamp=form.stamp.data or None, actor=current_user))
        except Conflict as exc:  # the fresh form says so above it
            db.session.rollback()
            form = _words_form(record, questions, fresh=True)
            form.form_errors = [exc.message]
            return _words_page(record, form, questions, 409)
        if saved is not None:
            flash(gettext("The survey's texts are saved."), "success")
            return redirect(url_for("employment.survey", survey_id=record.id))
    return _words_page(record, form, questions)
