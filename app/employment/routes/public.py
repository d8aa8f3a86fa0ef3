"""Answer pages: the tracer survey from its one-time link (no account) or from /me, and the
employer satisfaction survey from its link."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.alumni.pages import own_alumnus_or_404
from app.core.forms import commit_form
from app.core.i18n import use_institution
from app.core.permissions import ALUMNUS, public, roles_required
from app.core.throttle import token_link_limit
from app.core.tokens import LinkUnusable
from app.employment import bp, codes, employer_survey
from app.employment.answers import ResponseData, submit_response
from app.employment.forms import AnswerFormBase, answer_form, employer_answer_form
from app.employment.models import SurveyInvitation
from app.employment.tracer import check_answerable, find_invitation
from app.extensions import db


def _response_data(form, survey) -> ResponseData:
    data = ResponseData(**{name: getattr(form, name).data for name in
                           ("status", "job_within_6_months", "months_to_first_job",
                            "further_study", "further_study_field",
                            *AnswerFormBase.CORE_JOB_FIELDS)})
    data.competencies = {key: (getattr(form, f"{key}_at_graduation").data,
                               getattr(form, f"{key}_required_now").data)
                         for key in codes.COMPETENCIES}
    data.extra = {q.field_name: getattr(form, q.field_name).data for q in survey.questions}
    return data


def _problem(exc: LinkUnusable, status: int | None = None, *, employer: bool = False):
    """The page for a link that cannot be used, in the alumnus's or the employer's words."""
    if status is None:  # a second submit is a conflict; opening a spent link is not
        status = {"unknown": 404}.get(exc.reason, 409 if request.method == "POST" else 200)
    return render_template("employment/link_problem.html", reason=exc.reason,
                           employer=employer), status


def _commit_answer(form, action, survey, *, employer: bool = False):
    """Save an answer through commit_form: the thanks page, a 409 page when the link was
    spent meanwhile (or the same link was submitted twice at once), or None to show the form
    again with the service's messages."""
    try:
        saved = commit_form(form, action)
    except LinkUnusable as exc:
        db.session.rollback()
        return _problem(exc, 409, employer=employer)
    except IntegrityError:
        db.session.rollback()
        return _problem(LinkUnusable("answered"), 409, employer=employer)
    if saved is None:
        return None
    return render_template("employment/thanks.html", survey=survey, employer=employer)


def _answer(invitation: SurveyInvitation, channel: str, action_url: str):
    survey = invitation.survey
    use_institution(survey.institution_id)  # its default language and Buddhist Era years
    from app.employment.codes import COUNTRY_CURRENCY

    country = invitation.alumnus.institution.country if invitation.alumnus else None
    form = answer_form(survey, default_currency=COUNTRY_CURRENCY.get(country))
    if form.validate_on_submit():
        done = _commit_answer(form, lambda: submit_response(
            invitation, _response_data(form, survey), channel=channel,
            actor=current_user if channel == "account" else None), survey)
        if done is not None:
            return done
    return render_template("employment/answer.html", form=form, survey=survey, codes=codes,
                           action_url=action_url, invitation=invitation)


@bp.route("/survey/<token>", methods=["GET", "POST"])
@public
@token_link_limit
def answer(token: str):
    """The tracer survey from the e-mailed link: no account needed, one answer per link."""
    try:
        invitation = find_invitation(token)
    except LinkUnusable as exc:
        return _problem(exc)
    return _answer(invitation, "link", url_for("employment.answer", token=token))


@bp.route("/me/surveys")
@roles_required(ALUMNUS)
def my_surveys():
    from app.employment.tracer import open_invitations_for

    alumnus = own_alumnus_or_404()
    return render_template("employment/my_surveys.html",
                           invitations=open_invitations_for(alumnus))


@bp.route("/me/surveys/<int:survey_id>", methods=["GET", "POST"])
@roles_required(ALUMNUS)
def my_survey(survey_id: int):
    """A signed-in alumnus answers a survey they were invited to, without the link."""
    alumnus = own_alumnus_or_404()
    invitation = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.survey_id == survey_id, SurveyInvitation.alumnus_id == alumnus.id))
    if invitation is None:
        flash(gettext("You were not invited to that survey; the surveys for you are listed "
                      "here."), "info")
        return redirect(url_for("employment.my_surveys"))
    try:
        check_answerable(invitation)
    except LinkUnusable as exc:
        return _problem(exc)
    return _answer(invitation, "account",
                   url_for("employment.my_survey", survey_id=survey_id))


@bp.route("/employer-survey/<token>", methods=["GET", "POST"])
@public
@token_link_limit
def employer_answer(token: str):
    """An employer rates the programme's graduates from the e-mailed link."""
    try:
        req = employer_survey.find_request(token)
    except LinkUnusable as exc:
        return _problem(exc, employer=True)
    form = employer_answer_form()
    if form.validate_on_submit():
        answer = employer_survey.EmployerAnswer(
            ratings={k: getattr(form, f"rating_{k}").data for k in codes.COMPETENCIES},
            comments=form.comments.data, respondent_name=form.respondent_name.data,
            respondent_position=form.respondent_position.data,
            graduates_employed=form.graduates_employed.data)
        done = _commit_answer(
            form, lambda: employer_survey.submit_employer_feedback(req, answer), None,
            employer=True)
        if done is not None:
            return done
    return render_template("employment/employer_answer.html", form=form, req=req, codes=codes,
                           action_url=request.path)
