"""The mentor's own pages under /me, and the student's one-time outcome link."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app.alumni.pages import own_alumnus_or_404
from app.core.forms import commit_form, commit_or_flash
from app.core.i18n import N_, use_institution
from app.core.permissions import (
    ALUMNUS,
    found_or_404,
    public,
    roles_required,
)
from app.core.throttle import token_link_limit
from app.core.tokens import LinkUnusable
from app.mentoring import bp, services
from app.mentoring.forms import (
    MentorProfileForm,
    OutcomeForm,
    SessionForm,
    StatusForm,
)
from app.mentoring.models import (
    Mentorship,
)
from app.mentoring.routes._common import (
    CHOICES,
    post_outcome,
    post_session,
    post_status_change,
)

# --- the student's one-time link ---------------------------------------------------------


@bp.route("/mentoring/outcome/<token>", methods=["GET", "POST"])
@public
@token_link_limit
def student_outcome(token: str):
    try:
        m = services.mentorship_for_outcome_token(token)
    except LinkUnusable:
        return render_template("mentoring/outcome_link.html", m=None, form=None), 404
    use_institution(m.institution_id)  # without `lang` on the link: the institution's default
    form = OutcomeForm()
    if form.validate_on_submit():
        rated = commit_or_flash(lambda: services.record_student_outcome_by_link(
            token, form.rating.data, form.note.data))
        if rated is not None:
            return render_template("mentoring/outcome_link.html", m=m, form=None, done=True)
    return render_template("mentoring/outcome_link.html", m=m, form=form)


# --- the mentor's own pages ---------------------------------------------------------------


def _own(mentorship_id: int) -> Mentorship:
    return found_or_404(services.own_mentorship, mentorship_id, current_user)


@bp.route("/me/mentoring")
@roles_required(ALUMNUS)
def me():
    alumnus = own_alumnus_or_404()
    return render_template("mentoring/me.html", alumnus=alumnus,
                           profile=services.mentor_profile_for(alumnus),
                           mentorships=services.mentorships_of_mentor(alumnus), **CHOICES)


@bp.route("/me/mentoring/offer", methods=["GET", "POST"])
@roles_required(ALUMNUS)
def me_offer():
    alumnus = own_alumnus_or_404()
    profile = services.mentor_profile_for(alumnus)
    form = MentorProfileForm(obj=profile)
    if request.method == "GET" and profile is not None:
        form.industries.data = profile.industry_list
        form.languages.data = profile.language_list
        form.expertise.data = ", ".join(profile.expertise_list)
    if form.validate_on_submit():
        data = services.MentorProfileData(
            expertise=form.expertise.data or "", industries=form.industries.data or [],
            languages=form.languages.data or [], capacity=form.capacity.data,
            available=form.available.data, about=form.about.data)
        if commit_form(form, lambda: services.save_mentor_profile(
                alumnus, data, actor=current_user)) is not None:
            flash(gettext("Your mentoring offer is saved. Thank you!"), "success")
            return redirect(url_for("mentoring.me"))
    return render_template("mentoring/me_offer.html", form=form, profile=profile)


@bp.route("/me/mentoring/<int:mentorship_id>")
@roles_required(ALUMNUS)
def me_mentorship(mentorship_id: int):
    m = _own(mentorship_id)
    return render_template(
        "mentoring/me_mentorship.html", m=m,
        next_states=services.allowed_next(m, services.MENTOR), status_form=StatusForm(),
        session_form=SessionForm(), outcome_form=OutcomeForm(), **CHOICES)


def _post_to_own(mentorship_id: int, post: Callable[[Mentorship], None]) -> Response:
    """A form of the mentor's mentorship page: handle it, then show the page again."""
    m = _own(mentorship_id)
    post(m)
    return redirect(url_for("mentoring.me_mentorship", mentorship_id=m.id))


@bp.route("/me/mentoring/<int:mentorship_id>/status", methods=["POST"])
@roles_required(ALUMNUS)
def me_change_status(mentorship_id: int):
    return _post_to_own(mentorship_id, post_status_change)


@bp.route("/me/mentoring/<int:mentorship_id>/sessions", methods=["POST"])
@roles_required(ALUMNUS)
def me_add_session(mentorship_id: int):
    return _post_to_own(mentorship_id, post_session)


@bp.route("/me/mentoring/<int:mentorship_id>/outcome", methods=["POST"])
@roles_required(ALUMNUS)
def me_outcome(mentorship_id: int):
    return _post_to_own(mentorship_id, lambda m: post_outcome(
        m, services.record_mentor_outcome, N_("Thank you for your rating.")))


