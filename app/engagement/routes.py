"""Event pages, alumni self-registration, the engagement panels and the engagement rate."""

from __future__ import annotations

from flask import (
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
from sqlalchemy import select

from app.alumni.models import ALUMNUS_STATUSES, Alumnus, Institution
from app.alumni.pages import own_alumnus_or_404, working_institution_or_404
from app.core.audit import record_export
from app.core.db import today
from app.core.errors import ValidationFailed
from app.core.forms import ConfirmForm, commit_form, commit_or_flash, form_data
from app.core.i18n import N_, format_number
from app.core.own_words import fill_translation_fields, translations_from_form
from app.core.pagination import seek_args
from app.core.permissions import (
    ADMIN,
    ALUMNUS,
    STAFF_READ,
    STAFF_WRITE,
    get_scoped_or_404,
    roles_required,
)
from app.core.spreadsheet import table_download
from app.engagement import bp, events, exports, lists, registration, services
from app.engagement.forms import (
    AttendanceForm,
    EventForm,
    RegisterAlumnusForm,
    RemoveParticipantForm,
)
from app.engagement.models import (
    EVENT_KINDS,
    EVENT_MODES,
    PARTICIPANT_ROLES,
    PARTICIPATION_SOURCES,
    PARTICIPATION_STATUSES,
    Event,
)
from app.extensions import db


@bp.route("/events/")
@roles_required(*STAFF_READ)
def event_index():
    when = _when_arg()
    page = db.paginate(events.events_query(actor=current_user, when=when),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("engagement/events.html", page=page, when=when, kinds=EVENT_KINDS,
                           modes=EVENT_MODES)


def _when_arg() -> str:
    when = request.args.get("when", "upcoming")
    return when if when in ("upcoming", "past", "all") else "upcoming"


@bp.route("/events.<fmt>")
@roles_required(*STAFF_READ)
def events_download(fmt: str):
    when = _when_arg()
    listed = db.session.scalars(events.events_query(actor=current_user, when=when))
    return table_download(fmt, f"events-{when}", "Events", exports.EVENTS_HEADER,
                          exports.events_rows(listed))


@bp.route("/events/<int:event_id>/attendance.<fmt>")
@roles_required(*STAFF_READ)
def attendance_download(fmt: str, event_id: int):
    event = get_scoped_or_404(Event, event_id)
    rows = exports.attendance_rows(event)
    response = table_download(fmt, f"event-{event.id}-attendance", "Attendance",
                              exports.ATTENDANCE_HEADER, rows)
    record_export(current_user, f"event-{event.id}-attendance.{fmt}", len(rows),
                  institution_id=event.institution_id, details={"event_id": event.id})
    db.session.commit()
    return response


def _event_data(form: EventForm) -> events.EventData:
    data = form_data(form, events.EventData)
    data.title_translations = translations_from_form(form, "title")
    data.description_translations = translations_from_form(form, "description")
    return data


@bp.route("/events/new", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def event_create():
    institution = working_institution_or_404()
    form = EventForm(programmes=institution.programmes)
    if form.validate_on_submit():
        event = commit_form(form, lambda: events.create_event(
            _event_data(form), institution=institution, actor=current_user))
        if event is not None:
            flash(gettext("Event created."), "success")
            return redirect(url_for("engagement.event_detail", event_id=event.id))
    return render_template("engagement/event_form.html", form=form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_WRITE)
def event_edit(event_id: int):
    event = get_scoped_or_404(Event, event_id)
    form = EventForm(obj=event, programmes=_programmes(event))
    if not form.is_submitted():
        fill_translation_fields(form, "title", event.title_translations)
        fill_translation_fields(form, "description", event.description_translations)
    if form.validate_on_submit():
        saved = commit_form(form, lambda: events.update_event(
            event, _event_data(form), actor=current_user))
        if saved is not None:
            flash(gettext("Saved."), "success")
            return redirect(url_for("engagement.event_detail", event_id=event.id))
    return render_template("engagement/event_form.html", form=form, event=event)


def _programmes(event: Event):
    institution = db.session.get(Institution, event.institution_id)
    return institution.programmes


def _attendance_form(event: Event) -> AttendanceForm:
    form = AttendanceForm()
    form.alumnus_ids.choices = [
        (p.alumnus_id, f"{p.alumnus.display_name} ({p.alumnus.student_number})")
        for p in event.participations if p.status == "registered"]
    return form


@bp.route("/events/<int:event_id>")
@roles_required(*STAFF_READ)
def event_detail(event_id: int):
    event = get_scoped_or_404(Event, event_id)
    return render_template("engagement/event.html", event=event, form=_attendance_form(event),
                           remove_form=RemoveParticipantForm(),
                           register_form=RegisterAlumnusForm(),
                           kinds=EVENT_KINDS, modes=EVENT_MODES, roles=PARTICIPANT_ROLES,
                           statuses=PARTICIPATION_STATUSES, sources=PARTICIPATION_SOURCES)


@bp.route("/events/<int:event_id>/attendance", methods=["POST"])
@roles_required(*STAFF_WRITE)
def event_attendance(event_id: int):
    event = get_scoped_or_404(Event, event_id)
    form = _attendance_form(event)
    if form.validate_on_submit():
        result = commit_or_flash(lambda: events.record_attendance(
            event, student_numbers=form.student_numbers.data or "",
            alumnus_ids=form.alumnus_ids.data or [], role=form.role.data,
            hours=form.hours.data, actor=current_user), catch=ValidationFailed)
        if result is not None:
            flash(gettext("Attendance recorded: %(added)s added, %(updated)s updated, "
                          "%(unchanged)s already recorded.",
                          added=format_number(len(result.added)),
                          updated=format_number(len(result.updated)),
                          unchanged=format_number(len(result.unchanged))), "success")
            if result.unknown:
                flash(gettext("Not in the register, so not recorded: %(numbers)s",
                              numbers=", ".join(result.unknown)), "warning")
    else:
        flash(" ".join(m for ms in form.errors.values() for m in ms), "danger")
    return redirect(url_for("engagement.event_detail", event_id=event.id))


@bp.route("/events/<int:event_id>/register", methods=["POST"])
@roles_required(*STAFF_WRITE)
def event_register_alumnus(event_id: int):
    """The office registers an alumnus (by student number) for an upcoming event."""
    event = get_scoped_or_404(Event, event_id)
    form = RegisterAlumnusForm()
    if form.validate_on_submit():
        p = commit_or_flash(lambda: registration.register_alumnus(
            event, form.student_number.data, actor=current_user))
        if p is not None:
            flash(gettext("%(name)s (%(number)s) is registered.",
                          name=p.alumnus.display_name, number=p.alumnus.student_number),
                  "success")
    else:
        flash(gettext("Enter the alumnus's student number."), "warning")
    return redirect(url_for("engagement.event_detail", event_id=event.id))


@bp.route("/events/<int:event_id>/participants/remove", methods=["POST"])
@roles_required(*STAFF_WRITE)
def event_remove_participant(event_id: int):
    event = get_scoped_or_404(Event, event_id)
    form = RemoveParticipantForm()
    if form.validate_on_submit():
        try:
            participation_id = int(form.participation_id.data)
        except ValueError:
            flash(gettext("No such participant."), "warning")
        else:
            if commit_or_flash(lambda: events.remove_participation(
                    event, participation_id, actor=current_user),
                    category="warning", catch=ValidationFailed) is not None:
                flash(gettext("Participant removed."), "success")
    return redirect(url_for("engagement.event_detail", event_id=event.id))


# --- alumni: their events -------------------------------------------------------------------


def _my_event(event_id: int, alumnus: Alumnus) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or event.institution_id != alumnus.institution_id:
        abort(404)
    return event


@bp.route("/me/events")
@roles_required(ALUMNUS)
def my_events():
    alumnus = own_alumnus_or_404()
    upcoming, mine = events.events_for_alumnus(alumnus)
    return render_template("engagement/my_events.html", upcoming=upcoming, mine=mine,
                           history=events.participations_of(alumnus), kinds=EVENT_KINDS,
                           modes=EVENT_MODES, roles=PARTICIPANT_ROLES,
                           statuses=PARTICIPATION_STATUSES, confirm=ConfirmForm())


def _my_event_action(event_id: int, action, success: str):
    """A button on the alumnus's events page: act on their own event, say how it went."""
    alumnus = own_alumnus_or_404()
    event = _my_event(event_id, alumnus)
    if ConfirmForm().validate_on_submit():
        participation = commit_or_flash(lambda: action(event, alumnus, actor=current_user),
                                        category="warning")
        if participation is not None:
            flash(gettext(success, title=event.title_in_language), "success")
    return redirect(url_for("engagement.my_events"))


@bp.route("/me/events/<int:event_id>/register", methods=["POST"])
@roles_required(ALUMNUS)
def my_event_register(event_id: int):
    return _my_event_action(event_id, events.register_for_event,
                            N_("You are registered for %(title)s."))


@bp.route("/me/events/<int:event_id>/cancel", methods=["POST"])
@roles_required(ALUMNUS)
def my_event_cancel(event_id: int):
    return _my_event_action(event_id, events.cancel_registration,
                            N_("Your place at %(title)s is given back."))


# --- engagement rate (E1) -------------------------------------------------------------------


@bp.route("/engagement/rate")
@roles_required(*STAFF_READ)
def rate():
    institution = working_institution_or_404()
    listed = lists.engagement_page(institution.id, request.args.get("show", "engaged"),
                                   **seek_args())
    institutions = (db.session.scalars(select(Institution).order_by(Institution.name)).all()
                    if current_user.role == ADMIN else [])
    base = {"institution": institution.id} if institutions else {}
    return render_template("engagement/rate.html", r=listed.figures, listed=listed,
                           show=listed.show, institution=institution, base=base,
                           institutions=institutions, sources=services.engagement_sources(),
                           window=services.WINDOW_DAYS, statuses=ALUMNUS_STATUSES)


@bp.route("/engagement/rate.<fmt>")
@roles_required(*STAFF_READ)
def rate_download(fmt: str):
    """The records behind the rate, one row per alumnus of the three lists, for the evidence
    file (read as plain rows, not records)."""
    institution = working_institution_or_404()
    header = ["Group", "Alumnus id", "Student number", "Name", "Cohort",
              "Activity (latest in the window)"]
    return table_download(fmt, f"engagement-{institution.code}-{today().isoformat()}",
                          "Engagement rate", header, lists.download_rows(institution.id))
