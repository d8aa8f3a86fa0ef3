"""Curriculum feedback pages: the office's review list, meetings, the per-programme chain and its
export; the alumnus's own feedback under /me."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user

from app.alumni.models import Programme
from app.alumni.pages import own_alumnus_or_404, working_institution_or_404
from app.alumni.services import programmes_for
from app.core.db import today
from app.core.errors import DomainError
from app.core.forms import commit_form, error_message
from app.core.i18n import N_
from app.core.permissions import (
    ALUMNUS,
    STAFF_READ,
    STAFF_WRITE,
    can_write,
    get_scoped_or_404,
    roles_required,
)
from app.core.spreadsheet import csv_text
from app.extensions import db
from app.feedback import bp, export, follow_up, services
from app.feedback.forms import (
    CommitteeInputForm,
    DecisionForm,
    EmployerFollowUpForm,
    FeedbackForm,
    MeetingForm,
)
from app.feedback.models import (
    MEETING_KINDS,
    SOURCES,
    STATUSES,
    TOPIC_KINDS,
    CurriculumFeedback,
    ReviewMeeting,
)

# Who and when in the page's language (the exports keep services.contributor_label's English).
CHOICES = {"statuses": STATUSES, "sources": SOURCES, "topic_kinds": TOPIC_KINDS,
           "meeting_kinds": MEETING_KINDS, "who": services.contributor_words,
           "received": services.received_words}
VERBS = {"under_review": N_("Start review"), "accepted": N_("Accept"),
         "declined": N_("Decline"), "implemented": N_("Mark implemented")}
# Whole sentences per state, so each language can say it its own way.
NOW_IN_STATE = {"under_review": N_("The feedback is under review."),
                "accepted": N_("The feedback is accepted."),
                "declined": N_("The feedback is declined."),
                "implemented": N_("The feedback is implemented.")}


def _feedback_data(form) -> services.FeedbackData:
    return services.FeedbackData(
        topic_kind=form.topic_kind.data, topic=form.topic.data, relevance=form.relevance.data,
        skill_gap=form.skill_gap.data, suggestion=form.suggestion.data,
        anonymous=bool(getattr(form, "anonymous", None) and form.anonymous.data))


def _form_page(form, action: Callable[[], Any], *, saved: str, done: Callable[[Any], str],
               title: str, cancel: str, heading: str | None = None):
    """A page that saves one form through a service: on success flash `saved` and go to
    `done(record)`, else show the form (feedback/form.html) with the service's messages."""
    if form.validate_on_submit():
        record = commit_form(form, action)
        if record is not None:
            flash(saved, "success")
            return redirect(done(record))
    return render_template("feedback/form.html", form=form, title=title,
                           heading=heading or title, cancel=cancel)


# --- the office ---------------------------------------------------------------------------


@bp.route("/feedback/")
@roles_required(*STAFF_READ)
def index():
    programme = request.args.get("programme", type=int)
    status = request.args.get("status") or None
    page = db.paginate(services.feedback_list(actor=current_user, programme_id=programme,
                                              status=status),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("feedback/index.html", page=page, programme=programme, status=status,
                           args=args, programmes=programmes_for(current_user), **CHOICES)


def _detail_page(fb: CurriculumFeedback, meetings: list[ReviewMeeting],
                 form: DecisionForm | None = None):
    """The feedback and its next steps; `form` is a refused step, shown with its messages."""
    return render_template("feedback/detail.html", fb=fb,
                           next_states=services.FLOW.get(fb.status, ()), verbs=VERBS,
                           form=form or DecisionForm(meetings=meetings), meetings=meetings,
                           needs_meeting=services.NEEDS_MEETING, **CHOICES)


@bp.route("/feedback/<int:feedback_id>")
@roles_required(*STAFF_READ)
def detail(feedback_id: int):
    fb = get_scoped_or_404(CurriculumFeedback, feedback_id)
    return _detail_page(fb, services.meetings_for(current_user, fb.programme_id))


@bp.route("/feedback/<int:feedback_id>/decide", methods=["POST"])
@roles_required(*STAFF_WRITE)
def decide(feedback_id: int):
    fb = get_scoped_or_404(CurriculumFeedback, feedback_id)
    meetings = services.meetings_for(current_user, fb.programme_id)
    form = DecisionForm(meetings=meetings)
    if not form.validate_on_submit():
        flash(gettext("Choose a listed meeting and write a note."), "warning")
        return redirect(url_for("feedback.detail", feedback_id=fb.id))
    try:
        decision = commit_form(form, lambda: services.decide_feedback(
            fb, form.to.data, note=form.note.data or "", meeting_id=form.meeting_id.data,
            actor=current_user))
    except DomainError as exc:  # a step out of order, or decided by someone else meanwhile
        db.session.rollback()
        flash(error_message(exc), "danger")
        return redirect(url_for("feedback.detail", feedback_id=fb.id))
    if decision is None:  # the note or the meeting: shown next to the field
        return _detail_page(fb, meetings, form)
    flash(gettext(NOW_IN_STATE[fb.status]), "success")
    return redirect(url_for("feedback.detail", feedback_id=fb.id))


@bp.route("/feedback/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def committee_input():
    meetings = services.meetings_for(current_user)
    form = CommitteeInputForm(meetings=meetings)
    if request.method == "GET" and request.args.get("meeting", type=int):
        form.meeting_id.data = request.args.get("meeting", type=int)
    if not meetings:
        flash(gettext("Record the meeting first; committee input belongs to a meeting."), "info")
        return redirect(url_for("feedback.meeting_new"))
    return _form_page(
        form, lambda: services.record_committee_input(
            get_scoped_or_404(ReviewMeeting, form.meeting_id.data), _feedback_data(form),
            actor=current_user),
        saved=gettext("Committee input recorded."),
        done=lambda fb: url_for("feedback.detail", feedback_id=fb.id),
        title=gettext("Record committee input"),
        heading=gettext("Record advisory committee input"),
        cancel=url_for("feedback.index"))


@bp.route("/feedback/employer-follow-up", methods=["GET", "POST"])
@roles_required(*STAFF_READ)
def employer_follow_up():
    """Officers record what employers said in a survey year and follow it through the review;
    quality staff read the list."""
    institution = working_institution_or_404()
    writer = can_write(current_user)
    if request.method == "POST" and not writer:
        abort(403)
    form = EmployerFollowUpForm(programmes=institution.programmes,
                                competencies=follow_up.competency_choices())
    if writer and form.validate_on_submit():
        saved = commit_form(form, lambda: follow_up.record_employer_input(
            follow_up.EmployerInputData(
                programme_id=form.programme_id.data, survey_year=form.survey_year.data,
                competency=form.competency.data or None, said=form.said.data,
                suggestion=form.suggestion.data, noted_on=form.noted_on.data),
            institution=institution, actor=current_user))
        if saved is not None:
            flash(gettext("Employer input recorded. Take it through the review to the action: "
                          "start the review, decide at a meeting, mark it implemented."),
                  "success")
            return redirect(url_for("feedback.detail", feedback_id=saved.id))
    programme = request.args.get("programme", type=int)
    year = request.args.get("year", type=int)
    return render_template(
        "feedback/employer_follow_up.html", form=form if writer else None,
        items=follow_up.follow_up_list(actor=current_user, programme_id=programme,
                                       survey_year=year),
        programmes=programmes_for(current_user), programme=programme, year=year,
        step=services.step, **CHOICES)


@bp.route("/feedback/meetings")
@roles_required(*STAFF_READ)
def meetings():
    return render_template("feedback/meetings.html", meetings=services.meetings_for(current_user),
                           **CHOICES)


@bp.route("/feedback/meetings/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def meeting_new():
    institution = working_institution_or_404()
    form = MeetingForm(programmes=institution.programmes)
    return _form_page(
        form, lambda: services.create_meeting(
            services.MeetingData(programme_id=form.programme_id.data, held_on=form.held_on.data,
                                 kind=form.kind.data, title=form.title.data,
                                 minutes_ref=form.minutes_ref.data),
            institution=institution, actor=current_user),
        saved=gettext("Meeting recorded."),
        done=lambda meeting: url_for("feedback.programme", programme_id=meeting.programme_id),
        title=gettext("Record a review meeting"), cancel=url_for("feedback.meetings"))


@bp.route("/feedback/programmes/<int:programme_id>")
@roles_required(*STAFF_READ)
def programme(programme_id: int):
    prog = get_scoped_or_404(Programme, programme_id)
    return render_template("feedback/programme.html", programme=prog,
                           items=services.programme_chain(prog, actor=current_user),
                           counts=services.programme_counts(prog), step=services.step,
                           meetings=services.meetings_for(current_user, prog.id), **CHOICES)


def _chain_download(programme_id: int, ext: str, content_type: str,
                    render: Callable[[Programme, list], str | bytes]) -> Response:
    """The programme's feedback chain as a file named for the programme and today.

    `content_type` is sent as given (a text mimetype would get a second charset appended)."""
    prog = get_scoped_or_404(Programme, programme_id)
    rows = services.chain_rows(services.programme_chain(prog, actor=current_user))
    name = f"curriculum-feedback-{prog.code}-{today():%Y%m%d}.{ext}"
    return Response(render(prog, rows), content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/feedback/programmes/<int:programme_id>/export.csv")
@roles_required(*STAFF_READ)
def export_csv(programme_id: int):
    return _chain_download(
        programme_id, "csv", "text/csv; charset=utf-8",  # with a BOM: Excel then reads UTF-8
        lambda prog, rows: csv_text(services.CHAIN_COLUMNS, rows))


@bp.route("/feedback/programmes/<int:programme_id>/export.xlsx")
@roles_required(*STAFF_READ)
def export_xlsx(programme_id: int):
    return _chain_download(
        programme_id, "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda prog, rows: export.to_xlsx(f"Feedback {prog.code}", services.CHAIN_COLUMNS, rows))


# --- the alumnus's own feedback ---------------------------------------------------------


@bp.route("/me/feedback")
@roles_required(ALUMNUS)
def me():
    alumnus = own_alumnus_or_404()
    return render_template("feedback/me.html", alumnus=alumnus,
                           items=services.own_feedback(alumnus), **CHOICES)


@bp.route("/me/feedback/new", methods=["GET", "POST"])
@roles_required(ALUMNUS)
def me_new():
    alumnus = own_alumnus_or_404()
    form = FeedbackForm()
    heading = (gettext("Feedback on %(programme)s", programme=alumnus.programme.label)
               if alumnus.programme else gettext("Feedback on your programme"))
    return _form_page(
        form, lambda: services.submit_feedback(alumnus, _feedback_data(form), actor=current_user),
        saved=gettext("Thank you: your feedback goes to the programme's next curriculum review."),
        done=lambda _: url_for("feedback.me"),
        title=gettext("Give curriculum feedback"), heading=heading,
        cancel=url_for("feedback.me"))
