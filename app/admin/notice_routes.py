"""The privacy notice's versions: administrators read the history and publish a new one."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from app.admin import bp
from app.admin.forms import NoticeForm
from app.alumni import notices
from app.alumni.models import CURRENT_NOTICE_VERSION
from app.core.forms import commit_form
from app.core.permissions import ADMIN, roles_required


@bp.route("/privacy-notice", methods=["GET", "POST"])
@roles_required(ADMIN)
def privacy_notice():
    current = notices.current_notice()
    form = NoticeForm()
    if not form.is_submitted() and current is not None:
        form.text.data = current.text
    if form.validate_on_submit():
        saved = commit_form(form, lambda: notices.publish_notice(
            form.version.data, form.text.data, actor=current_user))
        if saved is not None:
            flash(gettext("Version %(version)s is published. Signed-in alumni are asked to "
                          "review their choices.", version=saved.version), "success")
            return redirect(url_for("admin.privacy_notice"))
    return render_template("admin/privacy_notice.html", form=form, current=current,
                           history=notices.notice_history(), shipped=CURRENT_NOTICE_VERSION)
