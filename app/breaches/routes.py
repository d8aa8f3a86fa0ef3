"""Breach log pages (administrators)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from app.breaches import bp, services
from app.breaches.forms import BreachForm, CloseBreachForm, NotificationForm
from app.breaches.models import RECIPIENT_KINDS, Breach
from app.breaches.rules import RULES, country_names
from app.core.forms import commit_form, form_data
from app.core.permissions import ADMIN, get_scoped_or_404, roles_required


@bp.route("")
@roles_required(ADMIN)
def index():
    return render_template("breaches/index.html", breaches=services.breach_list(),
                           overdue={c.id for c in services.overdue_clocks()},
                           names=country_names())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new():
    form = BreachForm()
    if form.validate_on_submit():
        breach = commit_form(form, lambda: services.record_breach(
            form_data(form, services.BreachData), actor=current_user))
        if breach is not None:
            flash(gettext("The breach is logged; its clocks are running."), "success")
            return redirect(url_for("breaches.detail", breach_id=breach.id))
    return render_template("breaches/form.html", form=form, breach=None)


@bp.route("/<int:breach_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(breach_id: int):
    breach = get_scoped_or_404(Breach, breach_id)
    form = BreachForm(obj=breach)
    if not form.is_submitted():
        form.countries.data = [j.country for j in breach.jurisdictions]
    if form.validate_on_submit():
        saved = commit_form(form, lambda: services.update_breach(
            breach, form_data(form, services.BreachData), actor=current_user))
        if saved is not None:
            flash(gettext("Saved."), "success")
            return redirect(url_for("breaches.detail", breach_id=breach.id))
    return render_template("breaches/form.html", form=form, breach=breach)


@bp.route("/<int:breach_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def detail(breach_id: int):
    breach = get_scoped_or_404(Breach, breach_id)
    form, close = NotificationForm(prefix="n"), CloseBreachForm(prefix="c")
    if form.submit.data and form.validate_on_submit():
        saved = commit_form(form, lambda: services.record_notification(
            breach, form_data(form, services.NotificationData), actor=current_user))
        if saved is not None:
            flash(gettext("The notification is recorded."), "success")
            return redirect(url_for("breaches.detail", breach_id=breach.id))
    elif close.submit.data and close.validate_on_submit():
        saved = commit_form(close, lambda: services.close_breach(
            breach, close.lessons.data, actor=current_user))
        if saved is not None:
            flash(gettext("The breach is closed."), "success")
            return redirect(url_for("breaches.detail", breach_id=breach.id))
    return render_template("breaches/detail.html", breach=breach, form=form, close=close,
                           rules=RULES, names=country_names(), kinds=RECIPIENT_KINDS,
                           state=services.clock_state, states=services.CLOCK_STATES)
