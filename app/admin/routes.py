"""Administration pages: institutions, programmes, accounts, audit log."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.admin import audit_log, bp
from app.admin.forms import InstitutionForm, ProgrammeForm, UserForm
from app.alumni.institutions import (
    InstitutionData,
    ProgrammeData,
    create_institution,
    create_programme,
    update_institution,
    update_programme,
)
from app.alumni.isced import isced_label_in_language
from app.alumni.models import (
    INSTITUTION_KINDS,
    QUALIFICATION_LEVELS,
    STUDY_AREAS,
    Institution,
    Programme,
)
from app.alumni.services import home_institution
from app.auth import two_factor
from app.auth.forms import TwoFactorRuleForm
from app.auth.invitations import invite_staff, send_staff_invitation
from app.auth.models import User
from app.auth.services import end_user_sessions, set_contact_details_granted, set_user_active
from app.core.audit import (
    action_label,
    action_label_in_language,
    actor_in_language,
    record_type_label,
)
from app.core.db import today
from app.core.errors import ValidationFailed
from app.core.forms import ConfirmForm, commit_form, commit_or_flash
from app.core.permissions import ADMIN, roles_required
from app.core.spreadsheet import table_download
from app.extensions import db


@bp.route("/institutions")
@roles_required(ADMIN)
def institutions():
    rows = db.session.scalars(select(Institution).order_by(Institution.is_home.desc(),
                                                           Institution.code)).all()
    return render_template("admin/institutions.html", institutions=rows, kinds=INSTITUTION_KINDS)


def _institution_data(form: InstitutionForm) -> InstitutionData:
    return InstitutionData(code=form.code.data, name=form.name.data,
                                    country=form.country.data, kind=form.kind.data,
                                    is_home=form.is_home.data, time_zone=form.time_zone.data,
                                    rights_deadline_days=form.rights_deadline_days.data,
                                    default_language=form.default_language.data,
                                    buddhist_era=form.buddhist_era.data)


def _home_moved(institution: Institution, previous: Institution | None) -> str:
    """What the save did to the home mark, for the flash: it moves without a second step."""
    if institution.is_home and previous is not None and previous.id != institution.id:
        return " " + gettext("%(name)s is now the home institution, in place of %(previous)s.",
                             name=institution.name, previous=previous.name)
    return ""


@bp.route("/institutions/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def institution_new():
    form = InstitutionForm()
    if form.validate_on_submit():
        previous_home = home_institution()
        inst = commit_form(form, lambda: create_institution(
            _institution_data(form), actor=current_user))
        if inst is not None:
            flash(gettext("%(name)s added.", name=inst.name)
                  + _home_moved(inst, previous_home), "success")
            return redirect(url_for("admin.institution", institution_id=inst.id))
    return render_template("admin/institution_form.html", form=form, institution=None)


@bp.route("/institutions/<int:institution_id>")
@roles_required(ADMIN)
def institution(institution_id: int):
    inst = db.get_or_404(Institution, institution_id)
    rule = TwoFactorRuleForm(required=inst.admin_two_factor_required)
    return render_template("admin/institution.html", institution=inst, levels=QUALIFICATION_LEVELS,
                           two_factor_rule=rule,
                           areas=STUDY_AREAS, kinds=INSTITUTION_KINDS,
                           isced_label=isced_label_in_language)


@bp.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def institution_edit(institution_id: int):
    inst = db.get_or_404(Institution, institution_id)
    form = InstitutionForm(obj=inst)
    if form.validate_on_submit():
        previous_home = home_institution()
        saved = commit_form(form, lambda: update_institution(
            inst, _institution_data(form), actor=current_user))
        if saved is not None:
            flash(gettext("Saved.") + _home_moved(saved, previous_home), "success")
            return redirect(url_for("admin.institution", institution_id=inst.id))
    return render_template("admin/institution_form.html", form=form, institution=inst)


def _programme_data(form: ProgrammeForm) -> ProgrammeData:
    return ProgrammeData(code=form.code.data, name=form.name.data, level=form.level.data,
                                  study_area=form.study_area.data, isced_code=form.isced_code.data,
                                  duration_months=form.duration_months.data,
                                  active=form.active.data)


@bp.route("/institutions/<int:institution_id>/programmes/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def programme_new(institution_id: int):
    inst = db.get_or_404(Institution, institution_id)
    form = ProgrammeForm()
    if form.validate_on_submit():
        saved = commit_form(form, lambda: create_programme(
            _programme_data(form), institution=inst, actor=current_user))
        if saved is not None:
            flash(gettext("Programme added."), "success")
            return redirect(url_for("admin.institution", institution_id=inst.id))
    return render_template("admin/programme_form.html", form=form, institution=inst,
                           programme=None)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def programme_edit(programme_id: int):
    programme = db.get_or_404(Programme, programme_id)
    form = ProgrammeForm(obj=programme)
    if form.validate_on_submit():
        saved = commit_form(form, lambda: update_programme(
            programme, _programme_data(form), actor=current_user))
        if saved is not None:
            flash(gettext("Saved."), "success")
            return redirect(url_for("admin.institution", institution_id=programme.institution_id))
    return render_template("admin/programme_form.html", form=form,
                           institution=programme.institution, programme=programme)


@bp.route("/users")
@roles_required(ADMIN)
def users():
    stmt = select(User).order_by(User.role, User.email)
    role = request.args.get("role")
    if role:
        stmt = stmt.where(User.role == role)
    page = db.paginate(stmt, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("admin/users.html", page=page, role=role, confirm=ConfirmForm())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def user_new():
    form = UserForm()
    institutions = db.session.scalars(select(Institution).order_by(Institution.code)).all()
    form.institution_id.choices = [("", gettext("— (administrators only)"))] + [
        (i.id, f"{i.code} — {i.name}") for i in institutions
    ]
    if form.validate_on_submit():
        inst = db.session.get(Institution, form.institution_id.data) \
            if form.institution_id.data else None
        user = commit_form(form, lambda: invite_staff(
            form.email.data, form.role.data, institution=inst,
            full_name=form.full_name.data or "", actor=current_user))
        if user is not None:
            flash(gettext("Account %(email)s created. An invitation to choose a password is on "
                          "its way to that address.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(ADMIN)
def user_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: set_user_active(user, not user.active, actor=current_user),
            catch=ValidationFailed) is not None:
        flash(gettext("%(email)s is now active.", email=user.email) if user.active
              else gettext("%(email)s is now deactivated.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/contact-details", methods=["POST"])
@roles_required(ADMIN)
def user_contact_details(user_id: int):
    """Grant a quality staff member sight of alumni's contact details, or take it back."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: set_contact_details_granted(user, not user.contact_details_granted,
                                                actor=current_user),
            catch=ValidationFailed) is not None:
        flash(gettext("%(email)s now sees alumni's e-mail, phone and birth date.",
                      email=user.email)
              if user.contact_details_granted else
              gettext("%(email)s no longer sees alumni's e-mail, phone and birth date.",
                      email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/invitation", methods=["POST"])
@roles_required(ADMIN)
def user_invitation(user_id: int):
    """Send a staff member who has not chosen a password a new invitation link."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: send_staff_invitation(user, actor=current_user)) is not None:
        flash(gettext("A new invitation is on its way to %(email)s; the older link no longer "
                      "works.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/sign-out", methods=["POST"])
@roles_required(ADMIN)
def user_sign_out(user_id: int):
    """End every session of an account, on every device (a lost laptop, a leaving officer)."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: end_user_sessions(user, actor=current_user)) is not None:
        flash(gettext("%(email)s is signed out everywhere.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/two-factor-off", methods=["POST"])
@roles_required(ADMIN)
def user_two_factor_off(user_id: int):
    """Switch off the second factor of someone who lost both their phone and their codes."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: two_factor.disable_two_factor(user, "", actor=current_user)) is not None:
        flash(gettext("Two-factor sign-in is off for %(email)s; they can set it up again.",
                      email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.route("/institutions/<int:institution_id>/two-factor", methods=["POST"])
@roles_required(ADMIN)
def institution_two_factor(institution_id: int):
    """The home institution's rule: administrators sign in with a second factor."""
    inst = db.get_or_404(Institution, institution_id)
    form = TwoFactorRuleForm()
    if form.validate_on_submit() and commit_or_flash(
            lambda: two_factor.set_admin_two_factor_required(
                inst, form.required.data, actor=current_user)) is not None:
        flash(gettext("Administrators must now sign in with two-factor sign-in; those who have "
                      "not set it up are asked to at their next page.")
              if inst.admin_two_factor_required
              else gettext("Two-factor sign-in is no longer required of administrators."),
              "success")
    return redirect(url_for("admin.institution", institution_id=inst.id))


@bp.route("/audit")
@roles_required(ADMIN)
def audit():
    filters, problem = audit_log.filters_from_args(request.args)
    if problem:
        flash(problem, "warning")
    page = db.paginate(audit_log.audit_query(filters), per_page=50, error_out=False)
    entities, actions = audit_log.filter_choices()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/audit.html", page=page, filters=filters, args=args,
                           entities=entities, actions=actions,
                           action_label=action_label_in_language,
                           record_type=record_type_label, actor=actor_in_language,
                           change_lines=audit_log.change_lines_in_language,
                           fold_after=audit_log.FOLD_AFTER)


@bp.route("/audit.<fmt>")
@roles_required(ADMIN)
def audit_download(fmt: str):
    filters, _ = audit_log.filters_from_args(request.args)
    return table_download(fmt, f"audit-log-{today():%Y%m%d}", "Audit log",
                          audit_log.EXPORT_HEADER, audit_log.export_rows(filters, action_label))


from app.admin import notice_routes  # noqa: E402,F401
